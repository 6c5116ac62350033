// The running engine as a window source: a WindowStep that cuts each closed window's frame
// from the engine's WindowGrid (GridFrameEncoder, byte-identical to the stored build's frame)
// and keeps the latest `capacity` of them in a ring. The session grows by one window per
// closed window and stops growing at `finish` (end of the file or of the feed).
//
// The ring bounds memory (≈ 92 KB per frame at half-width 200: 600 windows ≈ 55 MB); a window
// that has left it is read from the committed build instead once there is one (the host swaps
// to a DuckDbWindowSource after COMMIT); until then it answers a typed error.
import type { SessionInfo } from '../../contracts/protocol';
import type { WindowGrid } from '../fields/windowGrid';
import type { WindowStep } from '../fields/windowStep';
import { GridFrameEncoder, type EncodedFrame } from './frameEncoder';
import { gridLayout } from './gridLayout';
import { SessionDataError, type ReplaySession } from './sessionInfo';
import type { WindowSource } from './windowSource';

const NS = 1_000_000_000n;

export interface LiveSessionMeta {
  sourcePath: string;
  symbol: string;
  timeZone: string;
  tickInt: number;
  isDemo: boolean;
}

export class LiveWindowSource implements WindowSource, WindowStep {
  readonly name = 'live_frames';
  private readonly ring: (EncodedFrame | undefined)[];
  private encoder: GridFrameEncoder;
  private count = 0;
  private growingNow = true;
  private listeners = new Set<() => void>();
  private liveSession: ReplaySession | null = null;

  constructor(
    private readonly meta: LiveSessionMeta,
    private readonly capacity = 600,
  ) {
    if (!(capacity >= 1)) throw new RangeError('a live source keeps at least one window');
    this.ring = new Array(capacity);
    this.encoder = new GridFrameEncoder(BigInt(meta.tickInt));
  }

  get growing(): boolean {
    return this.growingNow;
  }
  /** Windows closed so far. */
  get windowCount(): number {
    return this.count;
  }
  /** The session once its first window has closed (before that there is nothing to show). */
  get session(): ReplaySession {
    if (!this.liveSession) throw new SessionDataError('no window has closed yet', 'wait for the first window of the session');
    return this.liveSession;
  }
  get hasWindows(): boolean {
    return this.liveSession !== null;
  }
  get firstAvailable(): number {
    return this.firstKept;
  }
  /** Oldest window still in memory. */
  get firstKept(): number {
    return Math.max(0, this.count - this.capacity);
  }

  // ---- WindowStep: the engine's windows come in here ----------------------------------
  onWindow(g: WindowGrid): void {
    const f = this.encoder.encode(g);
    if (!this.liveSession) this.liveSession = this.openSession(g, f.windowEndNs);
    this.ring[this.count % this.capacity] = f;
    this.count++;
    const s = this.liveSession;
    s.windowCount = this.count;
    s.info.windowCount = this.count;
    s.info.lastWindowEndNs = f.windowEndNs.toString();
    this.notify();
  }

  finish(): void {
    if (!this.growingNow) return;
    this.growingNow = false;
    if (this.liveSession) this.liveSession.info.growing = false;
    this.notify();
  }

  private openSession(g: WindowGrid, firstEnd: bigint): ReplaySession {
    const tickInt = BigInt(this.meta.tickInt);
    // The price range of what is known: the first window's ladder (a growing session's range
    // is not re-announced; the window widens its view from the frames it gets).
    const spot = g.valid ? BigInt(g.spotTick * this.meta.tickInt) : 0n;
    const half = BigInt(g.half) * tickInt;
    const info: SessionInfo = {
      datasetId: -1,
      sourcePath: this.meta.sourcePath,
      symbol: this.meta.symbol,
      timeZone: this.meta.timeZone,
      firstWindowEndNs: firstEnd.toString(),
      lastWindowEndNs: firstEnd.toString(),
      windowCount: 0,
      tickInt: this.meta.tickInt,
      priceMinInt: (spot === 0n ? 0n : spot - half).toString(),
      priceMaxInt: (spot === 0n ? 0n : spot + half).toString(),
      gridHalfWidthTicks: g.half,
      isDemo: this.meta.isDemo,
      growing: true,
    };
    return { info, datasetId: -1, tickInt, firstWindowEndNs: firstEnd, windowCount: 0, layout: gridLayout(g.half) };
  }

  // ---- WindowSource ---------------------------------------------------------------------
  async frame(index: number): Promise<EncodedFrame> {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) {
      throw new SessionDataError(`window ${index} has not been built yet`, 'seek within the windows built so far');
    }
    if (index < this.firstKept) {
      throw new SessionDataError(`window ${index} is no longer in memory`, `only the last ${this.capacity} windows of a session that is still being built are kept; they come back when the build is committed`);
    }
    return this.ring[index % this.capacity]!;
  }

  /** End time of window index (for callers that address windows by time). */
  windowEndNs(index: number): bigint {
    return this.session.firstWindowEndNs + BigInt(index) * NS;
  }

  onGrow(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }

  dispose(): void {
    this.listeners.clear();
    this.ring.fill(undefined);
  }
}
