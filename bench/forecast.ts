// Forecast benchmark (issue 11), `npx tsx bench/forecast.ts [--pairs N] [--reps N]`:
// 1. CPU µs per window (process.cpuUsage, not wall: the shared VM's load inflates wall time):
//    ForecastFeatureStep over ~300 windows' grids copied out of the engine (evenly spaced, valid
//    and invalid as they come), and ForecastRunner with every family over the session's rows —
//    columnar (step: what CSV, evaluation and calibration use) and as objects (push, dropped
//    after each window as a live stream would) — best and median of --reps; on the real ESH4
//    hour and the demo span. Target ≤ 50 µs for everything.
// 2. Paired A/B of the ingest's compute half in one process: A = engine + the window writers
//    (null chunk sinks), B = A + the feature step + its writer; ABBA passes over the same
//    decoded batches, CPU seconds per pass, median of the per-pair ratios B/A.
// 3. One real ingest into a temp DuckDB: the features table's append seconds and the total.
// Result: bench/results/forecast.json (the BENCHMARKS.md table is written from it by hand).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PARAMS, applyParamOverrides } from '../contracts/params';
import { readDbnFile } from '../src-worker/dbn/reader';
import type { MboBatch } from '../src-worker/dbn/mboBatch';
import type { WindowGrid } from '../src-worker/fields/windowGrid';
import { stepOf, type WindowStep } from '../src-worker/fields/windowStep';
import { cloneFeatureRow, type FeatureRow } from '../src-worker/forecast/featureRow';
import { ForecastFeatureStep } from '../src-worker/forecast/featureStep';
import { ForecastRunner } from '../src-worker/forecast/runner';
import { WindowGrid as Grid } from '../src-worker/fields/windowGrid';
import { FuturesEngine } from '../src-worker/pipeline/futuresEngine';
import { ingestFile } from '../src-worker/pipeline/ingest';
import { ForecastFeatureWriter, WindowWriter } from '../src-worker/products/futureMbo/tableWriters';
import { demoInput, REAL_INPUT, type ForecastInput } from './forecastInputs';
import { copyBatch, cpuS, median } from './measure';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const PAIRS = arg('pairs', 4);
const REPS = arg('reps', 5);


async function decode(inp: ForecastInput): Promise<MboBatch[]> {
  const batches: MboBatch[] = [];
  for await (const ev of readDbnFile(inp.file)) {
    if (ev.kind !== 'mbo' || ev.batch.count === 0) continue;
    batches.push(copyBatch(ev.batch));
    if (ev.batch.tsRecvSec[ev.batch.count - 1] >= inp.sessionEndSec) break;
  }
  return batches;
}

function engineOf(inp: ForecastInput, steps: WindowStep[]): FuturesEngine {
  return new FuturesEngine(
    { instrumentId: inp.instrumentId, tickInt: inp.tickInt, sessionStartSec: inp.sessionStartSec, sessionEndSec: inp.sessionEndSec, gridHalfWidthTicks: 200, restThresholdMs: 500, params: DEFAULT_PARAMS },
    steps,
  );
}

function drive(e: FuturesEngine, batches: readonly MboBatch[]): void {
  for (const b of batches) {
    if (e.done) break;
    e.pushBatch(b);
  }
  e.finish();
}

/** The compute half of an ingest: writers fill chunks handed to a sink that keeps nothing. */
function ingestPass(inp: ForecastInput, batches: readonly MboBatch[], withFeatures: boolean): number {
  const sink = () => (buf: ArrayBuffer) => buf;
  const windows = new WindowWriter(sink, 1, inp.tickInt);
  const steps: WindowStep[] = [stepOf('window_writer', (g: WindowGrid) => windows.onWindow(g))];
  if (withFeatures) {
    const fw = new ForecastFeatureWriter(sink, 1);
    steps.push(new ForecastFeatureStep((r) => fw.write(r)));
  }
  const c0 = cpuS();
  drive(engineOf(inp, steps), batches);
  return cpuS() - c0;
}

/** A grid's copy (the engine reuses its grid). */
function copyGrid(g: WindowGrid): Grid {
  const c = new Grid(g.half, g.wallsAbove.length);
  c.buf.set(g.buf);
  c.hasRow.set(g.hasRow);
  c.wallsAbove.set(g.wallsAbove);
  c.wallsBelow.set(g.wallsBelow);
  c.voidsAbove.set(g.voidsAbove);
  c.voidsBelow.set(g.voidsBelow);
  Object.assign(c, { windowSec: g.windowSec, valid: g.valid, bestBidTick: g.bestBidTick, bestBidQty: g.bestBidQty, bestAskTick: g.bestAskTick, bestAskQty: g.bestAskQty, lastTradePriceInt: g.lastTradePriceInt, spotTick: g.spotTick });
  return c;
}

async function measure(inp: ForecastInput) {
  const batches = await decode(inp);
  // ---- feature step per window: rows of the session, and copies of ~300 grids ----
  const rows: FeatureRow[] = [];
  const grids: Grid[] = [];
  const windowsTotal = inp.sessionEndSec - inp.sessionStartSec;
  const every = Math.max(1, Math.floor(windowsTotal / 300));
  let k = 0;
  drive(
    engineOf(inp, [
      new ForecastFeatureStep((r) => rows.push(cloneFeatureRow(r))),
      stepOf('copy', (g) => {
        if (k++ % every === 0) grids.push(copyGrid(g));
      }),
    ]),
    batches,
  );
  const valid = rows.filter((r) => r.valid).length;
  const featureUs: number[] = [];
  for (let r = 0; r <= REPS; r++) {
    const step = new ForecastFeatureStep();
    const c0 = cpuS();
    for (let loop = 0; loop < 10; loop++) for (const g of grids) step.onWindow(g);
    const us = ((cpuS() - c0) * 1e6) / (10 * grids.length);
    if (r > 0) featureUs.push(us); // pass 0 warms the JIT
  }
  // ---- runner, every family ----
  const runnerUs = (params = DEFAULT_PARAMS, objects = false): number[] => {
    const out: number[] = [];
    for (let r = 0; r <= REPS; r++) {
      const runner = new ForecastRunner(params);
      let sink = 0;
      const c0 = cpuS();
      if (objects) for (const row of rows) sink += runner.push(row).families.length;
      else for (const row of rows) sink += runner.step(row).values[0];
      const us = ((cpuS() - c0) * 1e6) / rows.length;
      if (sink === -1) console.error('unreachable');
      if (r > 0) out.push(us);
    }
    return out;
  };
  const frozen = runnerUs();
  const slope = runnerUs(applyParamOverrides(DEFAULT_PARAMS, { extrapolation: 'slope' }));
  const objects = runnerUs(DEFAULT_PARAMS, true);
  // ---- paired ABBA: ingest compute without (A) and with (B) the features ----
  ingestPass(inp, batches, false);
  ingestPass(inp, batches, true);
  const a: number[] = [];
  const b: number[] = [];
  for (let p = 0; p < PAIRS; p++) {
    if (p % 2 === 0) {
      a.push(ingestPass(inp, batches, false));
      b.push(ingestPass(inp, batches, true));
    } else {
      b.push(ingestPass(inp, batches, true));
      a.push(ingestPass(inp, batches, false));
    }
  }
  const ratios = a.map((x, i) => b[i] / x);
  return {
    windows: rows.length,
    validWindows: valid,
    gridsTimed: grids.length,
    featureStepCpuUsPerWindow: { best: +Math.min(...featureUs).toFixed(2), median: +median(featureUs).toFixed(2) },
    runnerAllFamiliesCpuUsPerWindow: {
      columnarFrozen: { best: +Math.min(...frozen).toFixed(2), median: +median(frozen).toFixed(2) },
      columnarSlope: { best: +Math.min(...slope).toFixed(2), median: +median(slope).toFixed(2) },
      objects: { best: +Math.min(...objects).toFixed(2), median: +median(objects).toFixed(2) },
    },
    totalCpuUsPerWindowMedian: +(median(featureUs) + median(frozen)).toFixed(2),
    ingestComputeAB: {
      pairs: PAIRS,
      withoutFeaturesCpuS: a.map((x) => +x.toFixed(3)),
      withFeaturesCpuS: b.map((x) => +x.toFixed(3)),
      ratios: ratios.map((x) => +x.toFixed(3)),
      medianRatio: +median(ratios).toFixed(4),
    },
  };
}

async function main(): Promise<void> {
  const started = new Date().toISOString();
  const load = [loadavg()[0]];
  const result: Record<string, unknown> = { started, node: process.version, pairs: PAIRS, reps: REPS };
  for (const inp of [REAL_INPUT, await demoInput()]) {
    console.error(`measuring ${inp.name} …`);
    const m = await measure(inp);
    result[inp.name] = m;
    console.error(JSON.stringify(m));
    load.push(loadavg()[0]);
  }
  // One real ingest: the features table's share of the DuckDB work.
  const dir = mkdtempSync(join(tmpdir(), 'bench-forecast-'));
  try {
    const s = await ingestFile({ file: REAL_INPUT.file, dbPath: join(dir, 'b.duckdb'), ...REAL_INPUT.ingest });
    result.realIngest = {
      totalSeconds: s.seconds.total,
      featuresAppendSeconds: s.seconds['write.gold.forecast_features_1s'],
      featureRows: s.rows['gold.future_mbo.forecast_features_1s'],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  load.push(loadavg()[0]);
  result.loadAvg1m = load.map((x) => +x.toFixed(2));
  result.finished = new Date().toISOString();
  writeFileSync('bench/results/forecast.json', JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result, null, 2));
}

void main();
