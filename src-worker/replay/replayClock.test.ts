import { describe, expect, it } from 'vitest';
import { ClockError, ReplayClock, frameIntervalMs, validateSpeed } from './replayClock';

const FIRST = 1_703_545_201_000_000_000n; // 2023-12-25 23:00:01 UTC (18:00:01 New York)

describe('replay clock', () => {
  it('maps window indexes to window ends and back', () => {
    const c = new ReplayClock(FIRST, 3600);
    expect(c.windowEndNs(0)).toBe(FIRST);
    expect(c.lastWindowEndNs).toBe(FIRST + 3599n * 1_000_000_000n);
    expect(c.indexOf(FIRST + 90n * 1_000_000_000n)).toBe(90);
    expect(c.indexOf(FIRST + 90n * 1_000_000_000n + 5n)).toBe(90);
    expect(c.indexOf(0n)).toBe(0);
    expect(c.indexOf(FIRST * 2n)).toBe(3599);
  });

  it('steps ±1 s and skips minutes, clamped to the session', () => {
    const c = new ReplayClock(FIRST, 600);
    expect(c.stepTarget(1)).toBe(1);
    expect(c.stepTarget(-1)).toBe(0);
    c.set(100);
    expect(c.skipTarget(5)).toBe(400);
    expect(c.skipTarget(-5)).toBe(0);
    expect(c.skipTarget(60)).toBe(599);
    expect(() => c.stepTarget(0)).toThrow(ClockError);
  });

  it('seeks to a decimal-string window end and rejects garbage', () => {
    const c = new ReplayClock(FIRST, 600);
    expect(c.seekTarget((FIRST + 42n * 1_000_000_000n).toString())).toBe(42);
    expect(() => c.seekTarget('noon')).toThrow(/not a time/);
  });

  it('accepts speeds 0.25×–100× and max, nothing else', () => {
    expect(validateSpeed(0.25)).toBe(0.25);
    expect(validateSpeed(100)).toBe(100);
    expect(validateSpeed('max')).toBe('max');
    for (const bad of [0, 0.2, 101, Number.NaN, '2', null]) expect(() => validateSpeed(bad)).toThrow(ClockError);
    expect(frameIntervalMs(1)).toBe(1000);
    expect(frameIntervalMs(4)).toBe(250);
    expect(frameIntervalMs('max')).toBe(0);
  });
});
