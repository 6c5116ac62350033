// Instrument and session defaults per CME product root (SPEC §3). The pipeline resolves a
// raw symbol such as `ESH4` or `MNQZ5` to its root and takes the tick size from here; every
// value can be overridden by the user. Prices are integers in 1e-9 units.

export interface ProductDefaults {
  root: string;
  description: string;
  /** Minimum price increment in 1e-9 units (ES 0.25 → 250_000_000). */
  tickInt: number;
}

export const PRODUCT_DEFAULTS: readonly ProductDefaults[] = [
  { root: 'ES', description: 'E-mini S&P 500', tickInt: 250_000_000 },
  { root: 'MES', description: 'Micro E-mini S&P 500', tickInt: 250_000_000 },
  { root: 'NQ', description: 'E-mini Nasdaq-100', tickInt: 250_000_000 },
  { root: 'MNQ', description: 'Micro E-mini Nasdaq-100', tickInt: 250_000_000 },
  { root: 'RTY', description: 'E-mini Russell 2000', tickInt: 100_000_000 },
  { root: 'YM', description: 'E-mini Dow', tickInt: 1_000_000_000 },
  { root: 'CL', description: 'WTI crude oil', tickInt: 10_000_000 },
  { root: 'MCL', description: 'Micro WTI crude oil', tickInt: 10_000_000 },
  { root: 'GC', description: 'Gold', tickInt: 100_000_000 },
];

/** Session and grid defaults shared by every product (SPEC §3). */
export const SESSION_DEFAULTS = {
  /** Half-width of the price grid around spot_ref, in ticks (±200 → 401 levels per side). */
  gridHalfWidthTicks: 200,
  /** Session window in the exchange-local clock (any range is allowed). */
  sessionStart: '09:30',
  sessionEnd: '10:30',
  timeZone: 'America/New_York',
  /** Window length; the pipeline supports 1 s windows. */
  windowSeconds: 1,
  /** An order older than this (since its add or last priority loss) is "resting". */
  restThresholdMs: 500,
  /** Options: strike bucket width (USD) and half-width (USD) around spot. */
  optionStrikeBucketUsd: 5,
  optionHalfWidthUsd: 50,
} as const;

const MONTH_CODES = 'FGHJKMNQUVXZ';

/** Product root of an outright futures raw symbol (`ESH4` → `ES`, `MNQZ25` → `MNQ`), or null. */
export function productRootOf(symbol: string): string | null {
  const m = /^([A-Z0-9]{1,4}?)([FGHJKMNQUVXZ])(\d{1,2})$/.exec(symbol.trim());
  if (!m || !MONTH_CODES.includes(m[2])) return null;
  // Prefer a known root (longest first) so MESH4 resolves to MES, not to an unknown 'ME'.
  const known = [...PRODUCT_DEFAULTS].sort((a, b) => b.root.length - a.root.length);
  for (const p of known) if (symbol.startsWith(p.root) && symbol.length - p.root.length === 1 + m[3].length) return p.root;
  return m[1];
}

/** Defaults for a raw symbol, or null when its root is unknown (the caller asks for a tick size). */
export function productDefaultsFor(symbol: string): ProductDefaults | null {
  const root = productRootOf(symbol);
  return PRODUCT_DEFAULTS.find((p) => p.root === root) ?? null;
}
