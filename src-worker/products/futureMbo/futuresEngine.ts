// The one engine for batch and streaming (SPEC §2–§3): it consumes MBO events one by one in
// file order, rebuilds the book, assigns each event to the 1-s window that holds its ts_recv
// (never splitting an exchange event: records that follow a record without F_LAST stay in
// that event's window), and when a window closes it hands a WindowGrid with the window's
// silver and gold values to `onWindow`. Batch ingest is this engine driven as fast as the
// decoder delivers; a live stream pushes the same events as they arrive.
import type { GoldParams } from '../../../contracts/params';
import { F_LAST, F_SNAPSHOT, type MboBatch } from '../../dbn/mboBatch';
import { ASK, BID, OrderBook, type FlowSink } from '../../book/orderBook';
import { GoldState } from '../../fields/goldFields';
import { GRID_FIELD, WindowGrid } from '../../fields/windowGrid';
import { stepOf, type WindowStep } from '../../fields/windowStep';

export interface FuturesEngineConfig {
  instrumentId: number;
  tickInt: number;
  /** Session window [start, end) in whole UTC seconds. */
  sessionStartSec: number;
  sessionEndSec: number;
  gridHalfWidthTicks: number;
  restThresholdMs: number;
  params: GoldParams;
}

export type WindowListener = (g: WindowGrid) => void;

/** Gold as the engine's first step: every later step reads the gold fields it fills. */
class GoldStep implements WindowStep {
  readonly name = 'gold';
  private readonly state: GoldState;
  constructor(params: GoldParams) {
    this.state = new GoldState(params);
  }
  onWindow(g: WindowGrid): void {
    this.state.step(g);
  }
}

export class FuturesEngine implements FlowSink {
  readonly book: OrderBook;
  readonly grid: WindowGrid;
  private readonly cfg: FuturesEngineConfig;
  private stepsFinished = false;
  /** Gold, then the caller's steps, in order (practice 15). */
  readonly steps: readonly WindowStep[];

  /** Second k of the open window, NaN before the first event. */
  private curSec = NaN;
  private prevLacksLast = false;
  private prevWasSnapshot = false;
  /** Absolute tick of ladder cell 0 while a valid session window is open. */
  private ladderLo = 0;
  /** Events of the selected instrument applied so far. */
  events = 0;
  /** Windows emitted (inside the session). */
  windows = 0;
  validWindows = 0;
  /** Set once an event at or after the session end has been seen outside an open event. */
  done = false;
  /** Events of other instruments (ignored). */
  otherInstrumentEvents = 0;

  /** `steps`: what runs after gold on every closed window (a bare listener is one step). */
  constructor(cfg: FuturesEngineConfig, steps: WindowListener | readonly WindowStep[]) {
    this.cfg = cfg;
    const after = typeof steps === 'function' ? [stepOf('listener', steps)] : steps;
    this.steps = [new GoldStep(cfg.params), ...after];
    this.book = new OrderBook(cfg.tickInt, cfg.restThresholdMs);
    this.grid = new WindowGrid(cfg.gridHalfWidthTicks, Math.max(cfg.params.walls_top_n, cfg.params.voids_top_n));
  }

  /**
   * Feed rows [from, to) of a batch. Returns the index of the first row not consumed: `to`,
   * or earlier when the session is over (`done`), so the caller can stop reading and knows
   * exactly which rows belong to the build (Bronze keeps rows up to there).
   */
  pushBatch(b: MboBatch, from = 0, to = b.count): number {
    const iid = this.cfg.instrumentId;
    const endSec = this.cfg.sessionEndSec;
    const book = this.book;
    const iidCol = b.instrumentId;
    const secCol = b.tsRecvSec;
    const flagsCol = b.flags;
    // Hot state in locals; written back before anything that may read it (window callbacks).
    let curSec = this.curSec;
    let lacksLast = this.prevLacksLast;
    let wasSnapshot = this.prevWasSnapshot;
    let events = this.events;
    let others = 0;
    // Records [run, i) belong to the open window: the book applies them in one call
    // (applyRange) when the window changes or the rows end.
    let run = from;
    let i = from;
    for (; i < to; i++) {
      if (iidCol[i] !== iid) {
        others++;
        continue;
      }
      const sec = secCol[i];
      const flags = flagsCol[i];
      const snapshot = (flags & F_SNAPSHOT) !== 0;
      // A new second opens a new window unless this record continues the previous exchange
      // event (a snapshot's last record may lack F_LAST: the first live record after it starts
      // a new event). A decreasing ts_recv (sec < curSec) stays in the open window.
      if (sec !== curSec && !(lacksLast && !(wasSnapshot && !snapshot)) && !(sec < curSec)) {
        this.events = events;
        if (run < i) book.applyRange(b, run, i, iid);
        run = i;
        if (curSec !== curSec) {
          this.curSec = curSec = sec;
          if (sec >= endSec) {
            this.done = true;
            break;
          }
          this.openWindow(sec);
        } else if (!this.advanceTo(sec)) {
          curSec = this.curSec;
          break;
        }
        curSec = this.curSec;
      }
      events++;
      lacksLast = (flags & F_LAST) === 0;
      wasSnapshot = snapshot;
    }
    this.events = events;
    this.prevLacksLast = lacksLast;
    this.prevWasSnapshot = wasSnapshot;
    this.otherInstrumentEvents += others;
    if (run < i) book.applyRange(b, run, i, iid);
    return i;
  }

  /** Close the open window and every empty session window before `sec`, then open `sec`. False when the session is over. */
  private advanceTo(sec: number): boolean {
    const { sessionStartSec: s0, sessionEndSec: s1 } = this.cfg;
    this.closeWindow(this.curSec);
    // Empty windows inside the session still get their rows (and advance the EMAs).
    let k = Math.max(this.curSec + 1, s0);
    const stop = Math.min(sec, s1);
    for (; k < stop; k++) {
      this.openWindow(k);
      this.closeWindow(k);
    }
    this.curSec = sec;
    if (sec >= s1) {
      this.done = true;
      this.book.clearFlowTarget();
      return false;
    }
    this.openWindow(sec);
    return true;
  }

  /** End of input: close the open window (nothing is invented after the last event). */
  finish(): void {
    if (this.curSec === this.curSec && !this.done) {
      this.closeWindow(this.curSec);
      this.done = true;
    }
    this.book.clearFlowTarget();
    if (this.stepsFinished) return;
    this.stepsFinished = true;
    for (const s of this.steps) s.finish?.();
  }

  private inSession(k: number): boolean {
    return k >= this.cfg.sessionStartSec && k < this.cfg.sessionEndSec;
  }

  private openWindow(k: number): void {
    const g = this.grid;
    const book = this.book;
    book.clearFlowTarget();
    if (!this.inSession(k)) return;
    g.windowSec = k;
    const bb = book.bestBidTick;
    const ba = book.bestAskTick;
    g.bestBidTick = bb;
    g.bestAskTick = ba;
    g.bestBidQty = bb === bb ? book.qtyAt(BID, bb) : 0;
    g.bestAskQty = ba === ba ? book.qtyAt(ASK, ba) : 0;
    g.lastTradePriceInt = book.lastTradePriceInt;
    g.valid = bb === bb && ba === ba && bb < ba;
    if (!g.valid) {
      g.spotTick = NaN;
      return;
    }
    g.spotTick = spotRefTick(bb, ba, g.lastTradePriceInt, this.cfg.tickInt);
    const half = g.half;
    const W = g.width;
    this.ladderLo = g.spotTick - half;
    book.readLadder(BID, this.ladderLo, W, g.depthStart, 0);
    book.readLadder(ASK, this.ladderLo, W, g.depthStart, W);
    // addQty, pullQty, pullRest, fillQty are adjacent in the grid's buffer: one fill.
    g.buf.fill(0, GRID_FIELD.add_qty * g.cells, (GRID_FIELD.fill_qty + 1) * g.cells);
    book.setFlowTarget(this.ladderLo, W, g.addQty, g.pullQty, g.pullRest, g.fillQty);
  }

  private closeWindow(k: number): void {
    this.book.clearFlowTarget();
    if (!this.inSession(k)) return;
    const g = this.grid;
    if (g.valid) {
      const W = g.width;
      const book = this.book;
      const endT = book.clockAt(k + 1);
      book.readLadder(BID, this.ladderLo, W, g.depthEnd, 0, g.depthRest, endT);
      book.readLadder(ASK, this.ladderLo, W, g.depthEnd, W, g.depthRest, endT);
      this.validWindows++;
    } else g.rowCount = 0;
    // Gold first (its per-cell pass also sets the silver row flags hasRow, rowCount), then the rest.
    this.windows++;
    const steps = this.steps;
    for (let i = 0; i < steps.length; i++) steps[i].onWindow(g);
  }

  // ---- FlowSink (kept for callers that attach the engine as a sink; the engine itself has the
  // book sum into the grid directly, see openWindow) ----
  onAdd(side: number, tick: number, qty: number): void {
    const j = tick - this.ladderLo;
    if (j >= 0 && j < this.grid.width) this.grid.addQty[side * this.grid.width + j] += qty;
  }
  onRemove(side: number, tick: number, fill: number, pull: number, pullRest: number): void {
    const j = tick - this.ladderLo;
    if (j < 0 || j >= this.grid.width) return;
    const c = side * this.grid.width + j;
    const g = this.grid;
    g.fillQty[c] += fill;
    g.pullQty[c] += pull;
    g.pullRest[c] += pullRest;
  }
}

/**
 * spot_ref (SPEC §3), as a tick: the last trade price if it lies within [best bid, best ask];
 * else the best bid or ask nearest to it; with no trade yet, the best bid.
 */
export function spotRefTick(bidTick: number, askTick: number, lastTradePriceInt: number, tickInt: number): number {
  if (lastTradePriceInt !== lastTradePriceInt) return bidTick;
  const lt = lastTradePriceInt / tickInt;
  if (lt >= bidTick && lt <= askTick) return Math.round(lt);
  return lt < bidTick ? bidTick : askTick;
}
