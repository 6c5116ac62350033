import { perf, record } from './perf';

// The seek hold: while the slabs of a seek's view are on their way the render loop keeps the
// last picture (on software GL a draw of the still-empty view occupies both cores for 100+ ms
// and the slab waits behind it), and draws at once when the view is held. A field switch whose
// slabs are not held yet holds the same way (the old field stays until the new one is whole);
// only seeks are recorded in the seek marks.

/** Longest a seek keeps the last picture while its slabs are on their way. */
export const SEEK_HOLD_MS = 600;

export class SeekHold {
  /** When the seek in flight was asked for (null = none). */
  startedAt: number | null = null;
  /** Start of the current hold: a burst of seeks (scrubbing) shares one. */
  private holdFrom = 0;
  /** What is held for: only seeks are recorded in perf.seek*. */
  private kind: 'seek' | 'field' = 'seek';

  constructor(private readonly viewHeld: () => boolean) {}

  start(kind: 'seek' | 'field' = 'seek'): void {
    const now = performance.now();
    if (this.startedAt === null || now - this.holdFrom >= SEEK_HOLD_MS) this.holdFrom = now;
    // A seek during a field hold is a seek; a field switch during a seek's hold stays one.
    if (this.startedAt === null || kind === 'seek') this.kind = kind;
    this.startedAt = now;
    if (kind === 'seek') performance.mark('spymaster:seek-start');
  }

  /** How long the render loop should still keep the last picture (ms; 0 = draw). */
  drawHoldMs(): number {
    if (this.startedAt === null) return 0;
    const left = SEEK_HOLD_MS - (performance.now() - this.holdFrom);
    return left > 0 && !this.viewHeld() ? left : 0;
  }

  /** A seek whose whole view is now held waits for its draw: the render loop draws at once. */
  ready(): boolean {
    return this.startedAt !== null && this.viewHeld();
  }

  /** The slab completing the view was applied. */
  noteLoaded(): void {
    if (this.startedAt !== null && this.kind === 'seek' && this.viewHeld()) record(perf.seekLoaded, performance.now() - this.startedAt);
  }

  /** After a draw: a seek whose view is held is done; its times are recorded. */
  afterDraw(): void {
    if (this.startedAt === null || !this.viewHeld()) return;
    const started = this.startedAt;
    this.startedAt = null;
    if (this.kind !== 'seek') return;
    record(perf.seek, performance.now() - started);
    performance.mark('spymaster:seek-drawn');
    // The draw is on screen once the frame that carries it is committed.
    requestAnimationFrame(() => setTimeout(() => record(perf.seekPresented, performance.now() - started), 0));
  }
}
