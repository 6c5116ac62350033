// `npm run bench:ingest [-- --events 20000000] [--quick]`
// Speed and memory of the futures pipeline on a simulated ES-like day whose session window
// holds the first RTH hour, plus the real ESH4 file end to end. Each measurement runs in its
// own child process so its peak RSS is its own. Writes bench/results/ingest.json.
//
// Modes:
//   decode            read + decode the file only (the floor under everything else)
//   book              decode + order book for the instrument
//   engine            decode + book + silver + gold (FuturesEngine, windows consumed by a no-op)
//   e2e               ingestFile into a fresh DuckDB file (hash, decode, engine, DuckDB, commit)
//   e2e-nobronze      the same without the Bronze event table (ingest option bronze: false)
// `--modes a,b` runs a subset and merges it into an existing result file.
//   mem               compute only, on the small (2 M-event) simulated file decoded into memory:
//                     seconds/eventsPerSec = book + silver + gold, inner* = book alone (CPU s, best of 3)
// For book and engine the time spent inside the book / engine is also reported alone.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PARAMS } from '../contracts/params';
import { decodeDbnSync, readDbnFile } from '../src-worker/dbn/reader';
import { OrderBook } from '../src-worker/book/orderBook';
import { FuturesEngine } from '../src-worker/pipeline/futuresEngine';
import { ingestFile } from '../src-worker/pipeline/ingest';
import { simulateToFile } from '../src-worker/sim/index';

const OUT = join(process.cwd(), 'bench', 'out');
const RESULT = join(process.cwd(), 'bench', 'results', 'ingest.json');
const REAL = '../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst';

interface SimFile {
  path: string;
  instrumentId: number;
  date: string;
  records: number;
  bytes: number;
}

interface ModeResult {
  mode: string;
  file: string;
  events: number;
  seconds: number;
  eventsPerSec: number;
  /** user + system CPU seconds of the whole child process (all threads, DuckDB's included). */
  cpuSeconds?: number;
  /** Time inside the book (book mode) or engine (engine mode) only, and its rate. */
  innerSeconds?: number;
  innerEventsPerSec?: number;
  /** CPU seconds spent inside the book / engine (process CPU time sampled around each batch). */
  innerCpuSeconds?: number;
  innerEventsPerCpuSec?: number;
  windows?: number;
  rows?: Record<string, number>;
  stageSeconds?: Record<string, number>;
  peakRssBytes: number;
}

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

// ---------------------------------------------------------------------------- child modes
async function childMode(mode: string, file: string, iid: number, date: string, start: string, end: string, tz: string): Promise<ModeResult> {
  const startSec = Number(arg('start-sec'));
  const endSec = Number(arg('end-sec'));
  let events = 0;
  let inner = 0;
  let innerCpu = 0;
  const cpuNow = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const t0 = performance.now();
  if (mode === 'e2e' || mode === 'e2e-nobronze') {
    const db = join(OUT, `bench-${process.pid}.duckdb`);
    rmSync(db, { force: true });
    const s = await ingestFile({ file, dbPath: db, date, start, end, tz, bronze: mode === 'e2e' });
    const seconds = (performance.now() - t0) / 1000;
    rmSync(db, { force: true });
    rmSync(db + '.wal', { force: true });
    return { mode, file, events: s.events.processed, seconds, eventsPerSec: s.events.processed / seconds, rows: s.rows, stageSeconds: s.seconds, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
  }
  if (mode === 'mem') {
    // Compute only: the whole file decoded into memory first, then the book and the engine
    // replayed over it three times (best pass kept), timed by CPU seconds of this thread's work.
    const d = decodeDbnSync(new Uint8Array(readFileSync(file)));
    const b = d.mbo;
    const cpuS = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1e6;
    };
    let bestBook = Infinity;
    let bestEngine = Infinity;
    let windows = 0;
    for (let rep = 0; rep < 3; rep++) {
      const book = new OrderBook(250_000_000);
      let c = cpuS();
      for (let i = 0; i < b.count; i++) if (b.instrumentId[i] === iid) book.apply(b, i);
      bestBook = Math.min(bestBook, cpuS() - c);
      windows = 0;
      const engine = new FuturesEngine(
        { instrumentId: iid, tickInt: 250_000_000, sessionStartSec: startSec, sessionEndSec: endSec, gridHalfWidthTicks: 200, restThresholdMs: 500, params: DEFAULT_PARAMS },
        () => void windows++,
      );
      c = cpuS();
      engine.pushBatch(b);
      engine.finish();
      bestEngine = Math.min(bestEngine, cpuS() - c);
    }
    return {
      mode,
      file,
      events: b.count,
      seconds: bestEngine,
      eventsPerSec: b.count / bestEngine,
      innerSeconds: bestBook,
      innerEventsPerSec: b.count / bestBook,
      windows,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  }
  const book = mode === 'book' ? new OrderBook(250_000_000) : null;
  let windows = 0;
  const engine =
    mode === 'engine'
      ? new FuturesEngine(
          { instrumentId: iid, tickInt: 250_000_000, sessionStartSec: startSec, sessionEndSec: endSec, gridHalfWidthTicks: 200, restThresholdMs: 500, params: DEFAULT_PARAMS },
          () => void windows++,
        )
      : null;
  for await (const ev of readDbnFile(file)) {
    if (ev.kind !== 'mbo') continue;
    const b = ev.batch;
    if (book) {
      const t = performance.now();
      const c = cpuNow();
      for (let i = 0; i < b.count; i++) if (b.instrumentId[i] === iid) book.apply(b, i);
      innerCpu += cpuNow() - c;
      inner += performance.now() - t;
      events += b.count;
    } else if (engine) {
      if (engine.done) break;
      const t = performance.now();
      const c = cpuNow();
      engine.pushBatch(b);
      innerCpu += cpuNow() - c;
      inner += performance.now() - t;
    } else events += b.count;
  }
  if (engine) {
    engine.finish();
    events = engine.events;
  }
  const seconds = (performance.now() - t0) / 1000;
  const r: ModeResult = { mode, file, events, seconds, eventsPerSec: events / seconds, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
  if (mode !== 'decode') {
    r.innerSeconds = inner / 1000;
    r.innerEventsPerSec = events / (inner / 1000);
    r.innerCpuSeconds = innerCpu;
    r.innerEventsPerCpuSec = events / innerCpu;
  }
  if (engine) r.windows = windows;
  return r;
}

// ---------------------------------------------------------------------------- parent
async function ensureSimFile(targetEvents: number): Promise<SimFile> {
  mkdirSync(OUT, { recursive: true });
  // RTH first hour plus the half hour before it; intensity scales the event count linearly.
  const intensity = Math.max(0.05, (targetEvents / 20_000_000) * 5.2);
  const path = join(OUT, `sim-es-${targetEvents}.dbn.zst`);
  const meta = path + '.json';
  if (existsSync(path) && existsSync(meta)) return JSON.parse(readFileSync(meta, 'utf8'));
  console.error(`simulating ~${(targetEvents / 1e6).toFixed(0)} M events (intensity ${intensity.toFixed(2)}) → ${path}`);
  const s = await simulateToFile({ out: path, symbol: 'ESH6', date: '2026-01-06', start: '09:00', end: '10:30', seed: 42, intensity });
  const f: SimFile = { path, instrumentId: s.instrumentId, date: s.date, records: s.futures.records, bytes: statSync(path).size };
  writeFileSync(meta, JSON.stringify(f));
  return f;
}

function runChild(args: string[]): ModeResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/ingest.ts', '--child', ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop()!;
  return JSON.parse(line);
}

async function main(): Promise<void> {
  if (process.argv.includes('--child')) {
    const cpu0 = process.cpuUsage();
    const res = await childMode(arg('mode')!, arg('file')!, Number(arg('iid')), arg('date')!, arg('start')!, arg('end')!, arg('tz')!);
    const cpu = process.cpuUsage(cpu0);
    res.cpuSeconds = (cpu.user + cpu.system) / 1e6;
    process.stdout.write(JSON.stringify(res) + '\n');
    return;
  }
  const target = Number(arg('events') ?? 20_000_000);
  const sim = await ensureSimFile(target);
  // Session: the RTH first hour 09:30–10:30 New York on 2026-01-06 (UTC−5) = 14:30–15:30 UTC.
  const startSec = Date.UTC(2026, 0, 6, 14, 30) / 1000;
  const endSec = startSec + 3600;
  const common = ['--iid', String(sim.instrumentId), '--date', sim.date, '--start', '09:30', '--end', '10:30', '--tz', 'America/New_York', '--start-sec', String(startSec), '--end-sec', String(endSec)];
  const modes = (arg('modes') ?? 'decode,book,engine,e2e,e2e-nobronze,mem,real-engine,real-e2e').split(',');
  const previous: ModeResult[] = existsSync(RESULT) && arg('modes') ? JSON.parse(readFileSync(RESULT, 'utf8')).results : [];
  const results: ModeResult[] = [];
  for (const mode of modes.filter((m) => !m.startsWith('real-') && m !== 'mem')) {
    console.error(`${mode} …  (load ${loadavg()[0].toFixed(2)})`);
    const r = runChild(['--mode', mode, '--file', sim.path, ...common]);
    console.error(`  ${(r.eventsPerSec / 1e6).toFixed(2)} M events/s, cpu ${r.cpuSeconds?.toFixed(1)} s${r.innerEventsPerSec ? ` (inner ${(r.innerEventsPerSec / 1e6).toFixed(2)} M/s, ${((r.innerEventsPerCpuSec ?? 0) / 1e6).toFixed(2)} M per CPU-s)` : ''}, ${r.seconds.toFixed(2)} s, peak RSS ${(r.peakRssBytes / 2 ** 20).toFixed(0)} MiB`);
    results.push(r);
  }
  if (modes.includes('mem')) {
    const small = await ensureSimFile(2_000_000);
    const r = runChild(['--mode', 'mem', '--file', small.path, ...common.map((v, i) => (i === 1 ? String(small.instrumentId) : v))]);
    console.error(`mem (compute only, ${r.events} events): book ${(r.innerEventsPerSec! / 1e6).toFixed(2)} M/CPU-s, book+silver+gold ${(r.eventsPerSec / 1e6).toFixed(2)} M/CPU-s`);
    results.push(r);
  }
  const realArgs = ['--iid', '17077', '--date', '2023-12-25', '--start', '18:00', '--end', '19:00', '--tz', 'America/New_York', '--start-sec', '1703545200', '--end-sec', '1703548800'];
  for (const mode of modes.filter((m) => m.startsWith('real-')).map((m) => m.slice(5))) {
    const r = runChild(['--mode', mode, '--file', REAL, ...realArgs]);
    console.error(`real ESH4 ${mode}: ${r.seconds.toFixed(2)} s`);
    results.push(r);
  }
  let commit = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    /* not a git checkout */
  }
  const out = {
    date: new Date().toISOString(),
    commit,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAvg1mAtEnd: loadavg()[0] },
    input: { simulated: sim, real: REAL, session: '09:30–10:30 America/New_York (sim), 18:00–19:00 (real ESH4)' },
    results: [...previous.filter((p) => !results.some((r) => r.mode === p.mode && r.file === p.file)), ...results],
  };
  mkdirSync(join(process.cwd(), 'bench', 'results'), { recursive: true });
  writeFileSync(RESULT, JSON.stringify(out, null, 2) + '\n');
  console.error(`wrote ${RESULT}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
