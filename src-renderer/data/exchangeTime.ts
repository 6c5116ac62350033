// Exchange-local clock for axes, the timeline and the jump-to-time box (SPEC §7: time axis in
// exchange local time). Intl does the zone arithmetic; formatters are cached per zone.

const fmtCache = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = fmtCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    fmtCache.set(timeZone, f);
  }
  return f;
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function localParts(ms: number, timeZone: string): LocalParts {
  const p: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return { year: p.year, month: p.month, day: p.day, hour: p.hour % 24, minute: p.minute, second: p.second };
}

const pad = (n: number) => String(n).padStart(2, '0');

export function formatClock(ms: number, timeZone: string, withSeconds = true): string {
  const p = localParts(ms, timeZone);
  return withSeconds ? `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}` : `${pad(p.hour)}:${pad(p.minute)}`;
}

export function formatDate(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** Offset (ms) of the zone from UTC at an instant. */
function zoneOffsetMs(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}

/** The instant (ms) of a local wall-clock time on a local calendar day in a zone. */
export function instantOfLocal(year: number, month: number, day: number, h: number, m: number, s: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day, h, m, s);
  let ms = guess - zoneOffsetMs(guess, timeZone);
  ms = guess - zoneOffsetMs(ms, timeZone); // second pass settles DST edges
  return ms;
}

/** Parses "HH:MM[:SS]" into seconds of the day, or null. */
export function parseClock(text: string): number | null {
  const m = /^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$/.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  const s = Number(m[3] ?? 0);
  if (h > 23 || mi > 59 || s > 59) return null;
  return h * 3600 + mi * 60 + s;
}

/**
 * The instant in [fromMs, toMs] whose local clock reads `secondsOfDay`; sessions may cross
 * midnight (Globex opens the evening before), so every local day the range touches is tried.
 */
export function instantOfClockInRange(secondsOfDay: number, fromMs: number, toMs: number, timeZone: string): number | null {
  const h = Math.floor(secondsOfDay / 3600);
  const m = Math.floor((secondsOfDay % 3600) / 60);
  const s = secondsOfDay % 60;
  for (let dayMs = fromMs - 86_400_000; dayMs <= toMs + 86_400_000; dayMs += 86_400_000) {
    const d = localParts(dayMs, timeZone);
    const t = instantOfLocal(d.year, d.month, d.day, h, m, s, timeZone);
    if (t >= fromMs && t <= toMs) return t;
  }
  return null;
}
