import { describe, expect, it } from 'vitest';
import { formatClock, formatDate, instantOfClockInRange, parseClock, zoneAbbrev, zoneCity } from './exchangeTime';

// 2024-01-02 14:30:00 UTC = 09:30 New York (EST) = 08:30 Chicago (CST).
const OPEN_UTC = Date.UTC(2024, 0, 2, 14, 30, 0);

describe('exchange time', () => {
  it('formats in the session zone, not the machine zone', () => {
    expect(formatClock(OPEN_UTC, 'America/New_York')).toBe('09:30:00');
    expect(formatClock(OPEN_UTC, 'America/Chicago', false)).toBe('08:30');
    expect(formatDate(OPEN_UTC, 'America/Chicago')).toBe('2024-01-02');
  });

  it('parses HH:MM[:SS] and rejects nonsense', () => {
    expect(parseClock('9:45')).toBe(9 * 3600 + 45 * 60);
    expect(parseClock('16:00:30')).toBe(16 * 3600 + 30);
    expect(parseClock('25:00')).toBeNull();
    expect(parseClock('abc')).toBeNull();
  });

  it('finds a local clock time inside a session that crosses midnight', () => {
    // Globex day for 2023-12-26 trades from 17:00 CT on the 25th.
    const from = Date.UTC(2023, 11, 25, 23, 0, 0); // 17:00 CT
    const to = Date.UTC(2023, 11, 26, 22, 0, 0); // 16:00 CT
    const late = instantOfClockInRange(20 * 3600, from, to, 'America/Chicago');
    expect(late).toBe(Date.UTC(2023, 11, 26, 2, 0, 0));
    const morning = instantOfClockInRange(9 * 3600 + 30 * 60, from, to, 'America/Chicago');
    expect(morning).toBe(Date.UTC(2023, 11, 26, 15, 30, 0));
    expect(instantOfClockInRange(16 * 3600 + 30 * 60, from, to, 'America/Chicago')).toBeNull();
  });

  it('handles the daylight-saving change', () => {
    // 2024-03-10: New York springs forward at 02:00; 09:30 that day is 13:30 UTC.
    const from = Date.UTC(2024, 2, 10, 5, 0, 0);
    expect(instantOfClockInRange(9.5 * 3600, from, from + 86_400_000, 'America/New_York')).toBe(Date.UTC(2024, 2, 10, 13, 30, 0));
  });
});

describe('zone names on the time axis', () => {
  it('names the zone as a trader does, following daylight saving', () => {
    expect(zoneCity('America/New_York')).toBe('New York');
    expect(zoneCity('America/Chicago')).toBe('Chicago');
    expect(zoneCity('Asia/Hong_Kong')).toBe('Hong Kong');
    expect(zoneAbbrev(OPEN_UTC, 'America/New_York')).toBe('EST');
    expect(zoneAbbrev(OPEN_UTC, 'America/Chicago')).toBe('CST');
    expect(zoneAbbrev(Date.UTC(2024, 6, 2, 14, 30), 'America/Chicago')).toBe('CDT');
    expect(zoneAbbrev(OPEN_UTC, 'UTC')).toBe('UTC');
  });
});
