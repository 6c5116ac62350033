// The futures order-flow model: a queue-reactive limit order book in the spirit of
// Huang–Lehalle–Rosenbaum. Order arrivals, cancellations and market orders are drawn with
// intensities that depend on the queue sizes at the touch, the distance to the touch and a
// latent fair value; the price moves only through the book (a best queue is depleted by
// trades or pulls, or a new level is opened inside the spread); informed flow takes or pulls
// a touch the latent fair value has passed, so the mid follows it without trending behind it
// (issue 12; docs/SIMULATOR.md, Mid dynamics). On top: volatility
// clustering (a log-OU variance factor), self-exciting bursts after trades (Hawkes-like),
// news jumps, heavy-tailed sizes, lifetimes from milliseconds to hours, walls that build and
// get pulled, iceberg refills and spoof-like flickering far from the touch.
//
// Output is a stream of MboBatch column batches (reused), following Databento's CME
// conventions; see docs/SIMULATOR.md.
import type { MboBatch } from '../dbn/mboBatch';
import { EventWriter } from './eventWriter';
import { SimBook } from './simBook';
import { Rng } from './rng';
import { TimerWheel } from './timerWheel';
import { activityAt } from './sessionClock';

export interface FuturesSimConfig {
  /** UTC epoch second that relative time 0 refers to (the session start). */
  t0Sec: number;
  /** Length of the simulated span in ns (relative to t0Sec). */
  durationNs: number;
  /** Offset of America/New_York from UTC at the start (s), for the intraday activity profile. */
  nyOffsetSec: number;
  instrumentId: number;
  publisherId?: number;
  channelId?: number;
  /** Price increment in 1e-9 units (ES: 0.25 → 250_000_000). */
  tickE9: number;
  /** Opening price in ticks (ES 6,500.00 → 26_000). */
  startTick: number;
  seed: number;
  /** Multiplies every arrival rate (1.0 ≈ 3–5 M MBO records in the first RTH hour). */
  intensity: number;
  /** Emit an R (clear book) before the start-of-day snapshot. */
  clearBeforeSnapshot?: boolean;
  batchCapacity?: number;
}

/** Observable state for the options generator (the underlying's book) — read between batches. */
export interface UnderlyingView {
  /** Mid price in 1e-9 units at the end of the last batch. */
  midE9: number;
  /** Relative ns of the last event. */
  tNs: number;
}

// ASCII codes and sides as local literals (module imports are getters under tsx: too slow here)
const ACTION_ADD = 0x41;
const ACTION_CANCEL = 0x43;
const ACTION_MODIFY = 0x4d;
const ACTION_CLEAR = 0x52;
const ACTION_TRADE = 0x54;
const ACTION_FILL = 0x46;
const SIDE_ASK = 0x41;
const SIDE_BID = 0x42;
const SIDE_NONE = 0x4e;
const BID = 0;
const ASK = 1;

// Arrival rate (adds + market orders + pulls) per second at activity 1.0 and intensity 1.0.
const BASE_ARRIVALS_PER_SEC = 200;
// The fair value's volatility grows with the market's activity: σ² ∝ activity (a busier
// clock-time hour moves more) and σ ∝ intensity^0.35 (a thinner market, fewer messages and
// less information per second: the real quiet ES hour moves ≈ 0.3 tick/√s where a busy RTH
// open moves ≈ 1). Before issue 12 the volatility ignored the intensity, so at low intensity
// the book could not keep up with the fair value and the mid trended behind it.
const FAIR_VOL_INTENSITY_EXP = 0.35;
// Informed flow: when the fair value has passed the touch by more than a threshold, an
// arrival is informed with this probability and either takes the stale touch or pulls from it.
// The threshold (ticks beyond the touch price) shrinks as the market gets busier: arbitrage
// of a stale quote is faster where more traders watch it — 1 tick at ≤ 20 arrivals/s, 0.25
// tick at ≥ 80 arrivals/s, log-linear between.
const INFORMED_P = 0.5;
const INFORMED_SWEEP_SHARE = 0.1;
const INFORMED_THETA_QUIET = 1;
const INFORMED_THETA_BUSY = 0.25;
const INFORMED_RATE_QUIET = 20;
const INFORMED_RATE_BUSY = 80;
const LATENT_STEP_NS = 50_000_000;
const KIND_NORMAL = 0;
const KIND_ICEBERG = 1;
const KIND_WALL = 2;
const KIND_FLICKER = 3;

const AG_FREE = 0;
const AG_WALL = 1;
const AG_FLICKER = 2;
const MAX_AGENTS = 64;
const MAX_PIECES = 24;
const MAX_FILLS = 1500;

export class FuturesSim {
  readonly cfg: FuturesSimConfig;
  readonly book: SimBook;
  readonly writer: EventWriter;
  private readonly rng: Rng;
  private readonly latentRng: Rng;
  private readonly sched = new TimerWheel();
  private readonly tickE9: number;
  private readonly iid: number;

  private t = 0;
  private nextOid: number;
  // latent processes
  private fair: number; // fair value in level units (float)
  private volX = 0; // log variance factor, OU
  private excite = 0; // Hawkes-like excitation
  private procT = 0;
  private actSec = -1;
  private act = 0;
  private volMult = 1;
  /** Lifetime divisor: activity^0.9 (resting depth ∝ activity^0.1: busier, not deeper). */
  private churn = 1;
  /** Mispricing (ticks beyond the touch) that informed traders act on, from the activity. */
  private informedTheta = INFORMED_THETA_QUIET;
  private readonly fairVolScale: number;

  // fill scratch
  private readonly fillSlot = new Int32Array(MAX_FILLS);
  private readonly fillQty = new Int32Array(MAX_FILLS);

  // agents
  private readonly agType = new Uint8Array(MAX_AGENTS);
  private readonly agGen = new Int32Array(MAX_AGENTS);
  private readonly agSide = new Uint8Array(MAX_AGENTS);
  private readonly agLevel = new Int32Array(MAX_AGENTS);
  private readonly agPhase = new Uint8Array(MAX_AGENTS);
  private readonly agTarget = new Int32Array(MAX_AGENTS);
  private readonly agPlaced = new Int32Array(MAX_AGENTS);
  private readonly agCycles = new Int32Array(MAX_AGENTS);
  private readonly agUntil = new Float64Array(MAX_AGENTS);
  private readonly agNPieces = new Int32Array(MAX_AGENTS);
  private readonly agSlot = new Int32Array(MAX_AGENTS * MAX_PIECES);
  private readonly agSlotGen = new Int32Array(MAX_AGENTS * MAX_PIECES);
  private nWalls = 0;
  private nFlickers = 0;

  // underlying mid samples for the options generator, drained by the consumer after each
  // batch: taken when the mid changes (at most one per 5 ms) and at least every 100 ms, so
  // option market makers can re-quote right after the future ticks
  readonly sampleNs = 100_000_000;
  readonly sampleMinGapNs = 5_000_000;
  readonly sampleT = new Float64Array(4096);
  readonly sampleMid = new Float64Array(4096);
  nSamples = 0;
  private lastSampleT = -1e18;
  private lastSampleMid = NaN;

  /** Counts by kind of model action, for tests and the summary. */
  readonly stats = { trades: 0, fills: 0, icebergRefills: 0, walls: 0, wallPulls: 0, flickers: 0, jumps: 0 };

  constructor(cfg: FuturesSimConfig) {
    this.cfg = cfg;
    this.rng = new Rng(cfg.seed);
    this.latentRng = new Rng(cfg.seed ^ 0x1b873593);
    this.tickE9 = cfg.tickE9;
    this.iid = cfg.instrumentId;
    const nLevels = 1 << 15;
    this.book = new SimBook(nLevels, cfg.startTick - (nLevels >> 1), cfg.tickE9);
    this.writer = new EventWriter(cfg.t0Sec, new Rng(cfg.seed ^ 0x5bd1e995), cfg.publisherId ?? 1, cfg.channelId ?? 0, 1_000_000 + new Rng(cfg.seed + 7).int(5_000_000), cfg.batchCapacity ?? 1 << 16);
    this.nextOid = 6_400_000_000_000 + this.rng.int(1 << 30) * 16;
    this.fair = nLevels >> 1;
    this.fairVolScale = Math.pow(cfg.intensity, FAIR_VOL_INTENSITY_EXP);
    this.buildTables();
  }

  /** Mid of the current book in 1e-9 units (NaN when one side is empty). */
  midE9(): number {
    const b = this.book;
    if (b.bestBid < 0 || b.bestAsk < 0) return NaN;
    return ((b.bestBid + b.bestAsk) / 2 + b.baseTick) * this.tickE9;
  }

  get nowNs(): number {
    return this.t;
  }

  private px(level: number): number {
    return (level + this.book.baseTick) * this.tickE9;
  }

  // ---------------------------------------------------------------- distributions

  // Distributions are pre-drawn once per day into 4096-entry tables (from the day's seed) and
  // sampled with one random word: the hot path draws several per event and transcendental
  // functions dominated its cost. 4096 draws resolve the tails these models need.
  private readonly sizeTable = new Int32Array(4096);
  private readonly distTable = new Int32Array(4096);
  /** Lifetime in seconds per distance class (0 near, 1 mid, 2 deep, 3 snapshot); sign bit = long-lived class. */
  private readonly lifeTable = new Float64Array(4 * 4096);

  private buildTables(): void {
    const r = new Rng(this.cfg.seed ^ 0x3c6ef372);
    for (let i = 0; i < 4096; i++) {
      // limit order size: mostly 1–3 lots, Pareto tail, a preference for round numbers
      const u = r.next();
      let s: number;
      if (u < 0.55) s = 1;
      else if (u < 0.68) s = 2;
      else if (u < 0.74) s = 3;
      else {
        s = Math.floor(3 / Math.pow(1 - r.next(), 1 / 1.25));
        if (s > 1500) s = 1500;
        if (s >= 8 && r.next() < 0.35) s = Math.max(5, Math.round(s / 5) * 5);
        if (s >= 40 && r.next() < 0.5) s = Math.round(s / 10) * 10;
      }
      this.sizeTable[i] = s;
      // distance behind the touch of a non-touch add: Pareto(1, 0.6), folded into 1..400
      let d = Math.floor(1 / Math.pow(1 - r.next(), 1 / 0.6));
      if (d > 400) d = 1 + (d % 400);
      this.distTable[i] = d;
      for (let c = 0; c < 4; c++) {
        const pFast = [0.4, 0.3, 0.15, 0.02][c];
        const pMed = [0.55, 0.58, 0.45, 0.35][c];
        const longMedian = [120, 300, 900, 900][c];
        const v = r.next();
        let life: number;
        let long = false;
        if (v < pFast) life = r.logNormal(0.25, 1.6);
        else if (v < pFast + pMed) life = r.logNormal(6, 1.3);
        else {
          life = r.logNormal(longMedian, 1.2);
          long = true;
        }
        life = Math.min(life, 6 * 3600);
        this.lifeTable[c * 4096 + i] = long ? -life : life;
      }
    }
  }

  private drawSize(): number {
    return this.sizeTable[this.rng.u32() >>> 20];
  }

  /** Resting time (ns) by distance from the touch: fleeting HFT quotes, minutes, or hours. */
  private drawLifetime(d: number, snapshot = false): number {
    const u = this.rng.u32();
    const c = snapshot ? 3 : d <= 2 ? 0 : d <= 20 ? 1 : 2;
    let s = this.lifeTable[c * 4096 + (u >>> 20)];
    // continuous jitter from the low bits so lifetimes do not repeat exactly
    const jit = 0.85 + 0.3 * ((u & 0xfffff) / 0x100000);
    // busier markets churn faster: orders live shorter when activity is high, so the open is
    // busier without the resting book suddenly doubling (and quiet hours keep orders for hours)
    if (s < 0) s = snapshot ? -s : -s / this.churn;
    else if (!snapshot) s /= this.churn;
    return Math.max(50_000, Math.round(s * jit * 1e9));
  }

  // ---------------------------------------------------------------- latent processes

  private updateActivity(): void {
    const sec = Math.floor(this.t / 1e9);
    if (sec === this.actSec) return;
    this.actSec = sec;
    const ny = (((this.cfg.t0Sec + sec + this.cfg.nyOffsetSec) % 86400) + 86400) % 86400;
    this.act = activityAt(ny);
    this.churn = Math.pow(Math.max(this.act, 0.03), 0.9);
  }

  private advance(tNew: number): void {
    this.t = tNew;
    if (tNew - this.procT < LATENT_STEP_NS) return;
    // latent processes step on a fixed 50-ms grid with their own random stream, so the day's
    // story (volatility regime, fair value, news) is the same for every --intensity
    const r = this.latentRng;
    const dtS = LATENT_STEP_NS / 1e9;
    const decay = Math.exp(-dtS / 3);
    const a = Math.exp(-dtS / 360);
    const sa = 0.45 * Math.sqrt(1 - a * a);
    while (tNew - this.procT >= LATENT_STEP_NS) {
      this.procT += LATENT_STEP_NS;
      // self-excitation decays with a 3-s memory
      if (this.excite > 0) {
        this.excite *= decay;
        if (this.excite < 1e-4) this.excite = 0;
      }
      // volatility factor: log-OU, 6-minute memory, stationary sd 0.45
      this.volX = this.volX * a + sa * r.normal();
      // fair value: ~0.7 tick/√s at activity 1, scaled by the vol factor
      const volMult = Math.exp(this.volX - 0.5 * 0.45 * 0.45);
      const sig = 0.7 * this.fairVolScale * Math.sqrt(Math.max(this.act, 0.02) * volMult);
      this.fair += sig * Math.sqrt(dtS) * r.normal();
      // rare news jumps with a burst of activity
      if (r.next() < (dtS * this.act) / 1500) {
        const j = (4 + r.pareto(3, 1.6)) * (r.next() < 0.5 ? -1 : 1);
        this.fair += Math.max(-40, Math.min(40, j));
        this.bumpExcite(2.5);
        this.stats.jumps++;
      }
    }
    this.volMult = Math.exp(this.volX - 0.5 * 0.45 * 0.45);
    const calmRate = BASE_ARRIVALS_PER_SEC * this.cfg.intensity * Math.max(this.act, 0.02) * this.volMult;
    const busy = Math.min(1, Math.max(0, Math.log(calmRate / INFORMED_RATE_QUIET) / Math.log(INFORMED_RATE_BUSY / INFORMED_RATE_QUIET)));
    this.informedTheta = INFORMED_THETA_QUIET + (INFORMED_THETA_BUSY - INFORMED_THETA_QUIET) * busy;
    // keep the fair value from running away from the book (the book is the price)
    const mid = this.midLevel();
    if (this.fair - mid > 30) this.fair = mid + 30;
    if (mid - this.fair > 30) this.fair = mid - 30;
  }

  /** Pressure of the fair value on the book, tanh((V − mid)/2), cached until the mid or V changes. */
  private gMid = NaN;
  private gFair = NaN;
  private gVal = 0;
  private gNow(): number {
    const mid = this.midLevel();
    if (mid !== this.gMid || this.fair !== this.gFair) {
      this.gMid = mid;
      this.gFair = this.fair;
      this.gVal = Math.tanh((this.fair - mid) / 2);
    }
    return this.gVal;
  }

  private exciteNow(): number {
    return this.excite;
  }

  private bumpExcite(x: number): void {
    this.excite = Math.min(6, this.excite + x);
  }

  private midLevel(): number {
    const b = this.book;
    if (b.bestBid >= 0 && b.bestAsk >= 0) return (b.bestBid + b.bestAsk) / 2;
    if (b.bestBid >= 0) return b.bestBid + 0.5;
    if (b.bestAsk >= 0) return b.bestAsk - 0.5;
    return this.book.nLevels >> 1;
  }

  private refBid(): number {
    const b = this.book;
    return b.bestBid >= 0 ? b.bestBid : b.bestAsk >= 0 ? b.bestAsk - 1 : (b.nLevels >> 1) - 1;
  }

  private refAsk(): number {
    const b = this.book;
    return b.bestAsk >= 0 ? b.bestAsk : b.bestBid >= 0 ? b.bestBid + 1 : b.nLevels >> 1;
  }

  // ---------------------------------------------------------------- main loop

  /** Streams the day as reused MboBatch objects (consume each before pulling the next). */
  *batches(): Generator<MboBatch> {
    const w = this.writer;
    this.emitSnapshot();
    const end = this.cfg.durationNs;
    // the hot loop lives in a plain method (generators optimise less well)
    while (!this.fill(end)) {
      yield w.batch;
      w.batch.count = 0;
      this.nSamples = 0;
    }
    if (w.batch.count > 0 || this.nSamples > 0) {
      yield w.batch;
      w.batch.count = 0;
      this.nSamples = 0;
    }
  }

  /** Runs events until the batch (or the sample buffer) is full — false — or the session ends — true. */
  private fill(end: number): boolean {
    const w = this.writer;
    const r = this.rng;
    const sched = this.sched;
    const baseRate = (BASE_ARRIVALS_PER_SEC * this.cfg.intensity) / 1e9;
    for (;;) {
      this.updateActivity();
      const rate = baseRate * this.act * this.volMult * (1 + this.exciteNow());
      const tArr = rate > 0 ? this.t + Math.max(1, Math.round(r.exp() / rate)) : (Math.floor(this.t / 60e9) + 1) * 60e9;
      const tS = sched.peekTime();
      if (tS <= tArr) {
        if (tS >= end) return true;
        sched.pop();
        this.advance(tS);
        this.onScheduled(sched.popKey, sched.popGen);
      } else {
        if (tArr >= end) return true;
        this.advance(tArr);
        if (rate > 0) this.onArrival(rate * 1e9);
      }
      if (this.t - this.lastSampleT >= this.sampleMinGapNs) {
        const mid = this.midE9();
        if (mid !== this.lastSampleMid || this.t - this.lastSampleT >= this.sampleNs) {
          this.lastSampleT = this.t;
          this.lastSampleMid = mid;
          this.sampleT[this.nSamples] = this.t;
          this.sampleMid[this.nSamples++] = mid;
          if (this.nSamples === 4096) return false;
        }
      }
      if (w.batch.count >= w.flushAt) return false;
    }
  }

  // ---------------------------------------------------------------- snapshot

  private emitSnapshot(): void {
    const w = this.writer;
    const b = this.book;
    const r = this.rng;
    const mid = b.nLevels >> 1;
    const bid0 = mid - 1;
    const ask0 = mid;
    // the steady-state book grows with the arrival rate: start from a consistent one
    const touch = 30 * Math.min(2, Math.max(0.15, Math.sqrt(this.cfg.intensity)));
    if (this.cfg.clearBeforeSnapshot) {
      w.beginEvent(0, this.iid);
      w.rec(ACTION_CLEAR, SIDE_NONE, NaN, 0, 0);
      w.endEvent();
    }
    // the book as the snapshot server last saw it: a hump a few ticks behind the touch, a
    // long thin tail of stale far orders
    for (let side = 0; side < 2; side++) {
      for (let d = 0; d < 1200; d++) {
        let target: number;
        if (d < 160) {
          const hump = 0.7 + 1.7 * Math.exp(-(((d - 10) / 14) ** 2));
          target = touch * hump * (d > 80 ? Math.exp(-(d - 80) / 60) : 1) * (0.6 + 0.8 * r.next());
        } else {
          if (r.next() > 0.22) continue;
          target = 1 + r.int(4);
        }
        const level = side === BID ? bid0 - d : ask0 + d;
        let q = 0;
        while (q < target) {
          let s = this.drawSize();
          if (d >= 160) s = Math.min(s, 2 + r.int(40));
          const slot = b.add(side, level, s, this.nextOid, KIND_NORMAL, 0);
          this.nextOid += 1 + r.int(3);
          this.sched.push(this.drawLifetime(d, true), slot, b.gen[slot]);
          q += s;
        }
      }
    }
    // write queue by queue, best levels first (bids then asks), one snapshot event
    const tBuilt = -Math.round((600 + r.next() * 30000) * 1e9);
    w.beginSnapshot(tBuilt, 0, this.iid);
    for (let side = 0; side < 2; side++) {
      for (let d = 0; d < 1200; d++) {
        const level = side === BID ? bid0 - d : ask0 + d;
        for (let s = b.levelHead(side, level); s >= 0; s = b.next[s]) {
          w.rec(ACTION_ADD, side === BID ? SIDE_BID : SIDE_ASK, this.px(level), b.sz[s], b.oid[s]);
        }
      }
    }
    w.endEvent();
    this.fair = (b.bestBid + b.bestAsk) / 2;
  }

  // ---------------------------------------------------------------- arrivals

  private onArrival(ratePerSec: number): void {
    const r = this.rng;
    const b = this.book;
    const g = this.gNow();
    // rare agents, expressed as a time rate (per second) divided by the arrival rate
    const u0 = r.next() * ratePerSec;
    const wallRate = this.act / 35;
    const flickRate = this.act / 12;
    if (u0 < wallRate) {
      this.spawnWall(g);
      return;
    }
    if (u0 < wallRate + flickRate) {
      this.spawnFlicker();
      return;
    }
    // informed flow: the fair value is past the touch, the quote there is stale — it is taken
    // or pulled now (not dragged along over many seconds, which made the mid trend)
    if (b.bestBid >= 0 && b.bestAsk >= 0) {
      const up = this.fair - b.bestAsk > this.informedTheta;
      if ((up || b.bestBid - this.fair > this.informedTheta) && r.next() < INFORMED_P) {
        // the sweep takes every level the fair value has passed (a news jump is priced at once)
        if (r.next() < INFORMED_SWEEP_SHARE) this.marketOrder(up ? BID : ASK, g, up ? Math.max(b.bestAsk, Math.floor(this.fair - this.informedTheta)) : Math.min(b.bestBid, Math.ceil(this.fair + this.informedTheta)));
        else this.pullAtTouch(up ? ASK : BID, true);
        return;
      }
    }
    const u = r.next();
    const pMkt = 0.065 * (1 + 0.6 * Math.abs(g));
    if (u < pMkt) {
      const qb = b.bestBid >= 0 ? b.levelQty(BID, b.bestBid) : 0;
      const qa = b.bestAsk >= 0 ? b.levelQty(ASK, b.bestAsk) : 0;
      const imb = qb + qa > 0 ? (qb - qa) / (qb + qa) : 0;
      const pBuy = 0.5 + 0.36 * g + 0.12 * imb;
      this.marketOrder(r.next() < pBuy ? BID : ASK, g);
      return;
    }
    // queue-reactive cancellation: the bigger the touch queues, the more of them is pulled
    const qb = b.bestBid >= 0 ? b.levelQty(BID, b.bestBid) : 0;
    const qa = b.bestAsk >= 0 ? b.levelQty(ASK, b.bestAsk) : 0;
    const pPull = 0.05 + 0.09 * Math.min(2.5, (qb + qa) / 300);
    if (u < pMkt + pPull) {
      // pull at the touch, mostly on the side the pressure leans against (and the fuller one)
      const lean = 0.5 + 0.42 * g + 0.15 * (qa - qb) / Math.max(1, qa + qb);
      const side = r.next() < lean ? ASK : BID;
      this.pullAtTouch(side, r.next() < 0.22);
      return;
    }
    this.limitAdd(g);
  }

  private limitAdd(g: number): void {
    const r = this.rng;
    const b = this.book;
    const side = r.next() < 0.5 + 0.12 * g ? BID : ASK;
    const bb = this.refBid();
    const ba = this.refAsk();
    const spread = ba - bb;
    let level: number;
    let d: number;
    if (spread > 1 && r.next() < 0.6) {
      // a new level inside the spread: the queue-reactive way the price improves
      d = 0;
      const k = 1 + r.int(Math.min(spread - 1, 2));
      level = side === BID ? bb + k : ba - k;
    } else {
      const own = side === BID ? (b.bestBid >= 0 ? b.levelQty(BID, b.bestBid) : 0) : b.bestAsk >= 0 ? b.levelQty(ASK, b.bestAsk) : 0;
      let pBest = 0.08 + 0.3 * (40 / (40 + own));
      if ((side === ASK && g > 0) || (side === BID && g < 0)) pBest *= 1 - 0.6 * Math.abs(g);
      if (r.next() < pBest) d = 0;
      else {
        d = this.distTable[r.u32() >>> 20];
      }
      level = side === BID ? bb - d : ba + d;
    }
    if (level < 0 || level >= b.nLevels) return;
    let size = this.drawSize();
    if (d >= 4 && r.next() < 0.18) {
      // resting size clusters on whole points (and more on 5-point levels), a little larger
      const abs = level + b.baseTick;
      const m = r.next() < 0.3 ? 20 : 4;
      const snapped = (side === BID ? Math.floor(abs / m) * m : Math.ceil(abs / m) * m) - b.baseTick;
      if (snapped >= 0 && snapped < b.nLevels) {
        level = snapped;
        d = side === BID ? bb - level : level - ba;
        size += Math.floor(r.pareto(2, 1.5));
      }
    }
    let kind = KIND_NORMAL;
    let hidden = 0;
    if (d <= 2 && r.next() < 0.003) {
      kind = KIND_ICEBERG;
      hidden = Math.floor(r.pareto(20, 1.2));
      if (hidden > 2000) hidden = 2000;
      size = 1 + r.int(10);
    }
    const slot = this.addOrder(side, level, size, kind);
    b.aux[slot] = hidden;
    this.sched.push(this.t + this.drawLifetime(d), slot, b.gen[slot]);
  }

  /** One A record as its own event; returns the slot. */
  private addOrder(side: number, level: number, size: number, kind: number): number {
    const w = this.writer;
    const oid = this.nextOid;
    this.nextOid += 1 + (this.rng.next() < 0.3 ? this.rng.int(6) : 0);
    const slot = this.book.add(side, level, size, oid, kind, this.t);
    w.beginEvent(this.t, this.iid);
    w.rec(ACTION_ADD, side === BID ? SIDE_BID : SIDE_ASK, this.px(level), size, oid);
    w.endEvent();
    return slot;
  }

  private pullAtTouch(side: number, burst: boolean): void {
    const b = this.book;
    const r = this.rng;
    const best = side === BID ? b.bestBid : b.bestAsk;
    if (best < 0) return;
    const w = this.writer;
    const sideCode = side === BID ? SIDE_BID : SIDE_ASK;
    const n = burst ? 2 + Math.floor(r.pareto(1, 1.3)) : 1;
    let done = 0;
    let level = best;
    let stepsLeft = 4;
    w.beginEvent(this.t, this.iid);
    while (done < Math.min(n, 40) && stepsLeft > 0) {
      let s = b.levelTail(side, level);
      // newest orders are pulled first, sometimes one a little further up the queue
      for (let k = r.int(3); k > 0 && s >= 0 && b.prev[s] >= 0; k--) s = b.prev[s];
      if (s < 0 || (b.cnt[side * b.nLevels + level] <= 1 && done > 0)) {
        level = side === BID ? level - 1 : level + 1;
        stepsLeft--;
        if (level < 0 || level >= b.nLevels) break;
        continue;
      }
      w.rec(ACTION_CANCEL, sideCode, this.px(level), b.sz[s], b.oid[s]);
      b.remove(s);
      done++;
      if (burst && r.next() < 0.35) {
        level = side === BID ? level - 1 : level + 1;
        stepsLeft--;
        if (level < 0 || level >= b.nLevels) break;
      }
    }
    if (done > 0) w.endEvent();
  }

  /**
   * Market (or marketable limit) order: T per price level, F per resting order, then C/M.
   * `sweepTo` ≥ 0 (informed flow): takes every resting order from the touch through that level.
   */
  private marketOrder(aggSide: number, g: number, sweepTo = -1): void {
    const b = this.book;
    const r = this.rng;
    const w = this.writer;
    const restSide = aggSide === BID ? ASK : BID;
    let level = aggSide === BID ? b.bestAsk : b.bestBid;
    if (level < 0) return;
    let size: number;
    const uq = r.next();
    if (uq < 0.45) size = 1;
    else size = Math.min(300, Math.floor(r.pareto(1.5, 1.6)));
    // occasionally a sweep through the touch (more likely when the fair value has moved)
    if (r.next() < 0.006 * (1 + 2.5 * Math.abs(g))) size = b.levelQty(restSide, level) + Math.floor(r.pareto(1, 1.1));
    if (sweepTo >= 0) {
      size = 0;
      for (let l = level; aggSide === BID ? l <= sweepTo : l >= sweepTo; l += aggSide === BID ? 1 : -1) size += b.levelQty(restSide, l);
    }
    if (size > 5000) size = 5000;
    const aggOid = this.nextOid;
    this.nextOid += 1 + r.int(2);
    const aggCode = aggSide === BID ? SIDE_BID : SIDE_ASK;
    const restCode = restSide === BID ? SIDE_BID : SIDE_ASK;
    const maxLevels = sweepTo >= 0 ? 1 << 20 : 1 + (r.next() < 0.5 ? 0 : r.int(6));
    let remaining = size;
    let nFill = 0;
    let levelsDone = 0;
    let lastLevel = level;
    w.beginEvent(this.t, this.iid);
    while (remaining > 0 && levelsDone < maxLevels && nFill < MAX_FILLS - 64 && level >= 0 && level < b.nLevels) {
      const q = b.levelQty(restSide, level);
      if (q > 0) {
        const take = Math.min(q, remaining);
        w.rec(ACTION_TRADE, aggCode, this.px(level), take, aggOid);
        let left = take;
        for (let s = b.levelHead(restSide, level); s >= 0 && left > 0 && nFill < MAX_FILLS; s = b.next[s]) {
          const f = Math.min(left, b.sz[s]);
          w.rec(ACTION_FILL, restCode, this.px(level), f, b.oid[s]);
          this.fillSlot[nFill] = s;
          this.fillQty[nFill++] = f;
          left -= f;
        }
        remaining -= take - left;
        lastLevel = level;
        levelsDone++;
        if (left > 0) break;
      }
      level = restSide === ASK ? level + 1 : level - 1;
      if (Math.abs(level - lastLevel) > 3 && sweepTo < 0) break;
      if (sweepTo >= 0 && (aggSide === BID ? level > sweepTo : level < sweepTo)) break;
    }
    if (nFill === 0) return; // nothing was written: a T always comes with a fill
    w.nextPacket();
    let refills = 0;
    for (let i = 0; i < nFill; i++) {
      const s = this.fillSlot[i];
      const f = this.fillQty[i];
      const lv = b.lvl[s];
      if (f >= b.sz[s]) {
        w.rec(ACTION_CANCEL, restCode, this.px(lv), f, b.oid[s]);
        const hidden = b.kind[s] === KIND_ICEBERG ? b.aux[s] : 0;
        b.remove(s);
        if (hidden > 0) {
          // iceberg: the next slice appears at the back of the same level, same packet
          const show = Math.min(hidden, 1 + r.int(10));
          const oid = this.nextOid;
          this.nextOid += 1;
          const ns = b.add(restSide, lv, show, oid, KIND_ICEBERG, this.t);
          b.aux[ns] = hidden - show;
          w.rec(ACTION_ADD, restCode, this.px(lv), show, oid);
          this.sched.push(this.t + this.drawLifetime(0), ns, b.gen[ns]);
          refills++;
          this.stats.icebergRefills++;
        }
      } else {
        b.reduce(s, b.sz[s] - f);
        w.rec(ACTION_MODIFY, restCode, this.px(lv), b.sz[s], b.oid[s]);
      }
    }
    // a marketable limit order leaves its unfilled rest on the book (not after a refill:
    // the refill sits at a price the rest would cross)
    if (remaining > 0 && refills === 0 && b.levelQty(restSide, lastLevel) === 0 && r.next() < 0.35) {
      const slot = b.add(aggSide, lastLevel, remaining, aggOid, KIND_NORMAL, this.t);
      w.rec(ACTION_ADD, aggCode, this.px(lastLevel), remaining, aggOid);
      this.sched.push(this.t + this.drawLifetime(0), slot, b.gen[slot]);
    }
    w.endEvent();
    this.stats.trades++;
    this.stats.fills += nFill;
    // self-excitation normalised by the current trade rate: branching ratio ~0.6, so
    // bursts stay bursts and never explode
    const tradesPer3s = 3 * 0.09 * BASE_ARRIVALS_PER_SEC * this.cfg.intensity * Math.max(this.act, 0.02) * this.volMult;
    this.bumpExcite((0.6 * (0.5 + 0.35 * Math.log1p(size - remaining))) / Math.max(tradesPer3s, 1));
  }

  // ---------------------------------------------------------------- scheduled actions

  private onScheduled(key: number, gen: number): void {
    if (this.act === 0) {
      // exchange halt: nothing happens until trading resumes
      this.sched.push((Math.floor(this.t / 60e9) + 1) * 60e9, key, gen);
      return;
    }
    if (key < 0) {
      const a = -key - 1;
      if (this.agGen[a] === gen) this.onAgent(a);
      return;
    }
    const b = this.book;
    const s = key;
    if (!b.live[s] || b.gen[s] !== gen) return; // filled or replaced meanwhile
    const kind = b.kind[s];
    if (kind === KIND_WALL || kind === KIND_FLICKER) return; // agent-managed
    const r = this.rng;
    const w = this.writer;
    const side = b.side[s];
    const sideCode = side === BID ? SIDE_BID : SIDE_ASK;
    const lv = b.lvl[s];
    const u = r.next();
    if (u < 0.45) {
      const v = r.next();
      const size = b.sz[s];
      if (v < 0.55 && size > 1) {
        // size reduction keeps priority
        const ns = 1 + r.int(size - 1);
        b.reduce(s, ns);
        w.beginEvent(this.t, this.iid);
        w.rec(ACTION_MODIFY, sideCode, this.px(lv), ns, b.oid[s]);
        w.endEvent();
        this.sched.push(this.t + this.drawLifetime(3), s, b.gen[s]);
        return;
      }
      if (v < 0.9) {
        // re-price a few ticks (loses priority); never through the other side
        const step = (1 + r.int(3)) * (r.next() < 0.6 ? 1 : -1); // mostly toward the touch
        let nl = side === BID ? lv + step : lv - step;
        if (side === BID && b.bestAsk >= 0 && nl >= b.bestAsk) nl = b.bestAsk - 1;
        if (side === ASK && b.bestBid >= 0 && nl <= b.bestBid) nl = b.bestBid + 1;
        if (nl !== lv && nl >= 0 && nl < b.nLevels) {
          b.requeue(s, nl, size);
          w.beginEvent(this.t, this.iid);
          w.rec(ACTION_MODIFY, sideCode, this.px(nl), size, b.oid[s]);
          w.endEvent();
          const best = side === BID ? b.bestBid : b.bestAsk;
          this.sched.push(this.t + this.drawLifetime(Math.abs(best - nl)), s, b.gen[s]);
          return;
        }
      } else {
        // size increase loses priority
        const ns = size + 1 + Math.floor(r.pareto(1, 1.5));
        b.requeue(s, lv, Math.min(ns, 3000));
        w.beginEvent(this.t, this.iid);
        w.rec(ACTION_MODIFY, sideCode, this.px(lv), b.sz[s], b.oid[s]);
        w.endEvent();
        this.sched.push(this.t + this.drawLifetime(5), s, b.gen[s]);
        return;
      }
    }
    w.beginEvent(this.t, this.iid);
    w.rec(ACTION_CANCEL, sideCode, this.px(lv), b.sz[s], b.oid[s]);
    w.endEvent();
    b.remove(s);
  }

  // ---------------------------------------------------------------- agents: walls and spoofers

  private freeAgent(): number {
    for (let a = 0; a < MAX_AGENTS; a++) if (this.agType[a] === AG_FREE) return a;
    return -1;
  }

  private wake(a: number, dtNs: number): void {
    this.sched.push(this.t + Math.max(1000, Math.round(dtNs)), -a - 1, this.agGen[a]);
  }

  private spawnWall(g: number): void {
    if (this.nWalls >= 8) return;
    const a = this.freeAgent();
    if (a < 0) return;
    const r = this.rng;
    const side = r.next() < 0.5 + 0.2 * g ? BID : ASK;
    let d = 4 + Math.floor(r.pareto(4, 1.2));
    if (d > 60) d = 4 + (d % 56);
    const base = this.book.baseTick;
    // walls sit on round prices: whole points, often multiples of 5 points
    const m = r.next() < 0.5 ? 20 : 4;
    let level = side === BID ? this.refBid() - d : this.refAsk() + d;
    const abs = level + base;
    level = (side === BID ? Math.floor(abs / m) * m : Math.ceil(abs / m) * m) - base;
    if (level < 0 || level >= this.book.nLevels) return;
    this.agType[a] = AG_WALL;
    this.agGen[a]++;
    this.agSide[a] = side;
    this.agLevel[a] = level;
    this.agPhase[a] = 0;
    this.agTarget[a] = Math.min(3000, Math.floor(150 + r.pareto(150, 1.5)));
    this.agPlaced[a] = 0;
    this.agNPieces[a] = 0;
    this.nWalls++;
    this.stats.walls++;
    this.wake(a, r.logNormal(0.3e9, 1));
  }

  private spawnFlicker(): void {
    if (this.nFlickers >= 24) return;
    const a = this.freeAgent();
    if (a < 0) return;
    const r = this.rng;
    this.agType[a] = AG_FLICKER;
    this.agGen[a]++;
    this.agSide[a] = r.next() < 0.5 ? BID : ASK;
    this.agLevel[a] = 8 + r.int(30); // distance from the touch
    this.agTarget[a] = Math.min(800, Math.floor(r.pareto(50, 1.5)));
    this.agCycles[a] = 3 + r.int(30);
    this.agPhase[a] = 0;
    this.agNPieces[a] = 0;
    this.nFlickers++;
    this.stats.flickers++;
    this.wake(a, r.logNormal(0.2e9, 1));
  }

  private releaseAgent(a: number): void {
    if (this.agType[a] === AG_WALL) this.nWalls--;
    else if (this.agType[a] === AG_FLICKER) this.nFlickers--;
    this.agType[a] = AG_FREE;
    this.agGen[a]++;
  }

  private pieceAlive(a: number, k: number): boolean {
    const s = this.agSlot[a * MAX_PIECES + k];
    return this.book.live[s] === 1 && this.book.gen[s] === this.agSlotGen[a * MAX_PIECES + k];
  }

  private onAgent(a: number): void {
    if (this.agType[a] === AG_WALL) this.stepWall(a);
    else this.stepFlicker(a);
  }

  private stepWall(a: number): void {
    const r = this.rng;
    const b = this.book;
    const side = this.agSide[a];
    const level = this.agLevel[a];
    const crossed = side === BID ? b.bestAsk >= 0 && level >= b.bestAsk : b.bestBid >= 0 && level <= b.bestBid;
    const dist = side === BID ? b.bestBid - level : level - b.bestAsk;
    if (this.agPhase[a] === 0) {
      // build: pieces every few hundred ms to seconds
      if (crossed || this.agNPieces[a] >= MAX_PIECES) {
        this.agPhase[a] = 2;
        this.wake(a, r.logNormal(0.1e9, 1));
        return;
      }
      const piece = Math.min(this.agTarget[a] - this.agPlaced[a], Math.floor(10 + r.pareto(20, 1.3)));
      const slot = this.addOrder(side, level, Math.max(1, piece), KIND_WALL);
      const k = this.agNPieces[a]++;
      this.agSlot[a * MAX_PIECES + k] = slot;
      this.agSlotGen[a * MAX_PIECES + k] = b.gen[slot];
      this.agPlaced[a] += Math.max(1, piece);
      if (this.agPlaced[a] >= this.agTarget[a]) {
        this.agPhase[a] = 1;
        this.agUntil[a] = this.t + r.logNormal(120e9, 1.0);
      }
      this.wake(a, r.logNormal(1.2e9, 1));
      return;
    }
    if (this.agPhase[a] === 1) {
      // hold; pulled when price comes close (often) or when the time is up
      if (crossed || this.t >= this.agUntil[a] || (dist <= 2 && r.next() < 0.5)) {
        this.agPhase[a] = 2;
        this.stats.wallPulls++;
        this.wake(a, r.logNormal(0.02e9, 1));
      } else this.wake(a, r.logNormal(0.8e9, 0.5));
      return;
    }
    // pull: everything in one event, or piece by piece
    const w = this.writer;
    const all = r.next() < 0.5;
    let wrote = false;
    for (let k = 0; k < this.agNPieces[a]; k++) {
      if (!this.pieceAlive(a, k)) continue;
      const s = this.agSlot[a * MAX_PIECES + k];
      if (!wrote) w.beginEvent(this.t, this.iid);
      w.rec(ACTION_CANCEL, side === BID ? SIDE_BID : SIDE_ASK, this.px(b.lvl[s]), b.sz[s], b.oid[s]);
      b.remove(s);
      wrote = true;
      if (!all) break;
    }
    if (wrote) w.endEvent();
    let any = false;
    for (let k = 0; k < this.agNPieces[a]; k++) if (this.pieceAlive(a, k)) any = true;
    if (!any) this.releaseAgent(a);
    else this.wake(a, r.logNormal(0.15e9, 1));
  }

  private stepFlicker(a: number): void {
    const r = this.rng;
    const b = this.book;
    const side = this.agSide[a];
    const w = this.writer;
    const sideCode = side === BID ? SIDE_BID : SIDE_ASK;
    if (this.agPhase[a] === 0) {
      if (this.agCycles[a] <= 0) {
        this.releaseAgent(a);
        return;
      }
      const d = this.agLevel[a] + r.int(3) - 1;
      const level = side === BID ? this.refBid() - d : this.refAsk() + d;
      if (level < 0 || level >= b.nLevels) {
        this.releaseAgent(a);
        return;
      }
      const slot = this.addOrder(side, level, this.agTarget[a], KIND_FLICKER);
      this.agSlot[a * MAX_PIECES] = slot;
      this.agSlotGen[a * MAX_PIECES] = b.gen[slot];
      this.agNPieces[a] = 1;
      this.agPhase[a] = 1;
      this.wake(a, r.logNormal(0.25e9, 0.8));
      return;
    }
    if (!this.pieceAlive(a, 0)) {
      // it traded: the spoofer walks away
      this.releaseAgent(a);
      return;
    }
    const s = this.agSlot[a * MAX_PIECES];
    const lv = b.lvl[s];
    if (r.next() < 0.3) {
      // hop one tick (price modify, loses priority), stay on
      const nl = side === BID ? lv + (r.next() < 0.5 ? 1 : -1) : lv + (r.next() < 0.5 ? 1 : -1);
      const ok = nl >= 0 && nl < b.nLevels && (side === BID ? b.bestAsk < 0 || nl < b.bestAsk - 3 : nl > b.bestBid + 3);
      if (ok) {
        b.requeue(s, nl, b.sz[s]);
        this.agSlotGen[a * MAX_PIECES] = b.gen[s];
        w.beginEvent(this.t, this.iid);
        w.rec(ACTION_MODIFY, sideCode, this.px(nl), b.sz[s], b.oid[s]);
        w.endEvent();
        this.wake(a, r.logNormal(0.2e9, 0.8));
        return;
      }
    }
    w.beginEvent(this.t, this.iid);
    w.rec(ACTION_CANCEL, sideCode, this.px(lv), b.sz[s], b.oid[s]);
    w.endEvent();
    b.remove(s);
    this.agCycles[a]--;
    this.agPhase[a] = 0;
    this.wake(a, r.logNormal(0.4e9, 0.9));
  }
}
