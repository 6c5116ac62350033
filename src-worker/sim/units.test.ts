// Small pieces of the simulator: CME option series codes, exact nanosecond splitting, option
// pricing identities, and typed errors for bad options.
import { describe, expect, it } from 'vitest';
import { SimError, planSimulation } from './index';
import { splitNs, nsOut } from './nanos';
import { thirdFriday, weeklySeries } from './optionChain';
import { black76, smileVol } from './optionsSim';
import { localToUtcSec } from './sessionClock';

describe('CME option series', () => {
  it('names dailies and weeklies like CME (E1AF6 = first Monday of Jan 2026, EW2F6 = second Friday)', () => {
    expect(weeklySeries('2026-01-05').series).toBe('E1AF6');
    expect(weeklySeries('2026-01-06').series).toBe('E1BF6');
    expect(weeklySeries('2026-01-08').series).toBe('E2DF6');
    expect(weeklySeries('2026-01-09').series).toBe('EW2F6');
    expect(thirdFriday(2026, 3)).toBe('2026-03-20');
  });
});

describe('timestamps', () => {
  it('splits UTC ns into exact hi/lo words', () => {
    for (const [sec, nano] of [
      [1767709800, 0],
      [1767709800, 999_999_999],
      [1703548799, 446_821_072],
      [4294967295, 123],
    ]) {
      splitNs(sec, nano);
      const v = BigInt(sec) * 1_000_000_000n + BigInt(nano);
      expect([nsOut.hi, nsOut.lo]).toEqual([Number(v >> 32n), Number(v & 0xffffffffn)]);
    }
  });

  it('converts New York session times across DST', () => {
    expect(localToUtcSec('2026-01-06', 9.5 * 3600, 'America/New_York')).toBe(Date.UTC(2026, 0, 6, 14, 30) / 1000);
    expect(localToUtcSec('2026-07-06', 9.5 * 3600, 'America/New_York')).toBe(Date.UTC(2026, 6, 6, 13, 30) / 1000);
  });
});

describe('option pricing', () => {
  it('Black-76 satisfies put-call parity and the smile is skewed to puts', () => {
    const f = 6500;
    const t = 7 / 365;
    for (const k of [6300, 6500, 6700]) {
      const v = smileVol(f, k, t);
      expect(black76(true, f, k, t, v) - black76(false, f, k, t, v)).toBeCloseTo(f - k, 6);
    }
    expect(smileVol(f, 6300, t)).toBeGreaterThan(smileVol(f, 6700, t));
  });
});

describe('plan validation', () => {
  it('rejects bad options with a typed error and a hint', () => {
    const bad: Parameters<typeof planSimulation>[0][] = [{ symbol: 'XYZ9' }, { date: '2026-02-30' }, { start: '25:00' }, { tz: 'Mars/Olympus' }, { intensity: 0 }, { seed: 1.5 }];
    for (const o of bad) {
      let err: unknown;
      try {
        planSimulation(o);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SimError);
      expect((err as SimError).hint.length).toBeGreaterThan(5);
    }
  });

  it('defaults to ESH6, 08:30–10:30 New York, an ES-like price', () => {
    const p = planSimulation({});
    expect(p.symbol).toBe('ESH6');
    expect(p.year).toBe(2026);
    expect(p.endSec - p.startSec).toBe(7200);
    expect(p.startTick * 0.25).toBeGreaterThan(6000);
    expect(p.startTick * 0.25).toBeLessThan(7000);
  });
});
