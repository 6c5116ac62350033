// A build that is still running, read as a growing window source (progressive display): the
// build's engine writes each closed window into a shared frame ring (fields/frameRing.ts, on
// the ingest worker or inline), and this source — on the engine host's thread — polls the
// ring's published count, grows its session and encodes a window's frame when asked (the
// same encoder as a committed build's, so the bytes are the same).
//
// Growth is polled (`pollMs`, default 100 ms): that is also the throttle of `session_grown`
// (≤ 10 per second, what the window can usefully draw). A window that has left the ring
// answers a typed error (SessionDataError) until the committed build takes over.
import type { SessionInfo } from '../../contracts/protocol';
import { FrameRingReader, RawFrame, type FrameRingInfo } from '../fields/frameRing';
import { encodeRawFrame, type EncodedFrame } from './frameEncoder';
import { gridLayout } from './gridLayout';
import { SessionDataError, type ReplaySession } from './sessionInfo';
import type { WindowSource } from './windowSource';

const NS = 1_000_000_000n;

/**
 * Ticks beyond ±half-width around the spot at opening that the growing session's price axis
 * covers: a build's price range is only known at COMMIT (lowest spot − H … highest spot + H),
 * so the live axis is wide enough for a session's usual travel (ES: ±250 points at H = 200);
 * the committed session re-lays it out exactly.
 */
export const LIVE_PRICE_MARGIN_TICKS = 800;

export interface RingSourceMeta {
  sourcePath: string;
  isDemo: boolean;
  pollMs?: number;
}

export class RingWindowSource implements WindowSource {
  private readonly reader: FrameRingReader;
  private liveSession: ReplaySession | null = null;
  private shape: FrameRingInfo | null = null;
  private raw: RawFrame | null = null;
  private count = 0;
  private done = false;
  private listeners = new Set<() => void>();
  private readyListeners = new Set<() => void>();
  private timer: ReturnType<typeof setInterval> | null;

  constructor(
    sab: SharedArrayBuffer,
    private readonly meta: RingSourceMeta,
  ) {
    this.reader = new FrameRingReader(sab);
    this.timer = setInterval(() => this.poll(), meta.pollMs ?? 100);
    this.timer.unref?.();
  }

  get growing(): boolean {
    return !this.done;
  }
  /** True once a window with a book has been published: the session can be shown. */
  get hasWindows(): boolean {
    return this.liveSession !== null;
  }
  get session(): ReplaySession {
    if (!this.liveSession) throw new SessionDataError('no window with a book has been built yet', 'wait for the first window of the session');
    return this.liveSession;
  }
  get firstAvailable(): number {
    return this.reader.firstHeld();
  }
  /** Windows the ring holds at most. */
  get capacity(): number {
    return this.shape?.capacity ?? 0;
  }

  /** Called once, when the session can first be shown (then growth goes to onGrow). */
  onReady(listener: () => void): () => void {
    this.readyListeners.add(listener);
    return () => this.readyListeners.delete(listener);
  }

  onGrow(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Read the ring's published count; grow (and tell) when it moved. Public for tests and the host's last look before COMMIT. */
  poll(): void {
    if (this.timer === null) return;
    const n = this.reader.windows; // a restarted build (rare: a discarded cache candidate) never shrinks the session
    const finished = this.reader.finished;
    if (!this.liveSession) {
      if (n === 0 || !this.open()) return;
      this.count = this.liveSession!.windowCount;
      for (const l of this.readyListeners) l();
      this.readyListeners.clear();
      return;
    }
    const grew = n > this.count;
    if (grew) this.setCount(n);
    if (finished && n === this.count && !this.done) {
      this.done = true;
      this.liveSession.info.growing = false;
    } else if (!grew) return;
    for (const l of this.listeners) l();
  }

  /** Opens the session on the newest window once it has a spot (the price axis centres on it). */
  private open(): boolean {
    const shape = this.reader.info();
    if (!shape) return false;
    this.shape = shape;
    this.raw ??= new RawFrame(shape.half);
    const n = shape.windows;
    if (!this.reader.read(n - 1, this.raw) || this.raw.gridSpot === 0n) return false;
    const tickInt = BigInt(shape.tickInt);
    const span = BigInt(shape.half + LIVE_PRICE_MARGIN_TICKS) * tickInt;
    const spot = this.raw.gridSpot;
    const first = shape.firstWindowEndNs;
    const info: SessionInfo = {
      datasetId: -1,
      sourcePath: this.meta.sourcePath,
      symbol: shape.symbol,
      timeZone: shape.timeZone,
      firstWindowEndNs: first.toString(),
      lastWindowEndNs: first.toString(),
      windowCount: 1,
      tickInt: shape.tickInt,
      priceMinInt: (spot - span).toString(),
      priceMaxInt: (spot + span).toString(),
      gridHalfWidthTicks: shape.half,
      isDemo: this.meta.isDemo,
      growing: true,
      plannedLastWindowEndNs: (BigInt(shape.sessionEndSec) * NS).toString(),
    };
    this.liveSession = { info, datasetId: -1, tickInt, firstWindowEndNs: first, windowCount: 1, layout: gridLayout(shape.half) };
    this.setCount(n);
    return true;
  }

  private setCount(n: number): void {
    const s = this.liveSession!;
    this.count = n;
    s.windowCount = n;
    s.info.windowCount = n;
    s.info.lastWindowEndNs = (s.firstWindowEndNs + BigInt(n - 1) * NS).toString();
  }

  /** Copies window `index` out of the ring (false when it is not, or no longer, there). */
  readRaw(index: number, out: RawFrame): boolean {
    return this.reader.read(index, out);
  }

  /** Window `index`'s snapshot values and the fields `fieldIndexes` (HEATMAP_FIELDS positions) only. */
  readRawFields(index: number, out: RawFrame, fieldIndexes: readonly number[]): boolean {
    return this.reader.readFields(index, out, fieldIndexes);
  }

  async frame(index: number): Promise<EncodedFrame> {
    const s = this.session;
    if (!Number.isInteger(index) || index < 0 || index >= this.count) {
      throw new SessionDataError(`window ${index} has not been built yet`, 'seek within the windows built so far');
    }
    const raw = new RawFrame(s.layout.half);
    if (!this.reader.read(index, raw)) {
      throw new SessionDataError(
        `window ${index} is no longer in memory`,
        `a session that is still being built keeps its last ${this.capacity} windows; the earlier ones come back when the build is committed`,
      );
    }
    return encodeRawFrame(raw, s.tickInt);
  }

  dispose(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.listeners.clear();
    this.readyListeners.clear();
  }
}
