// Local exchange time ↔ UTC, and the intraday activity profile of ES on CME Globex.
import { isTimeZone, utcMsOfLocal, zoneOffsetMs } from '../../contracts/exchangeClock';
import { SimError } from './simError';

export function checkTimeZone(tz: string): void {
  if (!isTimeZone(tz)) throw new SimError(`unknown time zone '${tz}'`, 'use an IANA name such as America/New_York or America/Chicago');
}

export function parseDate(date: string): { y: number; m: number; d: number } {
  const mt = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!mt) throw new SimError(`bad date '${date}'`, 'dates are YYYY-MM-DD, e.g. 2026-01-06');
  const y = +mt[1];
  const m = +mt[2];
  const d = +mt[3];
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) throw new SimError(`bad date '${date}'`, 'dates are YYYY-MM-DD, e.g. 2026-01-06');
  return { y, m, d };
}

export function parseClock(hhmm: string): number {
  const mt = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(hhmm);
  if (!mt || +mt[1] > 24 || +mt[2] > 59 || (mt[3] !== undefined && +mt[3] > 59)) {
    throw new SimError(`bad clock time '${hhmm}'`, 'times are HH:MM (24-hour), e.g. 08:30');
  }
  const s = +mt[1] * 3600 + +mt[2] * 60 + (mt[3] ? +mt[3] : 0);
  if (s > 86400) throw new SimError(`bad clock time '${hhmm}'`, 'times are HH:MM (24-hour), at most 24:00');
  return s;
}

/** UTC epoch seconds of local wall-clock `secOfDay` on `date` in `tz` (secOfDay may be negative: the previous day). */
export function localToUtcSec(date: string, secOfDay: number, tz: string): number {
  const { y, m, d } = parseDate(date);
  return Math.round(utcMsOfLocal(y, m, d, secOfDay, tz) / 1000);
}

/** Seconds since local midnight (America/New_York) of a UTC instant; cached per call site via offset. */
export function nyOffsetSec(utcSec: number): number {
  return zoneOffsetMs(utcSec * 1000, 'America/New_York') / 1000;
}

/**
 * Relative message activity of ES by New York clock time (1.0 ≈ a calm RTH minute). Globex is
 * open 18:00–17:00 ET with the daily halt 17:00–18:00; Asia is quiet, Europe busier, the 08:30
 * data release spikes, the 09:30 cash open is the busiest minute of the day and decays over
 * ~15 minutes, and the close (15:45–16:00) picks up again.
 */
export function activityAt(nySec: number): number {
  const m = nySec / 60;
  if (m >= 17 * 60 && m < 18 * 60) return 0; // daily maintenance halt
  if (m >= 18 * 60 || m < 3 * 60) return 0.05 + (m >= 18 * 60 && m < 18 * 60 + 10 ? 0.25 * Math.exp(-(m - 18 * 60) / 3) : 0);
  if (m < 8 * 60 + 30) return 0.12 + 0.1 * ((m - 180) / 330);
  if (m < 9 * 60 + 30) return 0.3 + 1.3 * Math.exp(-(m - 510) / 3) + 0.15 * Math.exp(-(570 - m) / 6);
  if (m < 16 * 60) {
    const x = m - 570;
    const toClose = 960 - m;
    const lunch = m > 11.5 * 60 && m < 13.5 * 60 ? -0.25 : 0;
    return 0.85 + lunch + 2.6 * Math.exp(-x / 11) + 0.7 * Math.exp(-toClose / 12);
  }
  return 0.12; // 16:00–17:00 post close
}
