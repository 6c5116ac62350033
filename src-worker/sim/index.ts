// The simulator's programmatic API, shared by the CLI (`simulate`), the benchmarks and the
// workstation's embedded demo:
//   simulateToFile(opts)      → writes futures MBO (+ options MBO, + definitions) as DBN files
//   simulateFuturesBatches(o) → the futures day as a stream of reused MboBatch (in-process use)
// Options mirror the CLI flags; see plan.ts for every default. Errors are SimError (typed,
// with a hint) or DbnError from the writer.
import { statSync, unlinkSync } from 'node:fs';
import { makeMetadata, openDbnFileWriter, type DbnMetadata, type DbnWriter, type MboBatch } from '../dbn';
import { FuturesSim } from './futuresSim';
import { buildChain, chainDefinitions, futureDefinition, type OptionChain } from './optionChain';
import { OptionsSim } from './optionsSim';
import { planSimulation, utcDates, type SimPlan, type SimulateOptions } from './plan';
import { SimError } from './simError';

export { planSimulation, SimError };

/**
 * Version of the simulated market: same seed, options and version → byte-identical files.
 * Bump it whenever a change alters the output (caches of simulated files key on it).
 * 2: issue 12 — fair-value volatility scales with the intensity, informed flow takes or pulls a
 *    stale touch at once (no clock-time momentum behind a lagging fair value).
 */
export const SIMULATOR_VERSION = 2;
export type { SimPlan, SimulateOptions };
export type { SimulateProgress } from './plan';

export interface FileSummary {
  path: string;
  records: number;
  bytes: number;
  /** Records per action letter (A, C, M, T, F, R). */
  byAction: Record<string, number>;
  /** First / last ts_recv, UTC ns as decimal strings ('' when the file has no MBO record). */
  firstTsRecvNs: string;
  lastTsRecvNs: string;
}

export interface SimulateSummary {
  simulatorVersion: number;
  symbol: string;
  instrumentId: number;
  date: string;
  timeZone: string;
  seed: number;
  intensity: number;
  /** Session window, UTC ns as decimal strings. */
  sessionStartNs: string;
  sessionEndNs: string;
  futures: FileSummary & { trades: number; icebergRefills: number; walls: number; flickers: number; finalMid: number };
  options?: FileSummary & { instruments: number; trades: number };
  definitions?: { path: string; records: number; bytes: number };
  seconds: number;
  /** (futures + options records) / seconds. */
  eventsPerSecond: number;
  peakRssBytes: number;
}

function checkOut(path: string, flag: string): void {
  if (!/\.dbn(\.zst)?$/.test(path)) throw new SimError(`${flag} '${path}' must end in .dbn or .dbn.zst`, 'the suffix chooses raw DBN or zstd-compressed DBN');
}

export function makeFuturesSim(plan: SimPlan): FuturesSim {
  return new FuturesSim({
    t0Sec: plan.startSec,
    durationNs: (plan.endSec - plan.startSec) * 1e9,
    nyOffsetSec: plan.nyOffsetSec,
    instrumentId: plan.instrumentId,
    tickE9: plan.product.tickE9,
    startTick: plan.startTick,
    seed: plan.seed,
    intensity: plan.intensity,
    clearBeforeSnapshot: plan.clearBeforeSnapshot,
  });
}

/** The futures day as a stream of MboBatch (the same object, refilled: consume before the next). */
export function* simulateFuturesBatches(opts: Omit<SimulateOptions, 'out'>): Generator<MboBatch> {
  const sim = makeFuturesSim(planSimulation(opts));
  yield* sim.batches();
}

function mappings(plan: SimPlan, symbols: { raw: string; id: number }[]): DbnMetadata['mappings'] {
  const days = utcDates(plan.startSec, plan.endSec);
  return symbols.map((s) => ({
    raw_symbol: s.raw,
    intervals: days.slice(0, -1).map((d, i) => ({ start_date: d, end_date: days[i + 1], symbol: String(s.id) })),
  }));
}

export function futuresMetadata(plan: SimPlan): DbnMetadata {
  return makeMetadata({
    dataset: 'GLBX.MDP3',
    schema: 'mbo',
    start: BigInt(plan.startSec) * 1_000_000_000n,
    end: BigInt(plan.endSec) * 1_000_000_000n,
    symbols: [plan.symbol],
    mappings: mappings(plan, [{ raw: plan.symbol, id: plan.instrumentId }]),
  });
}

class Tally {
  readonly byAction = new Float64Array(256);
  records = 0;
  firstSec = -1;
  firstNano = 0;
  lastSec = -1;
  lastNano = 0;
  add(b: MboBatch): void {
    const n = b.count;
    if (n === 0) return;
    const a = b.action;
    const c = this.byAction;
    for (let i = 0; i < n; i++) c[a[i]]++;
    if (this.firstSec < 0) {
      this.firstSec = b.tsRecvSec[0];
      this.firstNano = b.tsRecvNano[0];
    }
    this.lastSec = b.tsRecvSec[n - 1];
    this.lastNano = b.tsRecvNano[n - 1];
    this.records += n;
  }
  summary(path: string): FileSummary {
    const byAction: Record<string, number> = {};
    for (let i = 0; i < 256; i++) if (this.byAction[i] > 0) byAction[String.fromCharCode(i)] = this.byAction[i];
    const ns = (s: number, n: number) => (s < 0 ? '' : (BigInt(s) * 1_000_000_000n + BigInt(n)).toString());
    return {
      path,
      records: this.records,
      bytes: statSync(path).size,
      byAction,
      firstTsRecvNs: ns(this.firstSec, this.firstNano),
      lastTsRecvNs: ns(this.lastSec, this.lastNano),
    };
  }
}

/** Simulate one session and write it as DBN (v3). Resolves with counts, sizes and timing. */
export async function simulateToFile(opts: SimulateOptions): Promise<SimulateSummary> {
  checkOut(opts.out, '--out');
  if (opts.optionsOut) checkOut(opts.optionsOut, '--options-out');
  if (opts.definitionsOut) checkOut(opts.definitionsOut, '--definitions-out');
  const paths = [opts.out, opts.optionsOut, opts.definitionsOut].filter((p): p is string => !!p);
  if (new Set(paths).size !== paths.length) throw new SimError('two outputs share one path', 'give --out, --options-out and --definitions-out different file names');
  const plan = planSimulation(opts);
  if ((opts.optionsOut || opts.definitionsOut) && !plan.product.hasOptions) {
    throw new SimError(`the options chain is only simulated for ES (not ${plan.product.root})`, 'drop --options-out / --definitions-out or use an ES symbol such as ESH6');
  }
  const t0 = performance.now();
  const zopts = { level: opts.zstdLevel ?? 3 };
  const sim = makeFuturesSim(plan);
  const writers: DbnWriter[] = [];
  let peakRss = process.memoryUsage().rss;
  try {
    const fw = openDbnFileWriter(opts.out, zopts);
    writers.push(fw);
    fw.writeMetadata(futuresMetadata(plan));

    let chain: OptionChain | undefined;
    if (opts.optionsOut || opts.definitionsOut) chain = buildChain(plan, sim.midE9());
    let defRecords = 0;
    if (opts.definitionsOut && chain) {
      const dw = openDbnFileWriter(opts.definitionsOut, zopts);
      writers.push(dw);
      const defs = [futureDefinition(plan), ...chainDefinitions(chain, plan)];
      dw.writeMetadata(
        makeMetadata({
          dataset: 'GLBX.MDP3',
          schema: 'definition',
          start: BigInt(plan.startSec) * 1_000_000_000n,
          end: BigInt(plan.endSec) * 1_000_000_000n,
          symbols: defs.map((d) => d.raw_symbol as string),
          mappings: mappings(
            plan,
            defs.map((d) => ({ raw: d.raw_symbol as string, id: d.instrument_id as number })),
          ),
        }),
      );
      for (const d of defs) dw.writeDefinition(d);
      defRecords = defs.length;
      await dw.close();
    }
    let osim: OptionsSim | undefined;
    let ow: DbnWriter | undefined;
    const oTally = new Tally();
    if (opts.optionsOut && chain) {
      ow = openDbnFileWriter(opts.optionsOut, zopts);
      writers.push(ow);
      ow.writeMetadata(
        makeMetadata({
          dataset: 'GLBX.MDP3',
          schema: 'mbo',
          start: BigInt(plan.startSec) * 1_000_000_000n,
          end: BigInt(plan.endSec) * 1_000_000_000n,
          symbols: [`${plan.product.root}.OPT`],
          stype_in: 'parent',
          mappings: mappings(
            plan,
            chain.instruments.map((o) => ({ raw: o.rawSymbol, id: o.instrumentId })),
          ),
        }),
      );
      osim = new OptionsSim(chain, plan);
    }

    const fTally = new Tally();
    const duration = (plan.endSec - plan.startSec) * 1e9;
    let nBatches = 0;
    for (const b of sim.batches()) {
      fTally.add(b);
      fw.writeMboBatch(b);
      if (osim && ow) {
        osim.follow(sim.sampleT, sim.sampleMid, sim.nSamples);
        for (const ob of osim.drain()) {
          oTally.add(ob);
          ow.writeMboBatch(ob);
        }
      }
      if (++nBatches % 8 === 0) {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        opts.onProgress?.({
          fraction: Math.min(1, sim.nowNs / duration),
          futuresRecords: fTally.records,
          optionsRecords: oTally.records,
          simTimeNs: (BigInt(plan.startSec) * 1_000_000_000n + BigInt(Math.round(sim.nowNs))).toString(),
        });
        // let the event loop breathe (abort signals, progress messages) in long runs
        await new Promise<void>((r) => setImmediate(r));
        if (opts.signal?.aborted) throw new SimError('simulation cancelled', 'nothing was kept: the partial output files were removed');
      }
    }
    if (osim && ow) {
      for (const ob of osim.finish()) {
        oTally.add(ob);
        ow.writeMboBatch(ob);
      }
    }
    for (const w of writers) await w.close();
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const seconds = (performance.now() - t0) / 1000;
    const st = sim.stats;
    const summary: SimulateSummary = {
      simulatorVersion: SIMULATOR_VERSION,
      symbol: plan.symbol,
      instrumentId: plan.instrumentId,
      date: plan.date,
      timeZone: plan.tz,
      seed: plan.seed,
      intensity: plan.intensity,
      sessionStartNs: (BigInt(plan.startSec) * 1_000_000_000n).toString(),
      sessionEndNs: (BigInt(plan.endSec) * 1_000_000_000n).toString(),
      futures: { ...fTally.summary(opts.out), trades: st.trades, icebergRefills: st.icebergRefills, walls: st.walls, flickers: st.flickers, finalMid: sim.midE9() / 1e9 },
      seconds,
      eventsPerSecond: (fTally.records + oTally.records) / seconds,
      peakRssBytes: peakRss,
    };
    if (opts.optionsOut && osim) summary.options = { ...oTally.summary(opts.optionsOut), instruments: chain!.instruments.length, trades: osim.trades };
    if (opts.definitionsOut) summary.definitions = { path: opts.definitionsOut, records: defRecords, bytes: statSync(opts.definitionsOut).size };
    return summary;
  } catch (e) {
    for (const w of writers) {
      try {
        await w.close();
      } catch {
        /* already failing: the first error is the one to report */
      }
    }
    for (const p of paths) {
      try {
        unlinkSync(p);
      } catch {
        /* not created */
      }
    }
    throw e;
  }
}
