// How the mid price moves at the horizons the forecast works on, from a top-of-book replay
// (best bid/ask and their queue sizes after every exchange event, by ts_recv). Pure: no I/O,
// no book — report.ts feeds it from a decoded file, the tests from a hand-made stream.
//
// Clock time: the book is sampled on a whole-second grid (the state left by the last event
// strictly before each second). For each horizon h (1, 5, 30 s) and every grid second k:
//   P(changed)   m[k+h] ≠ m[k]
//   MAE          mean |m[k+h] − m[k]| in ticks (the error of forecasting "no change")
//   persistence  sign(m[k] − m[k−h]) = sign(m[k+h] − m[k]), both moves non-zero
//   QI hit       sign(q_bid − q_ask) at k = sign(m[k+h] − m[k]), both non-zero
// Event time (every change of the mid): the QI of the book as it stood just before the change
// (after the previous exchange event) predicting its sign, the share of half-tick changes, the share of consecutive changes that reverse.
// Plus the lag-1 autocorrelation of 1-s mid changes and the signature plot: realised variance
// per second, mean (m[k+τ] − m[k])² / τ, against the sampling interval τ = 1..60 s — flat for
// a random walk, falling with τ when the mid bounces, rising when it trends.

export interface Ratio {
  value: number;
  n: number;
}

export interface HorizonStats {
  horizonSec: number;
  pChanged: Ratio;
  /** Mean |Δmid| in ticks over the horizon (the error of a no-change forecast); n = pairs. */
  noChangeMaeTicks: Ratio;
  persistence: Ratio;
  qiHit: Ratio;
}

export interface MarketStats {
  /** Grid seconds [fromSec, toSec) the statistics cover (UTC epoch seconds). */
  fromSec: number;
  toSec: number;
  /** Grid seconds with a valid (two-sided, uncrossed) book. */
  validSeconds: number;
  clock: HorizonStats[];
  event: {
    midChanges: number;
    qiHitNextChange: Ratio;
    halfTickShare: Ratio;
    reversalShare: Ratio;
  };
  /** Lag-1 autocorrelation of consecutive 1-s mid changes (ticks). */
  acf1: Ratio;
  signature: { intervalSec: number[]; varPerSecTicks2: number[]; n: number[] };
}

export interface MarketStatsOptions {
  /** First grid second (UTC epoch s); default: the first whole second after the first valid book. */
  fromSec?: number;
  /** End of the grid (exclusive); default: the last event's second. */
  toSec?: number;
  horizons?: number[];
  maxIntervalSec?: number;
}

const sign = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);

/** Streaming builder: push the top of book after every exchange event, then finish(). */
export class MarketStatsBuilder {
  private readonly horizons: number[];
  private readonly maxTau: number;
  private readonly from: number;
  private readonly to: number;
  // grid samples (mid in ticks, NaN when the book is one-sided or crossed)
  private readonly mid: number[] = [];
  private readonly qi: number[] = [];
  private gridStart = NaN;
  private nextGrid = NaN;
  private lastT = NaN;
  // current state
  private curMid = NaN;
  private curQi = 0;
  // event time
  private lastMid = NaN;
  private lastChange = 0;
  /** QI of the last valid book, i.e. the state just before the current event. */
  private lastQi = 0;
  private changes = 0;
  private halfTicks = 0;
  private reversals = 0;
  private pairs = 0;
  private qiHits = 0;
  private qiN = 0;

  constructor(opts: MarketStatsOptions = {}) {
    this.horizons = opts.horizons ?? [1, 5, 30];
    this.maxTau = opts.maxIntervalSec ?? 60;
    this.from = opts.fromSec ?? NaN;
    this.to = opts.toSec ?? Infinity;
    this.gridStart = this.from;
    this.nextGrid = this.from;
  }

  /** The top of book after an exchange event at `tSec` (ts_recv, s); prices in ticks. */
  push(tSec: number, bidTicks: number, askTicks: number, bidQty: number, askQty: number): void {
    const valid = bidTicks === bidTicks && askTicks === askTicks && askTicks > bidTicks;
    const m = valid ? (bidTicks + askTicks) / 2 : NaN;
    const q = valid ? sign(bidQty - askQty) : 0;
    if (this.nextGrid !== this.nextGrid) {
      // no window given: the grid starts at the first whole second after the first valid book
      if (valid) {
        this.gridStart = Math.floor(tSec) + 1;
        this.nextGrid = this.gridStart;
      }
    } else {
      // grid seconds up to and including tSec see the state before this event
      const stop = Math.min(tSec, this.to - 1);
      while (this.nextGrid <= stop) {
        this.mid.push(this.curMid);
        this.qi.push(this.curQi);
        this.nextGrid++;
      }
    }
    this.curMid = m;
    this.curQi = q;
    this.lastT = tSec;
    if (!valid) return;
    const inWindow = (this.from !== this.from || tSec >= this.from) && tSec < this.to;
    if (m !== this.lastMid && this.lastMid === this.lastMid && inWindow) {
      const d = m - this.lastMid;
      this.changes++;
      if (Math.abs(d) === 0.5) this.halfTicks++;
      if (this.lastChange !== 0) {
        this.pairs++;
        if (sign(d) !== this.lastChange) this.reversals++;
      }
      if (this.lastQi !== 0) {
        this.qiN++;
        if (this.lastQi === sign(d)) this.qiHits++;
      }
      this.lastChange = sign(d);
    } else if (m !== this.lastMid) {
      this.lastChange = 0;
    }
    this.lastMid = m;
    this.lastQi = q;
  }

  finish(): MarketStats {
    // close the grid at the window's end (or the last event's second)
    if (this.nextGrid === this.nextGrid) {
      const end = this.to !== Infinity ? this.to - 1 : Math.floor(this.lastT);
      while (this.nextGrid <= end) {
        this.mid.push(this.curMid);
        this.qi.push(this.curQi);
        this.nextGrid++;
      }
    }
    const m = this.mid;
    const n = m.length;
    let validSeconds = 0;
    for (const x of m) if (x === x) validSeconds++;
    const clock: HorizonStats[] = this.horizons.map((h) => {
      let pairs = 0;
      let changed = 0;
      let absSum = 0;
      let persN = 0;
      let pers = 0;
      let qiN = 0;
      let qiHit = 0;
      for (let k = 0; k + h < n; k++) {
        const d2 = m[k + h] - m[k];
        if (d2 !== d2) continue;
        pairs++;
        if (d2 !== 0) changed++;
        absSum += Math.abs(d2);
        if (d2 !== 0 && this.qi[k] !== 0) {
          qiN++;
          if (this.qi[k] === sign(d2)) qiHit++;
        }
        if (k >= h) {
          const d1 = m[k] - m[k - h];
          if (d1 === d1 && d1 !== 0 && d2 !== 0) {
            persN++;
            if (sign(d1) === sign(d2)) pers++;
          }
        }
      }
      return {
        horizonSec: h,
        pChanged: { value: changed / pairs, n: pairs },
        noChangeMaeTicks: { value: absSum / pairs, n: pairs },
        persistence: { value: pers / persN, n: persN },
        qiHit: { value: qiHit / qiN, n: qiN },
      };
    });
    // lag-1 autocorrelation of 1-s changes
    const d: number[] = [];
    for (let k = 0; k + 1 < n; k++) d.push(m[k + 1] - m[k]);
    let mean = 0;
    let cnt = 0;
    for (const x of d) if (x === x) (mean += x), cnt++;
    mean /= cnt;
    let num = 0;
    let den = 0;
    let acfN = 0;
    for (let k = 0; k < d.length; k++) {
      if (d[k] !== d[k]) continue;
      den += (d[k] - mean) ** 2;
      if (k + 1 < d.length && d[k + 1] === d[k + 1]) {
        num += (d[k] - mean) * (d[k + 1] - mean);
        acfN++;
      }
    }
    const intervalSec: number[] = [];
    const varPerSec: number[] = [];
    const sigN: number[] = [];
    for (let tau = 1; tau <= this.maxTau; tau++) {
      let s = 0;
      let c = 0;
      for (let k = 0; k + tau < n; k++) {
        const x = m[k + tau] - m[k];
        if (x !== x) continue;
        s += x * x;
        c++;
      }
      intervalSec.push(tau);
      varPerSec.push(s / c / tau);
      sigN.push(c);
    }
    return {
      fromSec: this.gridStart,
      toSec: this.gridStart + n,
      validSeconds,
      clock,
      event: {
        midChanges: this.changes,
        qiHitNextChange: { value: this.qiHits / this.qiN, n: this.qiN },
        halfTickShare: { value: this.halfTicks / this.changes, n: this.changes },
        reversalShare: { value: this.reversals / this.pairs, n: this.pairs },
      },
      acf1: { value: num / den, n: acfN },
      signature: { intervalSec, varPerSecTicks2: varPerSec, n: sigN },
    };
  }
}
