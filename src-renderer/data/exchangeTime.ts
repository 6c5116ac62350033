// Exchange-local clock for axes, the timeline and the jump-to-time box (SPEC §7: time axis in
// exchange local time). The zone arithmetic is contracts/exchangeClock (shared with the engine).
import { localParts, utcMsOfLocal } from '../../contracts/exchangeClock';

export { localParts, type LocalParts } from '../../contracts/exchangeClock';

const pad = (n: number) => String(n).padStart(2, '0');

export function formatClock(ms: number, timeZone: string, withSeconds = true): string {
  const p = localParts(ms, timeZone);
  return withSeconds ? `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}` : `${pad(p.hour)}:${pad(p.minute)}`;
}

export function formatDate(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** The instant (ms) of a local wall-clock time on a local calendar day in a zone. */
export function instantOfLocal(year: number, month: number, day: number, h: number, m: number, s: number, timeZone: string): number {
  return utcMsOfLocal(year, month, day, h * 3600 + m * 60 + s, timeZone);
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

const CITIES: Record<string, string> = {
  'America/New_York': 'New York',
  'America/Chicago': 'Chicago',
  'Europe/London': 'London',
  UTC: 'UTC',
  'Etc/UTC': 'UTC',
};

/** The zone as a trader names it ("New York", "Chicago"), else its IANA name's last part. */
export function zoneCity(timeZone: string): string {
  return CITIES[timeZone] ?? timeZone.split('/').pop()!.replace(/_/g, ' ');
}

/** The zone's short name at an instant ("EST", "CDT", "GMT", "UTC"): it follows daylight saving. */
export function zoneAbbrev(ms: number, timeZone: string): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }).formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}
