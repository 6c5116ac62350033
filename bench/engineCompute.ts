// `npm run bench:compute [-- --inputs day,stress,real] [--reps 3] [--no-stream]`
// Compute-only speed of the futures path: the order book alone, and FuturesEngine
// (book + silver + gold) with a no-op window listener, over events decoded into memory first
// (the decoder is not timed). Each input runs in its own child process (its own heap and JIT).
// Writes bench/results/engine-compute.json.
//
// Inputs (session = the build's window; the engine stops at its end, so only events from the
// file start through the session end are processed and counted):
//   day     bench/out/sim-es-day.dbn.zst    simulated Globex day ESH6 from 2026-01-05 18:00 NY,
//                                           session 09:30–10:30 NY 2026-01-06 (main input)
//   stress  bench/out/sim-es-20000000.dbn.zst  27.3 M events 09:00–10:30 at intensity 5.2,
//                                           ≈ 250–300 k live orders (memory-bound)
//   real    ../shared/data/real/esh4-…-20231225  real ESH4, 18:00–19:00 NY: few events,
//                                           3,600 windows (per-window work dominates)
//
// Per input, best of `reps` passes each (CPU s = process.cpuUsage user + system):
//   book        OrderBook.applyRange over the same events the engine processes (the fast path
//               the engine uses, one call per batch)
//   bookRecord  OrderBook.apply record by record (the reference path every uncommon record takes)
//   engineIdle  FuturesEngine with an empty session ([end, end)): per-event overhead, no windows
//   engine      FuturesEngine over the session (book + silver + gold)
// perWindowUs = (engine − engineIdle) CPU / windows: the window work (ladder reads, gold)
// plus the flow attribution of events inside open windows.
// `stream` (day input only): readDbnFile streaming decode + engine, one pass, wall and CPU.
// `cold` (real input only): the engine's first pass in a fresh process (events decoded into
// memory first, so only the engine is timed), 3 processes: the JIT warm-up a one-off build pays.
// `--digest`: no timing; print a sha256 over every emitted window (all scalars and every
// typed array of the WindowGrid) per input, to prove an optimisation changes no output bit.
// `--ab DIR` (e.g. a `git worktree add /tmp/base <commit>`): paired A/B in ONE process per
// input: FuturesEngine from DIR (base) and from this checkout (new), each its own module copy
// with its own JIT code, alternating passes ABBA… over the same batches; prints and stores (key
// `ab`) every pass and the median of the per-pair ratios new/base. On this shared 2-core VM the
// same engine pass varies 1.3–2.4 CPU-s from minute to minute (idle machine, same process), so
// back-to-back pairs are the only comparison that resolves a change of a few per cent.
// `--note TEXT` is stored with the A/B result (what base and new are).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { ensureSimInput } from './simInputs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_PARAMS } from '../contracts/params';
import { OrderBook } from '../src-worker/book/orderBook';
import type { MboBatch } from '../src-worker/dbn/mboBatch';
import { readDbnFile } from '../src-worker/dbn/reader';
import { driveEngine } from '../src-worker/pipeline/driveEngine';
import { FuturesEngine } from '../src-worker/pipeline/futuresEngine';
import { hashGridOutput, type WindowGrid } from '../src-worker/fields/windowGrid';
import { copyBatch, cpuS, median } from './measure';

const RESULT = join(process.cwd(), 'bench', 'results', 'engine-compute.json');
const TICK = 250_000_000;
const RTH_START = Date.UTC(2026, 0, 6, 14, 30) / 1000; // 09:30 New York (UTC−5)

interface Input {
  name: string;
  file: string;
  instrumentId: number;
  sessionStartSec: number;
  sessionEndSec: number;
  session: string;
}

const INPUTS: Record<string, Input> = {
  day: { name: 'day', file: 'bench/out/sim-es-day.dbn.zst', instrumentId: 42140864, sessionStartSec: RTH_START, sessionEndSec: RTH_START + 3600, session: '2026-01-06 09:30–10:30 America/New_York' },
  stress: { name: 'stress', file: 'bench/out/sim-es-20000000.dbn.zst', instrumentId: 42140864, sessionStartSec: RTH_START, sessionEndSec: RTH_START + 3600, session: '2026-01-06 09:30–10:30 America/New_York' },
  real: { name: 'real', file: '../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst', instrumentId: 17077, sessionStartSec: 1703545200, sessionEndSec: 1703545200 + 3600, session: '2023-12-25 18:00–19:00 America/New_York' },
};

interface Timing {
  wallSeconds: number;
  cpuSeconds: number;
  eventsPerSec: number;
  eventsPerCpuSec: number;
  /** Every pass (CPU s), to show the spread. */
  cpuPasses: number[];
  /** Median pass (CPU s): the best pass is the least disturbed one; the median shows the minute's noise (see --ab). */
  medianCpuSeconds: number;
}

interface InputResult {
  input: string;
  file: string;
  session: string;
  /** Records in memory (file start until just past the session end) and events the engine processed. */
  recordsDecoded: number;
  eventsProcessed: number;
  windows: number;
  validWindows: number;
  liveOrdersAtSessionEnd: number;
  book: Timing;
  bookRecord: Timing;
  engineIdle: Timing;
  engine: Timing;
  perWindowUs: number;
  stream?: { wallSeconds: number; cpuSeconds: number; eventsPerSec: number; eventsPerCpuSec: number; events: number };
  /** First engine pass in fresh processes (CPU s counts the JIT's compiler threads too). */
  cold?: { cpuSeconds: number[]; wallSeconds: number[] };
  loadAvg1m: number[];
  peakRssBytes: number;
}

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};


/** Decode the file's batches into memory, stopping after the first batch that reaches the session end. */
async function decodeUntil(inp: Input): Promise<MboBatch[]> {
  const batches: MboBatch[] = [];
  for await (const ev of readDbnFile(inp.file)) {
    if (ev.kind !== 'mbo' || ev.batch.count === 0) continue;
    batches.push(copyBatch(ev.batch));
    if (ev.batch.tsRecvSec[ev.batch.count - 1] >= inp.sessionEndSec) break;
  }
  return batches;
}

function newEngine(inp: Input, idle: boolean, onWindow: (g: WindowGrid) => void): FuturesEngine {
  return new FuturesEngine(
    {
      instrumentId: inp.instrumentId,
      tickInt: TICK,
      sessionStartSec: idle ? inp.sessionEndSec : inp.sessionStartSec,
      sessionEndSec: inp.sessionEndSec,
      gridHalfWidthTicks: 200,
      restThresholdMs: 500,
      params: DEFAULT_PARAMS,
    },
    onWindow,
  );
}

function best(passes: { wall: number; cpu: number }[], events: number): Timing {
  const cpu = Math.min(...passes.map((p) => p.cpu));
  const wall = Math.min(...passes.map((p) => p.wall));
  return { wallSeconds: wall, cpuSeconds: cpu, eventsPerSec: events / wall, eventsPerCpuSec: events / cpu, cpuPasses: passes.map((p) => +p.cpu.toFixed(3)), medianCpuSeconds: +median(passes.map((p) => p.cpu)).toFixed(3) };
}

async function child(inp: Input, reps: number, stream: boolean): Promise<InputResult> {
  const load = [loadavg()[0]];
  const batches = await decodeUntil(inp);
  const recordsDecoded = batches.reduce((s, b) => s + b.count, 0);
  // One engine pass to learn where the session ends (the rows the engine consumes per batch).
  const stops: number[] = [];
  const probe = newEngine(inp, false, () => undefined);
  for (const b of batches) {
    stops.push(probe.done ? 0 : probe.pushBatch(b));
  }
  probe.finish();
  const eventsProcessed = probe.events;
  const liveOrders = probe.book.orderCount;

  const runEngine = (idle: boolean): { wall: number; cpu: number; windows: number; valid: number } => {
    let windows = 0;
    const e = newEngine(inp, idle, () => void windows++);
    const w0 = performance.now();
    const c0 = cpuS();
    driveEngine(e, batches);
    const cpu = cpuS() - c0;
    const wall = (performance.now() - w0) / 1000;
    if (e.events !== eventsProcessed) throw new Error(`engine processed ${e.events} events, probe ${eventsProcessed}`);
    return { wall, cpu, windows, valid: e.validWindows };
  };
  const runBook = (perRecord: boolean): { wall: number; cpu: number } => {
    const book = new OrderBook(TICK);
    const iid = inp.instrumentId;
    const w0 = performance.now();
    const c0 = cpuS();
    for (let k = 0; k < batches.length; k++) {
      const b = batches[k];
      const stop = stops[k];
      if (!perRecord) book.applyRange(b, 0, stop, iid);
      else for (let i = 0; i < stop; i++) if (b.instrumentId[i] === iid) book.apply(b, i);
    }
    const cpu = cpuS() - c0;
    const wall = (performance.now() - w0) / 1000;
    if (book.records !== eventsProcessed) throw new Error(`book applied ${book.records} events, engine ${eventsProcessed}`);
    return { wall, cpu };
  };

  const bookP: { wall: number; cpu: number }[] = [];
  const bookRecP: { wall: number; cpu: number }[] = [];
  const idleP: { wall: number; cpu: number }[] = [];
  const engP: { wall: number; cpu: number }[] = [];
  let windows = 0;
  let validWindows = 0;
  // Interleaved passes: a load change on the shared VM hits all three modes alike.
  for (let r = 0; r < reps; r++) {
    bookP.push(runBook(false));
    bookRecP.push(runBook(true));
    idleP.push(runEngine(true));
    const e = runEngine(false);
    engP.push(e);
    windows = e.windows;
    validWindows = e.valid;
    load.push(loadavg()[0]);
  }
  const res: InputResult = {
    input: inp.name,
    file: inp.file,
    session: inp.session,
    recordsDecoded,
    eventsProcessed,
    windows,
    validWindows,
    liveOrdersAtSessionEnd: liveOrders,
    book: best(bookP, eventsProcessed),
    bookRecord: best(bookRecP, eventsProcessed),
    engineIdle: best(idleP, eventsProcessed),
    engine: best(engP, eventsProcessed),
    perWindowUs: 0,
    loadAvg1m: load.map((l) => +l.toFixed(2)),
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  res.perWindowUs = windows > 0 ? ((res.engine.cpuSeconds - res.engineIdle.cpuSeconds) / windows) * 1e6 : 0;
  if (stream) {
    batches.length = 0;
    // Streaming: decode (zstd + DBN) and engine together, as ingest runs them (no DuckDB).
    let windowsS = 0;
    const e = newEngine(inp, false, () => void windowsS++);
    const w0 = performance.now();
    const c0 = cpuS();
    for await (const ev of readDbnFile(inp.file)) {
      if (ev.kind !== 'mbo') continue;
      e.pushBatch(ev.batch);
      if (e.done) break;
    }
    e.finish();
    const cpu = cpuS() - c0;
    const wall = (performance.now() - w0) / 1000;
    res.stream = { wallSeconds: wall, cpuSeconds: cpu, eventsPerSec: e.events / wall, eventsPerCpuSec: e.events / cpu, events: e.events };
  }
  return res;
}

/** sha256 over every emitted window's whole output (hashGridOutput) and the final counts. */
async function digestInput(inp: Input): Promise<string> {
  const h = createHash('sha256');
  const e = newEngine(inp, false, (g) => hashGridOutput(g, (d) => h.update(d)));
  for await (const ev of readDbnFile(inp.file)) {
    if (ev.kind !== 'mbo') continue;
    e.pushBatch(ev.batch);
    if (e.done) break;
  }
  e.finish();
  h.update(`events=${e.events};windows=${e.windows};valid=${e.validWindows};orders=${e.book.orderCount}`);
  return h.digest('hex');
}

function fmt(r: InputResult): string {
  const m = (t: Timing) => `${(t.eventsPerCpuSec / 1e6).toFixed(2)} M/CPU-s (${t.cpuSeconds.toFixed(2)} CPU-s best, ${t.medianCpuSeconds.toFixed(2)} median, ${t.wallSeconds.toFixed(2)} s wall)`;
  return [
    `${r.input}: ${r.eventsProcessed.toLocaleString('en-US')} events processed, ${r.windows} windows, ${r.liveOrdersAtSessionEnd.toLocaleString('en-US')} live orders at session end`,
    `  book        ${m(r.book)}`,
    `  book/record ${m(r.bookRecord)}`,
    `  engine idle ${m(r.engineIdle)}`,
    `  engine      ${m(r.engine)}   per window ${r.perWindowUs.toFixed(1)} µs`,
    r.cold ? `  cold engine CPU s ${r.cold.cpuSeconds.map((x) => x.toFixed(3)).join(' ')}, wall s ${r.cold.wallSeconds.map((x) => x.toFixed(3)).join(' ')} (fresh processes)` : '',
    r.stream ? `  stream      ${(r.stream.eventsPerSec / 1e6).toFixed(2)} M/s wall, ${(r.stream.eventsPerCpuSec / 1e6).toFixed(2)} M/CPU-s (${r.stream.wallSeconds.toFixed(2)} s)` : '',
    `  load ${r.loadAvg1m.join(' → ')}, peak RSS ${(r.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
  ]
    .filter(Boolean)
    .join('\n');
}

interface AbResult {
  input: string;
  base: string;
  reps: number;
  /** CPU s per pass, in run order within each mode. */
  baseCpu: number[];
  newCpu: number[];
  medianBase: number;
  medianNew: number;
  /** new / base per back-to-back pair, and their median (< 1: the new code is faster). */
  ratios: number[];
  medianRatio: number;
  loadAvg1m: number[];
}

/** Paired A/B of FuturesEngine from `baseDir` against this checkout's, in this process. */
async function abChild(inp: Input, baseDir: string, reps: number): Promise<AbResult> {
  const load = [loadavg()[0]];
  const url = pathToFileURL(join(resolve(baseDir), 'src-worker', 'pipeline', 'futuresEngine.ts')).href;
  const Base = ((await import(url)) as { FuturesEngine: typeof FuturesEngine }).FuturesEngine;
  if (Base === FuturesEngine) throw new Error(`--ab ${baseDir} resolves to this checkout's engine`);
  const batches = await decodeUntil(inp);
  const pass = (E: typeof FuturesEngine): { cpu: number; events: number } => {
    const cfg = { instrumentId: inp.instrumentId, tickInt: TICK, sessionStartSec: inp.sessionStartSec, sessionEndSec: inp.sessionEndSec, gridHalfWidthTicks: 200, restThresholdMs: 500, params: DEFAULT_PARAMS };
    const e = new E(cfg, () => undefined);
    const c0 = cpuS();
    driveEngine(e, batches);
    return { cpu: cpuS() - c0, events: e.events };
  };
  const baseCpu: number[] = [];
  const newCpu: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < reps; r++) {
    // ABBA order: neither side always runs first in a pair.
    const first = r % 2 === 0 ? 'base' : 'new';
    let b = 0;
    let n = 0;
    for (const m of first === 'base' ? ['base', 'new'] : ['new', 'base']) {
      const x = pass(m === 'base' ? Base : FuturesEngine);
      if (m === 'base') b = x.cpu;
      else n = x.cpu;
    }
    baseCpu.push(+b.toFixed(3));
    newCpu.push(+n.toFixed(3));
    ratios.push(+(n / b).toFixed(3));
    load.push(+loadavg()[0].toFixed(2));
  }
  return { input: inp.name, base: resolve(baseDir), reps, baseCpu, newCpu, medianBase: +median(baseCpu).toFixed(3), medianNew: +median(newCpu).toFixed(3), ratios, medianRatio: +median(ratios).toFixed(3), loadAvg1m: load };
}

/** One engine pass in this (fresh) process: CPU and wall seconds. */
async function coldChild(inp: Input): Promise<{ cpu: number; wall: number }> {
  const batches = await decodeUntil(inp);
  const e = newEngine(inp, false, () => undefined);
  const w0 = performance.now();
  const c0 = cpuS();
  driveEngine(e, batches);
  return { cpu: cpuS() - c0, wall: (performance.now() - w0) / 1000 };
}

async function main(): Promise<void> {
  const reps = Number(arg('reps') ?? 3);
  if (process.argv.includes('--cold-child')) {
    process.stdout.write(JSON.stringify(await coldChild(INPUTS[arg('input')!])) + '\n');
    return;
  }
  if (process.argv.includes('--ab-child')) {
    process.stdout.write(JSON.stringify(await abChild(INPUTS[arg('input')!], arg('ab')!, reps)) + '\n');
    return;
  }
  if (process.argv.includes('--child')) {
    const inp = INPUTS[arg('input')!];
    const r = await child(inp, reps, process.argv.includes('--stream'));
    process.stdout.write(JSON.stringify(r) + '\n');
    return;
  }
  const names = (arg('inputs') ?? 'day,stress,real').split(',');
  if (process.argv.includes('--digest')) {
    for (const name of names) {
      if (name === 'day' || name === 'stress') await ensureSimInput(name);
      console.log(`${name} ${await digestInput(INPUTS[name])}`);
    }
    return;
  }
  const prevFile = existsSync(RESULT) ? JSON.parse(readFileSync(RESULT, 'utf8')) : null;
  const abDir = arg('ab');
  if (abDir) {
    const abs: AbResult[] = [];
    for (const name of names) {
      const inp = INPUTS[name];
      if (!inp) throw new Error(`unknown input ${name} (day, stress, real)`);
      if (name === 'day' || name === 'stress') await ensureSimInput(name);
      console.error(`${name} A/B against ${abDir} … (load ${loadavg()[0].toFixed(2)})`);
      const args = ['--import', 'tsx', 'bench/engineCompute.ts', '--ab-child', '--ab', abDir, '--input', name, '--reps', String(reps)];
      const r = spawnSync(process.execPath, ['--max-old-space-size=8192', ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
      if (r.status !== 0) throw new Error(`bench A/B child ${name} failed: ${r.stderr}`);
      const res: AbResult = JSON.parse(r.stdout.trim().split('\n').pop()!);
      console.error(`  base ${res.baseCpu.join(' ')}\n  new  ${res.newCpu.join(' ')}\n  new/base per pair ${res.ratios.join(' ')} → median ${res.medianRatio}`);
      abs.push(res);
    }
    if (prevFile) {
      prevFile.ab = { date: new Date().toISOString(), note: arg('note') ?? '', method: 'one process per input; base and new FuturesEngine module copies alternate ABBA over the same in-memory batches; CPU s per pass', results: abs };
      writeFileSync(RESULT, JSON.stringify(prevFile, null, 2) + '\n');
      console.error(`wrote ${RESULT} (key ab)`);
    }
    return;
  }
  const results: InputResult[] = [];
  for (const name of names) {
    const inp = INPUTS[name];
    if (!inp) throw new Error(`unknown input ${name} (day, stress, real)`);
    if (name === 'day' || name === 'stress') await ensureSimInput(name);
    if (!existsSync(inp.file)) throw new Error(`${inp.file} is missing`);
    const stream = name === 'day' && !process.argv.includes('--no-stream');
    console.error(`${name} … (load ${loadavg()[0].toFixed(2)})`);
    const args = ['--import', 'tsx', 'bench/engineCompute.ts', '--child', '--input', name, '--reps', String(reps)];
    if (stream) args.push('--stream');
    const r = spawnSync(process.execPath, ['--max-old-space-size=8192', ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`bench child ${name} failed: ${r.stderr}`);
    const res: InputResult = JSON.parse(r.stdout.trim().split('\n').pop()!);
    if (name === 'real') {
      res.cold = { cpuSeconds: [], wallSeconds: [] };
      for (let k = 0; k < 3; k++) {
        const c = spawnSync(process.execPath, ['--import', 'tsx', 'bench/engineCompute.ts', '--cold-child', '--input', name], { encoding: 'utf8' });
        if (c.status !== 0) throw new Error(`bench cold child failed: ${c.stderr}`);
        const v = JSON.parse(c.stdout.trim().split('\n').pop()!);
        res.cold.cpuSeconds.push(+v.cpu.toFixed(3));
        res.cold.wallSeconds.push(+v.wall.toFixed(3));
      }
    }
    console.error(fmt(res));
    results.push(res);
  }
  let commit = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    /* not a git checkout */
  }
  const previous: InputResult[] = prevFile && arg('inputs') ? prevFile.results : [];
  const out = {
    date: new Date().toISOString(),
    commit,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAvg1mAtEnd: loadavg()[0] },
    method: 'events decoded into memory first; best of N interleaved passes per mode; CPU s = process.cpuUsage (user + system) of the child process',
    results: [...previous.filter((p) => !results.some((r) => r.input === p.input)), ...results],
    // The figures before the compute work (same script, same machine, interleaved runs), kept across re-runs.
    baseline: prevFile?.baseline,
    ab: prevFile?.ab,
  };
  mkdirSync(join(process.cwd(), 'bench', 'results'), { recursive: true });
  writeFileSync(RESULT, JSON.stringify(out, null, 2) + '\n');
  console.error(`wrote ${RESULT}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
