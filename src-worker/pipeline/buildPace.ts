// A paced build: the file is read as if its events were arriving live, `pace` market seconds per
// wall second, from the session start on. With progressive display this is what a live feed
// will look like (windows appear one by one at the market's speed, times `pace`), and it gives a
// build a known minimum length whatever the machine — the progressive-display e2e relies on it.
// Events before the session start (the book's warm-up) are read at full speed.
import { IngestError } from './errors';

/** Fastest and slowest pace accepted (market seconds per wall second). */
export const PACE_RANGE = { min: 0.1, max: 10_000 } as const;

/** Checks a requested pace; undefined means "as fast as the machine can". */
export function checkPace(pace: unknown): number | undefined {
  if (pace === undefined || pace === null) return undefined;
  if (typeof pace !== 'number' || !Number.isFinite(pace) || pace < PACE_RANGE.min || pace > PACE_RANGE.max)
    throw new IngestError(
      'config.bad_pace',
      `build pace must be a number of market seconds per second between ${PACE_RANGE.min} and ${PACE_RANGE.max}, got ${String(pace)}`,
      'leave the pace empty to build as fast as possible, or give e.g. 60 for one market minute per second',
    );
  return pace;
}

export class BuildPace {
  /** Wall time (ms) at which the session's first event was read; NaN before. */
  private wallStartMs = NaN;

  constructor(
    readonly pace: number,
    private readonly sessionStartSec: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** How long to wait (ms) after an event at `marketSec` was read, to keep to the pace. */
  delayMs(marketSec: number): number {
    if (!(marketSec >= this.sessionStartSec)) return 0;
    const t = this.now();
    if (this.wallStartMs !== this.wallStartMs) {
      // The clock starts at the first event of the session, counted from the session start.
      this.wallStartMs = t - ((marketSec - this.sessionStartSec) / this.pace) * 1000;
    }
    const due = this.wallStartMs + ((marketSec - this.sessionStartSec) / this.pace) * 1000;
    return Math.max(0, due - t);
  }

  /** Waits until `marketSec` is due; a cancel ends the wait at once (the caller checks the signal). */
  async wait(marketSec: number, signal?: AbortSignal): Promise<void> {
    const ms = this.delayMs(marketSec);
    if (ms < 1 || signal?.aborted) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
