// Numbers for people: legend ticks and tooltip values rounded to what the eye can use, never
// "9.9e-19". `scale` is the size of the values shown together (the colour range's top), so a
// value a thousand times smaller than it reads as 0.

/** [divisor, suffix, from]: thousands only from 10 000 on (1234 reads better than 1.2k). */
const SI: [number, string, number][] = [
  [1e9, 'G', 1e9],
  [1e6, 'M', 1e6],
  [1e3, 'k', 1e4],
];

export function formatValue(v: number, scale = Math.abs(v)): string {
  if (!Number.isFinite(v)) return '—';
  const s = Math.max(Math.abs(scale), Math.abs(v));
  if (v === 0 || Math.abs(v) < s * 1e-3) return '0';
  for (const [k, suffix, from] of SI) if (Math.abs(v) >= from) return `${trim((v / k).toFixed(Math.abs(v) >= 100 * k ? 0 : 1))}${suffix}`;
  // Three significant digits of the larger of value and scale.
  const decimals = Math.max(0, Math.min(6, 2 - Math.floor(Math.log10(s))));
  return trim(v.toFixed(decimals));
}

function trim(t: string): string {
  return t.includes('.') ? t.replace(/0+$/, '').replace(/\.$/, '') : t;
}
