// Exchange-local wall clock ↔ UTC, one implementation for every runtime: the engine's session
// configuration (`--start 09:30 --tz America/New_York`), the simulator's schedule and the
// window's time axis all need the same zone arithmetic (SPEC §2: timestamps are UTC; SPEC §7:
// axes in exchange local time). Pure functions over Intl; formatters are cached per zone.

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
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
    partsFormatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The local calendar date and wall-clock time of a UTC instant (ms) in a zone. */
export function localParts(utcMs: number, timeZone: string): LocalParts {
  const p: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  // Some ICU versions print midnight as 24 even with h23.
  return { year: p.year, month: p.month, day: p.day, hour: p.hour % 24, minute: p.minute, second: p.second };
}

/** Offset (local − UTC, ms, whole seconds) of a zone at a UTC instant (ms). */
export function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const p = localParts(utcMs, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(utcMs / 1000) * 1000;
}

/**
 * The UTC instant (ms) at which a zone's wall clock reads `secondsOfDay` (may be negative or
 * ≥ 86,400: the previous / next day) on the local calendar day year-month-day. Two passes
 * settle the offset across DST changes.
 */
export function utcMsOfLocal(year: number, month: number, day: number, secondsOfDay: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day) + secondsOfDay * 1000;
  const first = guess - zoneOffsetMs(guess, timeZone);
  return guess - zoneOffsetMs(first, timeZone);
}
