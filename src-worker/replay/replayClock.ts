// The replay clock: the playhead is a window index into the session (0 … windowCount−1);
// window_end of index i is firstWindowEnd + i·1 s. Speeds and targets are validated here so
// the engine never schedules a nonsensical timer.
import type { Speed } from '../../contracts/protocol';

export const MIN_SPEED = 0.25;
export const MAX_SPEED = 100;
export const NS_PER_WINDOW = 1_000_000_000n;

/**
 * A requested time clamped into a session (first … last window end) and onto a window end:
 * what slabs, ring slabs and overlays answer for a range that reaches past the session.
 */
export function clampToWindowEnd(s: { firstWindowEndNs: bigint; windowCount: number }, ns: bigint): bigint {
  const last = s.firstWindowEndNs + BigInt(s.windowCount - 1) * NS_PER_WINDOW;
  const c = ns < s.firstWindowEndNs ? s.firstWindowEndNs : ns > last ? last : ns;
  return s.firstWindowEndNs + ((c - s.firstWindowEndNs) / NS_PER_WINDOW) * NS_PER_WINDOW;
}

export class ClockError extends Error {
  constructor(
    readonly userMessage: string,
    readonly hint: string,
  ) {
    super(userMessage);
    this.name = 'ClockError';
  }
}

export function validateSpeed(speed: unknown): Speed {
  if (speed === 'max') return 'max';
  if (typeof speed !== 'number' || !Number.isFinite(speed) || speed < MIN_SPEED || speed > MAX_SPEED) {
    throw new ClockError(`speed ${String(speed)} is out of range`, `choose ${MIN_SPEED}× to ${MAX_SPEED}× or "max"`);
  }
  return speed;
}

/** Wall-clock milliseconds between frames at a speed; 0 for 'max' (limited by acknowledgements). */
export function frameIntervalMs(speed: Speed): number {
  return speed === 'max' ? 0 : 1000 / speed;
}

export class ReplayClock {
  private index = 0;

  private count: number;

  constructor(
    readonly firstWindowEndNs: bigint,
    windowCount: number,
  ) {
    if (windowCount < 1) throw new ClockError('the session has no windows', 'check the session time range of the file');
    this.count = windowCount;
  }

  /** Windows in the session; grows with a growing session (never shrinks). */
  get windowCount(): number {
    return this.count;
  }

  grow(windowCount: number): void {
    if (windowCount > this.count) this.count = windowCount;
  }

  get playhead(): number {
    return this.index;
  }

  get atEnd(): boolean {
    return this.index >= this.windowCount - 1;
  }

  windowEndNs(index = this.index): bigint {
    return this.firstWindowEndNs + BigInt(index) * NS_PER_WINDOW;
  }

  get lastWindowEndNs(): bigint {
    return this.windowEndNs(this.windowCount - 1);
  }

  clamp(index: number): number {
    return Math.max(0, Math.min(this.windowCount - 1, Math.trunc(index)));
  }

  /** Index of the window whose end is at or just before `ns` (clamped into the session). */
  indexOf(ns: bigint): number {
    if (ns <= this.firstWindowEndNs) return 0;
    const i = (ns - this.firstWindowEndNs) / NS_PER_WINDOW;
    return this.clamp(Number(i));
  }

  set(index: number): number {
    this.index = this.clamp(index);
    return this.index;
  }

  /** Target of a step of ±seconds (1-s windows). */
  stepTarget(seconds: number): number {
    if (!Number.isFinite(seconds) || seconds === 0) throw new ClockError(`cannot step by ${seconds} s`, 'step by a whole number of seconds, e.g. +1 or −1');
    return this.clamp(this.index + Math.trunc(seconds));
  }

  skipTarget(minutes: number): number {
    if (!Number.isFinite(minutes) || minutes === 0) throw new ClockError(`cannot skip ${minutes} minutes`, 'skip by a nonzero number of minutes');
    return this.clamp(this.index + Math.round(minutes * 60));
  }

  seekTarget(windowEndNs: string): number {
    let ns: bigint;
    try {
      ns = BigInt(windowEndNs);
    } catch {
      throw new ClockError(`'${windowEndNs}' is not a time`, 'seek takes a window end in UTC nanoseconds as a decimal string');
    }
    return this.indexOf(ns);
  }
}
