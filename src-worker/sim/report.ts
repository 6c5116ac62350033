// The statistics a trader checks before believing a day of MBO data, computed from a DBN file
// by decoding it and replaying the book (the same code for a simulated day and a real one, so
// the two can be set side by side): message rate by minute, action and side mix, order sizes,
// spread and depth at the touch, trades and volume, realised volatility, order lifetimes.
import { readDbnFile } from '../dbn';
import { MarketStatsBuilder, type MarketStats } from './marketStats';

export interface MboStats {
  file: string;
  instrumentId: number;
  /** Live records (after the start-of-day snapshot) of the instrument. */
  records: number;
  snapshotRecords: number;
  exchangeEvents: number;
  /** Seconds from the first to the last live ts_recv. */
  spanSeconds: number;
  /** Live records per second in each wall-clock minute (UTC minute index from the first live record). */
  eventsPerSecByMinute: number[];
  eventsPerSec: { mean: number; busiestMinute: number; quietestMinute: number };
  /** Share of live records per action and per side. */
  actionMix: Record<string, number>;
  sideMix: Record<string, number>;
  recordsPerEvent: number;
  /** Sizes of A records (lots). */
  addSize: { mean: number; p50: number; p90: number; p99: number; max: number; shareOfOne: number };
  /** Sampled once per second of ts_recv (after an F_LAST). */
  spreadTicks: { mean: number; shareOneTick: number; p99: number };
  depthAtTouch: { bidLotsMean: number; askLotsMean: number; bidOrdersMean: number; askOrdersMean: number };
  trades: { count: number; volume: number; meanSize: number; fillsPerTrade: number; perMinute: number };
  /** Realised volatility of the 1-minute mid: σ of 1-min returns in ticks, and scaled to one hour in index points. */
  realisedVol: { perMinuteTicks: number; perHourPoints: number; rangePoints: number };
  /** Resting time of orders from A to the C that removed them without a fill (seconds). */
  lifetimeSec: { p10: number; p50: number; p90: number; p99: number; shareUnder1s: number; shareOver10min: number };
  bookAtEnd: { bidLevels: number; askLevels: number; orders: number };
  /** How the mid moves at the forecast horizons (marketStats.ts), over `marketWindow` or the whole file. */
  market: MarketStats;
}

function pct(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))));
  return sorted[i];
}

/** Reservoir of up to `cap` values (deterministic: every k-th after filling). */
class Sample {
  private v: Float64Array;
  n = 0;
  seen = 0;
  constructor(private readonly cap = 200_000) {
    this.v = new Float64Array(cap);
  }
  add(x: number): void {
    this.seen++;
    if (this.n < this.cap) this.v[this.n++] = x;
    else {
      // replace deterministically with a multiplicative hash of the count
      const j = Math.imul(this.seen, 2654435761) >>> 0;
      if (j % this.seen < this.cap) this.v[j % this.cap] = x;
    }
  }
  sorted(): Float64Array {
    return this.v.slice(0, this.n).sort();
  }
}

/**
 * Decode `file` and compute the statistics for one instrument (default: the instrument with
 * the most records among the first batch — the outright future in a single-symbol file).
 */
export async function computeMboStats(
  file: string,
  opts: { instrumentId?: number; tickE9?: number; marketWindow?: { fromSec: number; toSec: number } } = {},
): Promise<MboStats> {
  const tick = opts.tickE9 ?? 250_000_000;
  const market = new MarketStatsBuilder(opts.marketWindow ?? {});
  let iid = opts.instrumentId ?? -1;
  const orders = new Map<number, { price: number; size: number; bid: boolean; born: number }>();
  /** Orders with a fill not yet taken off the book: their final C is not a cancellation. */
  const fillsOf = new Set<number>();
  const bids = new Map<number, { q: number; n: number }>();
  const asks = new Map<number, { q: number; n: number }>();
  let bb = NaN;
  let ba = NaN;
  const perMinute: number[] = [];
  const byAction = new Map<string, number>();
  const bySide = new Map<string, number>();
  const sizes = new Sample();
  const life = new Sample();
  let records = 0;
  let snapshot = 0;
  let events = 0;
  let firstLive = NaN;
  let lastLive = NaN;
  let trades = 0;
  let volume = 0;
  let fills = 0;
  let lastSecSampled = -1;
  let spreadN = 0;
  let spreadSum = 0;
  let spreadOne = 0;
  const spreads = new Sample(100_000);
  let dBid = 0;
  let dAsk = 0;
  let oBid = 0;
  let oAsk = 0;
  const minuteMid: number[] = [];
  let minMid = Infinity;
  let maxMid = -Infinity;
  let firstMinute = -1;

  const lvl = (bid: boolean, price: number, dq: number, dn: number): void => {
    const m = bid ? bids : asks;
    let l = m.get(price);
    if (!l) {
      l = { q: 0, n: 0 };
      m.set(price, l);
    }
    l.q += dq;
    l.n += dn;
    if (l.q <= 0 && l.n <= 0) {
      m.delete(price);
      if (bid && price === bb) bb = NaN;
      if (!bid && price === ba) ba = NaN;
    } else if (dq > 0) {
      if (bid && bb === bb && price > bb) bb = price;
      if (!bid && ba === ba && price < ba) ba = price;
    }
  };
  const best = (bid: boolean): number => {
    const m = bid ? bids : asks;
    let b = NaN;
    for (const p of m.keys()) if (b !== b || (bid ? p > b : p < b)) b = p;
    return b;
  };

  for await (const ev of readDbnFile(file, { batchSize: 16384 })) {
    if (ev.kind !== 'mbo') continue;
    const b = ev.batch;
    if (iid < 0 && b.count > 0) {
      const c = new Map<number, number>();
      for (let i = 0; i < b.count; i++) c.set(b.instrumentId[i], (c.get(b.instrumentId[i]) ?? 0) + 1);
      iid = [...c.entries()].sort((x, y) => y[1] - x[1])[0][0];
    }
    for (let i = 0; i < b.count; i++) {
      if (b.instrumentId[i] !== iid) continue;
      const flags = b.flags[i];
      const a = b.action[i];
      const t = b.tsRecvSec[i] + b.tsRecvNano[i] / 1e9;
      const isSnap = (flags & 0x20) !== 0;
      if (isSnap) snapshot++;
      else {
        records++;
        if (firstLive !== firstLive) firstLive = t;
        lastLive = t;
        const minute = Math.floor(t / 60);
        if (firstMinute < 0) firstMinute = minute;
        const k = minute - firstMinute;
        while (perMinute.length <= k) perMinute.push(0);
        perMinute[k]++;
        const ac = String.fromCharCode(a);
        byAction.set(ac, (byAction.get(ac) ?? 0) + 1);
        const sc = String.fromCharCode(b.side[i]);
        bySide.set(sc, (bySide.get(sc) ?? 0) + 1);
      }
      const oid = b.orderIdHi[i] * 4294967296 + b.orderIdLo[i];
      const price = b.price[i];
      const size = b.size[i];
      switch (a) {
        case 0x41: {
          const bid = b.side[i] === 0x42;
          const prev = orders.get(oid);
          if (prev) lvl(prev.bid, prev.price, -prev.size, -1);
          orders.set(oid, { price, size, bid, born: t });
          lvl(bid, price, size, 1);
          if (!isSnap) sizes.add(size);
          break;
        }
        case 0x43: {
          const o = orders.get(oid);
          if (!o) break;
          const q = Math.min(size, o.size);
          o.size -= q;
          if (o.size === 0) {
            orders.delete(oid);
            lvl(o.bid, o.price, -q, -1);
            if (o.born > 0 && !(fillsOf.has(oid))) life.add(t - o.born);
          } else lvl(o.bid, o.price, -q, 0);
          fillsOf.delete(oid);
          break;
        }
        case 0x4d: {
          const o = orders.get(oid);
          if (!o) {
            const bid = b.side[i] === 0x42;
            orders.set(oid, { price, size, bid, born: t });
            lvl(bid, price, size, 1);
            break;
          }
          lvl(o.bid, o.price, -o.size, -1);
          o.price = price;
          o.size = size;
          lvl(o.bid, price, size, 1);
          break;
        }
        case 0x54:
          if (!isSnap) {
            trades++;
            volume += size;
          }
          break;
        case 0x46:
          fills++;
          fillsOf.add(oid);
          break;
        case 0x52:
          orders.clear();
          bids.clear();
          asks.clear();
          bb = NaN;
          ba = NaN;
          break;
      }
      if (flags & 0x80) {
        events++;
        if (isSnap) continue;
        if (bb !== bb) bb = best(true);
        if (ba !== ba) ba = best(false);
        market.push(t, bb / tick, ba / tick, bb === bb ? bids.get(bb)!.q : 0, ba === ba ? asks.get(ba)!.q : 0);
        const sec = Math.floor(t);
        if (sec !== lastSecSampled) {
          lastSecSampled = sec;
          if (bb !== bb) bb = best(true);
          if (ba !== ba) ba = best(false);
          if (bb === bb && ba === ba && ba > bb) {
            const sp = (ba - bb) / tick;
            spreadN++;
            spreadSum += sp;
            if (sp === 1) spreadOne++;
            spreads.add(sp);
            const lb = bids.get(bb)!;
            const la = asks.get(ba)!;
            dBid += lb.q;
            dAsk += la.q;
            oBid += lb.n;
            oAsk += la.n;
            const mid = (bb + ba) / 2 / 1e9;
            const mk = Math.floor(t / 60) - firstMinute;
            while (minuteMid.length < mk) minuteMid.push(NaN);
            minuteMid[mk] = mid;
            if (mid < minMid) minMid = mid;
            if (mid > maxMid) maxMid = mid;
          }
        }
      }
    }
  }
  const span = lastLive - firstLive;
  const rates = perMinute.map((n) => n / 60);
  const mix = (m: Map<string, number>) => Object.fromEntries([...m.entries()].sort().map(([k, v]) => [k, v / Math.max(1, records)]));
  const ss = sizes.sorted();
  let sizeSum = 0;
  let ones = 0;
  for (const v of ss) {
    sizeSum += v;
    if (v === 1) ones++;
  }
  const ls = life.sorted();
  let under1 = 0;
  let over10 = 0;
  for (const v of ls) {
    if (v < 1) under1++;
    if (v > 600) over10++;
  }
  // realised vol of 1-min mid log returns
  let r2 = 0;
  let nr = 0;
  let prevMid = NaN;
  for (const m of minuteMid) {
    if (m === m && prevMid === prevMid) {
      const r = Math.log(m / prevMid);
      r2 += r * r;
      nr++;
    }
    if (m === m) prevMid = m;
  }
  const sdMin = nr > 0 ? Math.sqrt(r2 / nr) : NaN;
  const refMid = prevMid === prevMid ? prevMid : NaN;
  const sp = spreads.sorted();
  let bidLevels = 0;
  let askLevels = 0;
  for (const l of bids.values()) if (l.q > 0) bidLevels++;
  for (const l of asks.values()) if (l.q > 0) askLevels++;
  return {
    file,
    instrumentId: iid,
    records,
    snapshotRecords: snapshot,
    exchangeEvents: events,
    spanSeconds: span,
    eventsPerSecByMinute: rates.map((r) => Math.round(r * 10) / 10),
    eventsPerSec: { mean: records / Math.max(1, span), busiestMinute: Math.max(0, ...rates), quietestMinute: rates.length ? Math.min(...rates) : 0 },
    actionMix: mix(byAction),
    sideMix: mix(bySide),
    recordsPerEvent: (records + snapshot) / Math.max(1, events),
    addSize: { mean: sizeSum / Math.max(1, ss.length), p50: pct(ss, 0.5), p90: pct(ss, 0.9), p99: pct(ss, 0.99), max: ss.length ? ss[ss.length - 1] : NaN, shareOfOne: ones / Math.max(1, ss.length) },
    spreadTicks: { mean: spreadSum / Math.max(1, spreadN), shareOneTick: spreadOne / Math.max(1, spreadN), p99: pct(sp, 0.99) },
    depthAtTouch: { bidLotsMean: dBid / Math.max(1, spreadN), askLotsMean: dAsk / Math.max(1, spreadN), bidOrdersMean: oBid / Math.max(1, spreadN), askOrdersMean: oAsk / Math.max(1, spreadN) },
    trades: { count: trades, volume, meanSize: volume / Math.max(1, trades), fillsPerTrade: fills / Math.max(1, trades), perMinute: trades / Math.max(1 / 60, span / 60) },
    realisedVol: {
      perMinuteTicks: (sdMin * refMid * 1e9) / tick,
      perHourPoints: sdMin * Math.sqrt(60) * refMid,
      rangePoints: maxMid - minMid,
    },
    lifetimeSec: { p10: pct(ls, 0.1), p50: pct(ls, 0.5), p90: pct(ls, 0.9), p99: pct(ls, 0.99), shareUnder1s: under1 / Math.max(1, ls.length), shareOver10min: over10 / Math.max(1, ls.length) },
    bookAtEnd: { bidLevels, askLevels, orders: orders.size },
    market: market.finish(),
  };
}

function f(x: number, d = 2): string {
  if (x === undefined || x !== x) return '–';
  if (Math.abs(x) >= 1e5) return Math.round(x).toLocaleString('en-US');
  return x.toFixed(d);
}
function p(x: number): string {
  return x === undefined || x !== x ? '–' : (100 * x).toFixed(1) + ' %';
}

/** Rows of the side-by-side comparison: [statistic, simulated, real]. */
export function comparisonRows(sim: MboStats, real?: MboStats): [string, string, string][] {
  const rows: [string, string, string][] = [];
  const add = (name: string, g: (s: MboStats) => string) => rows.push([name, g(sim), real ? g(real) : '']);
  add('live records', (s) => f(s.records, 0));
  add('snapshot records', (s) => f(s.snapshotRecords, 0));
  add('span (minutes)', (s) => f(s.spanSeconds / 60, 1));
  add('records/s mean', (s) => f(s.eventsPerSec.mean, 1));
  add('records/s busiest minute', (s) => f(s.eventsPerSec.busiestMinute, 1));
  add('records/s quietest minute', (s) => f(s.eventsPerSec.quietestMinute, 1));
  for (const a of ['A', 'C', 'M', 'T', 'F', 'R']) add(`action ${a}`, (s) => p(s.actionMix[a] ?? 0));
  for (const a of ['B', 'A', 'N']) add(`side ${a}`, (s) => p(s.sideMix[a] ?? 0));
  add('records per exchange event', (s) => f(s.recordsPerEvent));
  add('add size mean', (s) => f(s.addSize.mean));
  add('add size p50 / p90 / p99 / max', (s) => `${s.addSize.p50} / ${s.addSize.p90} / ${s.addSize.p99} / ${s.addSize.max}`);
  add('adds of 1 lot', (s) => p(s.addSize.shareOfOne));
  add('spread mean (ticks)', (s) => f(s.spreadTicks.mean, 3));
  add('spread = 1 tick', (s) => p(s.spreadTicks.shareOneTick));
  add('depth at best bid / ask (lots)', (s) => `${f(s.depthAtTouch.bidLotsMean, 1)} / ${f(s.depthAtTouch.askLotsMean, 1)}`);
  add('orders at best bid / ask', (s) => `${f(s.depthAtTouch.bidOrdersMean, 1)} / ${f(s.depthAtTouch.askOrdersMean, 1)}`);
  add('trades (T records)', (s) => f(s.trades.count, 0));
  add('volume (lots)', (s) => f(s.trades.volume, 0));
  add('trade size mean', (s) => f(s.trades.meanSize));
  add('fills per trade', (s) => f(s.trades.fillsPerTrade));
  add('trades per minute', (s) => f(s.trades.perMinute, 1));
  add('realised vol, 1-min σ (ticks)', (s) => f(s.realisedVol.perMinuteTicks));
  add('realised vol, per hour (points)', (s) => f(s.realisedVol.perHourPoints));
  add('mid range (points)', (s) => f(s.realisedVol.rangePoints));
  add('cancelled-order lifetime p10 / p50 / p90 (s)', (s) => `${f(s.lifetimeSec.p10, 3)} / ${f(s.lifetimeSec.p50, 2)} / ${f(s.lifetimeSec.p90, 1)}`);
  add('lifetime < 1 s / > 10 min', (s) => `${p(s.lifetimeSec.shareUnder1s)} / ${p(s.lifetimeSec.shareOver10min)}`);
  add('book at end: bid / ask levels, orders', (s) => `${s.bookAtEnd.bidLevels} / ${s.bookAtEnd.askLevels}, ${s.bookAtEnd.orders}`);
  rows.push(...marketRows(sim.market, real?.market));
  return rows;
}

/** Rows of the mid's dynamics at the forecast horizons (marketStats.ts), simulated vs real. */
export function marketRows(sim: MarketStats, real?: MarketStats): [string, string, string][] {
  const rows: [string, string, string][] = [];
  const add = (name: string, g: (s: MarketStats) => string) => rows.push([name, g(sim), real ? g(real) : '']);
  const hs = (s: MarketStats) => s.clock.map((c) => c.horizonSec).join(' / ');
  add('market window (minutes, UTC from)', (s) => `${f((s.toSec - s.fromSec) / 60, 1)} from ${new Date(s.fromSec * 1000).toISOString().slice(11, 16)}`);
  add(`mid: P(changed) at ${hs(sim)} s`, (s) => s.clock.map((c) => f(c.pChanged.value, 3)).join(' / '));
  add('mid: no-change MAE (ticks)', (s) => s.clock.map((c) => f(c.noChangeMaeTicks.value, 2)).join(' / '));
  add('mid: persistence', (s) => s.clock.map((c) => f(c.persistence.value, 2)).join(' / '));
  add('mid: QI hit', (s) => s.clock.map((c) => f(c.qiHit.value, 2)).join(' / '));
  add('  n: pairs', (s) => s.clock.map((c) => c.pChanged.n).join(' / '));
  add('  n: persistence / QI', (s) => s.clock.map((c) => `${c.persistence.n}, ${c.qiHit.n}`).join(' / '));
  add('mid changes (event time)', (s) => f(s.event.midChanges, 0));
  add('QI hit at the next mid change', (s) => `${f(s.event.qiHitNextChange.value, 2)} (n ${s.event.qiHitNextChange.n})`);
  add('half-tick mid changes', (s) => p(s.event.halfTickShare.value));
  add('reversals of consecutive mid changes', (s) => p(s.event.reversalShare.value));
  add('lag-1 autocorrelation of 1-s mid changes', (s) => `${f(s.acf1.value, 3)} (n ${s.acf1.n})`);
  const taus = [1, 5, 15, 30, 60];
  add(`signature: RV per s (ticks²) at ${taus.join(' / ')} s`, (s) =>
    taus.map((t) => f(s.signature.varPerSecTicks2[s.signature.intervalSec.indexOf(t)] ?? NaN, 3)).join(' / '),
  );
  return rows;
}

export function formatComparison(sim: MboStats, real?: MboStats, markdown = false): string {
  const rows = comparisonRows(sim, real);
  const head: [string, string, string] = ['statistic', 'simulated', real ? 'real' : ''];
  if (markdown) {
    const lines = [`| ${head.join(' | ')} |`, '|---|---:|---:|', ...rows.map((r) => `| ${r.join(' | ')} |`)];
    return lines.join('\n') + '\n';
  }
  const w0 = Math.max(...rows.map((r) => r[0].length), 9);
  const w1 = Math.max(...rows.map((r) => r[1].length), 9);
  const lines = [head, ...rows].map((r) => `${r[0].padEnd(w0)}  ${r[1].padStart(w1)}  ${r[2]}`);
  return lines.join('\n') + '\n';
}
