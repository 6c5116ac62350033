// Option MBO that follows the underlying. Each option instrument has a small book: a market
// maker's two-level ladder on both sides priced from Black-76 with a skewed smile (re-quoted
// with price-changing M records when the theoretical value crosses a tick), other
// participants' orders near the touch (adds, cancels, size changes), marketable orders that
// trade with the same CME conventions as the future (T, F per resting order, then C or M in
// the next packet), stale orders picked off after the underlying moves, and large resting
// bids at round strikes near the money (pinning walls). Activity is heaviest near the money
// and in the shortest expiries.
import type { MboBatch } from '../dbn/mboBatch';
import { EventWriter } from './eventWriter';
import type { OptionChain } from './optionChain';
import type { SimPlan } from './plan';
import { Rng } from './rng';
import { activityAt } from './sessionClock';

const ACTION_ADD = 0x41;
const ACTION_CANCEL = 0x43;
const ACTION_MODIFY = 0x4d;
const ACTION_TRADE = 0x54;
const ACTION_FILL = 0x46;
const SIDE_ASK = 0x41;
const SIDE_BID = 0x42;

/** Premium price unit: 0.05 index points (1e-9 units). */
const UNIT_E9 = 50_000_000;
const SLOTS = 12; // per instrument: 0,1 MM bids · 2,3 MM asks · 4 wall · 5..11 other orders
const MM0 = 0;
const WALL = 4;
const OTHER0 = 5;
const BID = 0;
const ASK = 1;
const YEAR_SEC = 365 * 86400;
/** Arrivals (adds, cancels, trades) per second over the whole chain at activity 1, intensity 1. */
const BASE_OPTION_RATE = 160;

function normCdf(x: number): number {
  // Abramowitz–Stegun 7.1.26 on erf, |error| < 1.5e-7
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/** Black-76 premium (r = 0) of a call or put on a future. */
export function black76(isCall: boolean, f: number, k: number, tYears: number, vol: number): number {
  const intrinsic = Math.max(0, isCall ? f - k : k - f);
  if (tYears <= 0 || vol <= 0) return intrinsic;
  const sd = vol * Math.sqrt(tYears);
  const d1 = (Math.log(f / k) + 0.5 * sd * sd) / sd;
  const d2 = d1 - sd;
  const v = isCall ? f * normCdf(d1) - k * normCdf(d2) : k * normCdf(-d2) - f * normCdf(-d1);
  return Math.max(intrinsic, v);
}

/** Equity-index smile: higher implied vol for lower strikes, a little curvature, more for short expiries. */
export function smileVol(f: number, k: number, tYears: number): number {
  const x = Math.log(k / f);
  const atm = 0.14 + 0.05 * Math.exp(-tYears * 365);
  const skew = -1.1 - 1.5 * Math.exp(-tYears * 120);
  return Math.max(0.06, atm + skew * x + 4 * x * x);
}

/** Premium → price units (0.05), rounded down/up on the ES options tick ladder (0.25 from 5.00 up). */
function floorUnits(p: number): number {
  if (p >= 5) return Math.floor(p / 0.25) * 5;
  return Math.floor(p / 0.05 + 1e-9);
}
function ceilUnits(p: number): number {
  if (p > 5) return Math.ceil(p / 0.25) * 5;
  return Math.ceil(p / 0.05 - 1e-9);
}
function tickUnits(units: number): number {
  return units >= 100 ? 5 : 1;
}

export class OptionsSim {
  readonly writer: EventWriter;
  private readonly rng: Rng;
  private readonly n: number;
  private readonly iid: Int32Array;
  private readonly strike: Float64Array;
  private readonly isCall: Uint8Array;
  private readonly expirySec: Float64Array;
  private readonly expiryWeight: Float64Array;
  private readonly roundStrike: Uint8Array;
  // orders: index instrument * SLOTS + slot
  private readonly oid: Float64Array;
  private readonly px: Int32Array;
  private readonly sz: Int32Array;
  private readonly side: Uint8Array;
  private readonly live: Uint8Array;
  private readonly prio: Float64Array;
  private readonly theo: Float64Array;
  private readonly theoFull: Float64Array;
  private readonly delta: Float64Array;
  private readonly gamma: Float64Array;
  private fullT = -1e18;
  private fullF = NaN;
  /** Value at the last re-quote check, per instrument. */
  private readonly quotedTheo: Float64Array;
  /** Set when a market maker's quote was traded away (it must be re-added). */
  private readonly mmDirty: Uint8Array;
  private readonly weight: Float64Array;
  private readonly cum: Float64Array;
  private nextOid: number;
  private prioCounter = 0;
  private readonly t0Sec: number;
  private readonly durationNs: number;
  private readonly nyOffset: number;
  private readonly intensity: number;
  // queued underlying samples
  private qT = new Float64Array(8192);
  private qMid = new Float64Array(8192);
  private qN = 0;
  private started = false;
  private lastT = 0;
  trades = 0;
  // fill scratch
  private readonly fillK = new Int32Array(SLOTS);
  private readonly fillQ = new Int32Array(SLOTS);

  constructor(
    chain: OptionChain,
    private readonly plan: SimPlan,
  ) {
    const n = chain.instruments.length;
    this.n = n;
    this.rng = new Rng(plan.seed ^ 0x0bad5eed);
    this.writer = new EventWriter(plan.startSec, new Rng(plan.seed ^ 0x7f4a7c15), 1, 1, 2_000_000 + this.rng.int(3_000_000));
    this.t0Sec = plan.startSec;
    this.durationNs = (plan.endSec - plan.startSec) * 1e9;
    this.nyOffset = plan.nyOffsetSec;
    this.intensity = plan.intensity;
    this.iid = new Int32Array(n);
    this.strike = new Float64Array(n);
    this.isCall = new Uint8Array(n);
    this.expirySec = new Float64Array(n);
    this.expiryWeight = new Float64Array(n);
    this.roundStrike = new Uint8Array(n);
    const firstExpiry = Math.min(...chain.instruments.map((o) => o.expirySec));
    chain.instruments.forEach((o, i) => {
      this.iid[i] = o.instrumentId;
      this.strike[i] = o.strike;
      this.isCall[i] = o.right === 'C' ? 1 : 0;
      this.expirySec[i] = o.expirySec;
      // the nearest expiry (0DTE) dominates, the quarterly keeps a steady flow
      this.expiryWeight[i] = o.isQuarterly ? 0.8 : o.expirySec === firstExpiry ? 3 : 1.6 / (1 + (o.expirySec - firstExpiry) / 86400 / 2);
      this.roundStrike[i] = o.strike % 50 === 0 ? 1 : 0;
    });
    const m = n * SLOTS;
    this.oid = new Float64Array(m);
    this.px = new Int32Array(m);
    this.sz = new Int32Array(m);
    this.side = new Uint8Array(m);
    this.live = new Uint8Array(m);
    this.prio = new Float64Array(m);
    this.theo = new Float64Array(n);
    this.theoFull = new Float64Array(n);
    this.delta = new Float64Array(n);
    this.gamma = new Float64Array(n);
    this.quotedTheo = new Float64Array(n).fill(NaN);
    this.mmDirty = new Uint8Array(n);
    this.weight = new Float64Array(n);
    this.cum = new Float64Array(n);
    this.nextOid = 7_100_000_000_000 + this.rng.int(1 << 30) * 8;
  }

  /** Queue underlying samples (relative ns, mid in 1e-9 units) produced by the futures generator. */
  follow(t: Float64Array, mid: Float64Array, n: number): void {
    if (this.qN + n > this.qT.length) {
      const cap = Math.max(this.qT.length * 2, this.qN + n);
      const a = new Float64Array(cap);
      a.set(this.qT.subarray(0, this.qN));
      const b = new Float64Array(cap);
      b.set(this.qMid.subarray(0, this.qN));
      this.qT = a;
      this.qMid = b;
    }
    for (let i = 0; i < n; i++) {
      if (mid[i] === mid[i]) {
        this.qT[this.qN] = t[i];
        this.qMid[this.qN++] = mid[i];
      }
    }
  }

  /**
   * Generates option events for every queued sample but the last (whose span ends at the next
   * sample), yielding full batches (reused object).
   */
  *drain(): Generator<MboBatch> {
    const w = this.writer;
    for (let k = 0; k + 1 < this.qN; k++) {
      this.sample(this.qT[k], this.qMid[k] / 1e9, this.qT[k + 1]);
      if (w.full) {
        yield w.batch;
        w.batch.count = 0;
      }
    }
    if (this.qN > 0) {
      this.qT[0] = this.qT[this.qN - 1];
      this.qMid[0] = this.qMid[this.qN - 1];
      this.qN = 1;
    }
  }

  /** The last sample's span runs to the end of the session; then the final partial batch. */
  *finish(): Generator<MboBatch> {
    yield* this.drain();
    if (this.qN > 0) {
      this.sample(this.qT[0], this.qMid[0] / 1e9, Math.max(this.qT[0] + 1, this.durationNs));
      this.qN = 0;
    }
    if (this.writer.batch.count > 0) {
      yield this.writer.batch;
      this.writer.batch.count = 0;
    }
  }

  private sample(t: number, f: number, end: number): void {
    if (!this.started) {
      this.snapshot(t, f);
      this.started = true;
    } else this.step(t, f, end);
  }

  private price(units: number): number {
    return units * UNIT_E9;
  }

  private tYears(i: number, tRel: number): number {
    return Math.max(60, this.expirySec[i] - (this.t0Sec + tRel / 1e9)) / YEAR_SEC;
  }

  /**
   * Option values at underlying f. A full Black-76 + smile evaluation (with delta and gamma) runs
   * at most every 100 ms or after a 2-point move; between them the future ticks are applied with
   * a second-order Taylor step, which is what keeps tick-by-tick re-quoting cheap.
   */
  private updateTheo(f: number, tRel: number): void {
    if (tRel - this.fullT < 100_000_000 && Math.abs(f - this.fullF) < 2) {
      const df = f - this.fullF;
      for (let i = 0; i < this.n; i++) this.theo[i] = Math.max(0, this.theoFull[i] + this.delta[i] * df + 0.5 * this.gamma[i] * df * df);
      return;
    }
    this.fullT = tRel;
    this.fullF = f;
    let total = 0;
    for (let i = 0; i < this.n; i++) {
      const T = this.tYears(i, tRel);
      const k = this.strike[i];
      const vol = smileVol(f, k, T);
      const call = this.isCall[i] === 1;
      const v = black76(call, f, k, T, vol);
      this.theo[i] = v;
      this.theoFull[i] = v;
      const sd = vol * Math.sqrt(T);
      const d1 = (Math.log(f / k) + 0.5 * sd * sd) / sd;
      const nd1 = normCdf(d1);
      this.delta[i] = call ? nd1 : nd1 - 1;
      this.gamma[i] = Math.exp(-0.5 * d1 * d1) / (2.5066282746310002 * f * sd);
      const m = Math.log(k / f) / sd;
      const wgt = this.expiryWeight[i] * (0.03 + Math.exp(-0.5 * m * m));
      total += wgt;
      this.weight[i] = wgt;
      this.cum[i] = total;
    }
  }

  /** Market maker's desired quote in units for instrument i (0 = no quote). */
  private mmBid(i: number): number {
    const th = this.theo[i];
    const hs = Math.max(0.05, 0.012 * th);
    return Math.max(0, floorUnits(th - hs));
  }
  private mmAsk(i: number): number {
    const th = this.theo[i];
    const hs = Math.max(0.05, 0.012 * th);
    return Math.max(1, ceilUnits(th + hs));
  }

  private bestBid(i: number): number {
    let b = 0;
    const base = i * SLOTS;
    for (let k = 0; k < SLOTS; k++) if (this.live[base + k] && this.side[base + k] === BID && this.px[base + k] > b) b = this.px[base + k];
    return b;
  }
  private bestAsk(i: number): number {
    let a = 1 << 30;
    const base = i * SLOTS;
    for (let k = 0; k < SLOTS; k++) if (this.live[base + k] && this.side[base + k] === ASK && this.px[base + k] < a) a = this.px[base + k];
    return a;
  }
  /** Best price on a side ignoring one slot (for re-quotes that must not cross the others). */
  private bestExcept(i: number, side: number, skipFrom: number, skipTo: number): number {
    let best = side === BID ? 0 : 1 << 30;
    const base = i * SLOTS;
    for (let k = 0; k < SLOTS; k++) {
      if (k >= skipFrom && k <= skipTo) continue;
      const j = base + k;
      if (!this.live[j] || this.side[j] !== side) continue;
      if (side === BID ? this.px[j] > best : this.px[j] < best) best = this.px[j];
    }
    return best;
  }

  private mmSize(): number {
    const r = this.rng;
    return Math.min(500, 5 + Math.floor(r.pareto(5, 1.4)));
  }

  private newOid(): number {
    const o = this.nextOid;
    this.nextOid += 1 + this.rng.int(3);
    return o;
  }

  /** Rest a new order in slot j (fresh queue priority) and write its ADD record. The caller
   *  draws the order id (and size) so the RNG call order stays what determinism expects. */
  private addResting(j: number, oid: number, side: number, units: number, size: number): void {
    this.oid[j] = oid;
    this.px[j] = units;
    this.sz[j] = size;
    this.side[j] = side;
    this.live[j] = 1;
    this.prio[j] = this.prioCounter++;
    this.writer.rec(ACTION_ADD, side === BID ? SIDE_BID : SIDE_ASK, this.price(units), size, oid);
  }

  private snapshot(t: number, f: number): void {
    const w = this.writer;
    this.updateTheo(f, t);
    for (let i = 0; i < this.n; i++) {
      w.beginSnapshot(-Math.round(3600e9), 0, this.iid[i]);
      const base = i * SLOTS;
      const b0 = this.mmBid(i);
      const a0 = this.mmAsk(i);
      const set = (k: number, side: number, units: number, size: number) => {
        if (units <= 0) return;
        this.addResting(base + k, this.newOid(), side, units, size);
      };
      set(MM0, BID, b0, this.mmSize());
      set(MM0 + 1, BID, b0 - tickUnits(b0) * (1 + this.rng.int(2)), this.mmSize());
      set(MM0 + 2, ASK, a0, this.mmSize());
      set(MM0 + 3, ASK, a0 + tickUnits(a0) * (1 + this.rng.int(2)), this.mmSize());
      if (this.roundStrike[i] && Math.abs(this.strike[i] - f) < 80 && this.rng.next() < 0.7) set(WALL, BID, Math.max(1, b0 - tickUnits(b0) * (2 + this.rng.int(4))), 200 + Math.floor(this.rng.pareto(200, 1.3)));
      if (w.batch.count > 0 && w.batch.instrumentId[w.batch.count - 1] === this.iid[i]) w.endEvent();
    }
    this.lastT = t;
  }

  private step(t: number, f: number, end: number): void {
    this.updateTheo(f, t);
    const r = this.rng;
    let tt = Math.max(t, this.lastT + 1);
    // 1. re-quotes: the market makers react ~50–500 µs after the future moves, instrument after instrument
    tt += 50_000 + this.rng.int(450_000);
    for (let i = 0; i < this.n; i++) {
      if (this.requote(i, tt)) tt += 1500 + r.int(3000);
    }
    let last = tt;
    // 2. flow: Poisson arrivals over the step, instrument drawn by weight
    const sec = Math.floor(this.t0Sec + t / 1e9 + this.nyOffset);
    const act = activityAt(((sec % 86400) + 86400) % 86400);
    const rate = (BASE_OPTION_RATE * this.intensity * act) / 1e9; // per ns
    if (rate > 0) {
      const total = this.cum[this.n - 1];
      for (;;) {
        tt += Math.max(1, Math.round(r.exp() / rate));
        if (tt >= end) break;
        // binary search the cumulative weights
        const u = r.next() * total;
        let lo = 0;
        let hi = this.n - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (this.cum[mid] < u) lo = mid + 1;
          else hi = mid;
        }
        this.flow(lo, tt);
        last = tt;
      }
    }
    this.lastT = Math.max(last, this.lastT);
  }

  /** Re-price the market maker's ladder (and pick off stale orders it would cross). Returns true when records were written. */
  private requote(i: number, t: number): boolean {
    const base = i * SLOTS;
    // nothing to do while the value has moved less than half an option tick and the ladder is whole
    const th = this.theo[i];
    if (Math.abs(th - this.quotedTheo[i]) < (th >= 5 ? 0.1 : 0.025) && this.mmDirty[i] === 0) return false;
    this.quotedTheo[i] = th;
    this.mmDirty[i] = 0;
    const w = this.writer;
    const r = this.rng;
    let b0 = this.mmBid(i);
    let a0 = this.mmAsk(i);
    // stale other orders through the new value are hit by the market maker first
    let wrote = false;
    for (let k = OTHER0; k < SLOTS; k++) {
      const j = base + k;
      if (!this.live[j]) continue;
      if ((this.side[j] === BID && this.px[j] >= a0) || (this.side[j] === ASK && this.px[j] <= b0)) {
        if (!wrote) w.beginEvent(t, this.iid[i]);
        wrote = true;
        const aggSide = this.side[j] === BID ? SIDE_ASK : SIDE_BID;
        const restCode = this.side[j] === BID ? SIDE_BID : SIDE_ASK;
        w.rec(ACTION_TRADE, aggSide, this.price(this.px[j]), this.sz[j], this.newOid());
        w.rec(ACTION_FILL, restCode, this.price(this.px[j]), this.sz[j], this.oid[j]);
        w.nextPacket();
        w.rec(ACTION_CANCEL, restCode, this.price(this.px[j]), this.sz[j], this.oid[j]);
        this.live[j] = 0;
        this.trades++;
        w.endEvent();
        wrote = false;
        t += 2000;
      }
    }
    // never cross what remains (the wall and other orders)
    const otherAsk = this.bestExcept(i, ASK, MM0, MM0 + 3);
    const otherBid = this.bestExcept(i, BID, MM0, MM0 + 3);
    if (b0 >= otherAsk) b0 = otherAsk - tickUnits(otherAsk);
    if (a0 <= otherBid) a0 = otherBid + tickUnits(otherBid);
    let any = false;
    for (let k = 0; k < 4; k++) {
      const j = base + MM0 + k;
      const want = k === 0 ? b0 : k === 1 ? b0 - tickUnits(b0) * (1 + (i & 1)) : k === 2 ? a0 : a0 + tickUnits(a0) * (1 + (i & 1));
      const side = k < 2 ? BID : ASK;
      const code = side === BID ? SIDE_BID : SIDE_ASK;
      // hysteresis: a quote that is still on the safe side of the value and within a couple
      // of ticks of where the maker wants it stays (real makers do not chase every tick)
      if (this.live[j] && want > 0) {
        const cur = this.px[j];
        const tol = tickUnits(cur) * (k === 1 || k === 3 ? 3 : 2);
        if (side === BID ? cur <= want && cur >= want - tol : cur >= want && cur <= want + tol) continue;
      }
      if (want <= 0) {
        if (this.live[j]) {
          if (!any) w.beginEvent(t, this.iid[i]);
          any = true;
          w.rec(ACTION_CANCEL, code, this.price(this.px[j]), this.sz[j], this.oid[j]);
          this.live[j] = 0;
        }
        continue;
      }
      if (!any) w.beginEvent(t, this.iid[i]);
      any = true;
      if (this.live[j]) {
        // price-changing modify: loses priority
        this.px[j] = want;
        if (r.next() < 0.3) this.sz[j] = this.mmSize();
        this.prio[j] = this.prioCounter++;
        w.rec(ACTION_MODIFY, code, this.price(want), this.sz[j], this.oid[j]);
      } else {
        const oid = this.newOid();
        this.addResting(j, oid, side, want, this.mmSize());
      }
    }
    // the pinning wall trails the bid a few ticks below; never crossing the asks
    const wj = base + WALL;
    if (this.live[wj]) {
      const ask = this.bestAsk(i);
      const gap = b0 - this.px[wj];
      if (this.px[wj] >= ask || gap > 12 || gap < 1) {
        const np = Math.max(1, Math.min(ask - tickUnits(ask), b0 - tickUnits(b0) * 3));
        if (np !== this.px[wj] && np < ask) {
          if (!any) w.beginEvent(t, this.iid[i]);
          any = true;
          this.px[wj] = np;
          this.prio[wj] = this.prioCounter++;
          w.rec(ACTION_MODIFY, SIDE_BID, this.price(np), this.sz[wj], this.oid[wj]);
        } else if (np >= ask) {
          if (!any) w.beginEvent(t, this.iid[i]);
          any = true;
          w.rec(ACTION_CANCEL, SIDE_BID, this.price(this.px[wj]), this.sz[wj], this.oid[wj]);
          this.live[wj] = 0;
        }
      }
    }
    if (any) w.endEvent();
    return any || wrote;
  }

  /** One arrival on instrument i: other participants' add / cancel / resize, or a marketable order. */
  private flow(i: number, t: number): void {
    const r = this.rng;
    const w = this.writer;
    const base = i * SLOTS;
    const u = r.next();
    const bb = this.bestBid(i);
    const ba = this.bestAsk(i);
    if (u < 0.06) {
      // marketable order: takes the best price on the other side, FIFO by priority
      const buy = r.next() < 0.5;
      const restSide = buy ? ASK : BID;
      const level = buy ? ba : bb;
      if ((buy && level >= 1 << 30) || (!buy && level <= 0)) return;
      let want = r.next() < 0.4 ? 1 : Math.min(200, Math.floor(r.pareto(2, 1.3)));
      if (r.next() < 0.2) want = Math.round(want / 5) * 5 || 5;
      let nf = 0;
      let got = 0;
      // orders at the level in priority order (≤ SLOTS: simple selection)
      for (let pass = 0; pass < SLOTS && got < want; pass++) {
        let pick = -1;
        for (let k = 0; k < SLOTS; k++) {
          const j = base + k;
          if (!this.live[j] || this.side[j] !== restSide || this.px[j] !== level) continue;
          let done = false;
          for (let q = 0; q < nf; q++) if (this.fillK[q] === k) done = true;
          if (done) continue;
          if (pick < 0 || this.prio[j] < this.prio[base + pick]) pick = k;
        }
        if (pick < 0) break;
        const q = Math.min(want - got, this.sz[base + pick]);
        this.fillK[nf] = pick;
        this.fillQ[nf++] = q;
        got += q;
      }
      if (nf === 0) return;
      const restCode = restSide === BID ? SIDE_BID : SIDE_ASK;
      w.beginEvent(t, this.iid[i]);
      w.rec(ACTION_TRADE, buy ? SIDE_BID : SIDE_ASK, this.price(level), got, this.newOid());
      for (let q = 0; q < nf; q++) {
        const j = base + this.fillK[q];
        w.rec(ACTION_FILL, restCode, this.price(level), this.fillQ[q], this.oid[j]);
      }
      w.nextPacket();
      for (let q = 0; q < nf; q++) {
        const j = base + this.fillK[q];
        if (this.fillQ[q] >= this.sz[j]) {
          w.rec(ACTION_CANCEL, restCode, this.price(level), this.fillQ[q], this.oid[j]);
          this.live[j] = 0;
          if (this.fillK[q] < 4) this.mmDirty[i] = 1;
        } else {
          this.sz[j] -= this.fillQ[q];
          w.rec(ACTION_MODIFY, restCode, this.price(level), this.sz[j], this.oid[j]);
        }
      }
      w.endEvent();
      this.trades++;
      return;
    }
    if (u < 0.55) {
      // add by another participant at or behind the touch (never through the other side)
      let k = -1;
      for (let s = OTHER0; s < SLOTS; s++) {
        if (!this.live[base + s]) {
          k = s;
          break;
        }
      }
      if (k < 0) return this.cancelOther(i, t);
      const side = r.next() < 0.5 ? BID : ASK;
      let units: number;
      if (side === BID) {
        const ref = bb > 0 ? bb : this.mmBid(i);
        units = ref - tickUnits(ref) * (r.next() < 0.45 ? 0 : 1 + r.int(3));
        if (ba < 1 << 30 && units >= ba) units = ba - tickUnits(ba);
        if (units <= 0) return;
      } else {
        const ref = ba < 1 << 30 ? ba : this.mmAsk(i);
        units = ref + tickUnits(ref) * (r.next() < 0.45 ? 0 : 1 + r.int(3));
        if (units <= bb) units = bb + tickUnits(bb);
      }
      let size = r.next() < 0.35 ? 1 : Math.min(1000, Math.floor(r.pareto(2, 1.2)));
      if (size >= 8 && r.next() < 0.5) size = Math.round(size / 5) * 5;
      const oid = this.newOid();
      w.beginEvent(t, this.iid[i]);
      this.addResting(base + k, oid, side, units, size);
      w.endEvent();
      return;
    }
    if (u < 0.9) return this.cancelOther(i, t);
    // market maker size change: a decrease keeps priority, an increase loses it
    const j = base + MM0 + r.int(4);
    if (!this.live[j]) return;
    const ns = this.mmSize();
    if (ns === this.sz[j]) return;
    if (ns > this.sz[j]) this.prio[j] = this.prioCounter++;
    this.sz[j] = ns;
    w.beginEvent(t, this.iid[i]);
    w.rec(ACTION_MODIFY, this.side[j] === BID ? SIDE_BID : SIDE_ASK, this.price(this.px[j]), ns, this.oid[j]);
    w.endEvent();
  }

  private cancelOther(i: number, t: number): void {
    const base = i * SLOTS;
    const start = OTHER0 + this.rng.int(SLOTS - OTHER0);
    for (let s = 0; s < SLOTS - OTHER0; s++) {
      const k = OTHER0 + ((start - OTHER0 + s) % (SLOTS - OTHER0));
      const j = base + k;
      if (!this.live[j]) continue;
      const w = this.writer;
      w.beginEvent(t, this.iid[i]);
      w.rec(ACTION_CANCEL, this.side[j] === BID ? SIDE_BID : SIDE_ASK, this.price(this.px[j]), this.sz[j], this.oid[j]);
      w.endEvent();
      this.live[j] = 0;
      return;
    }
  }
}
