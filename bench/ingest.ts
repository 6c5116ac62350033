// `npm run bench:ingest [-- --inputs sim-day,sim-stress,real] [--modes decode,engine,produce,e2e,e2e-inline,e2e-worker,e2e-nobronze,e2e-hit]`
// Speed and memory of the futures pipeline end to end. Inputs:
//   sim-day     bench/out/sim-es-day.dbn.zst — the main input: a simulated full Globex day
//               (ESH6 2026-01-05 18:00 → 2026-01-06 17:00 New York, ~21.7 M events); the session
//               window 09:30–10:30 New York, so the build processes the events from the file
//               start through 10:30 (SPEC §3 Bronze) and stops;
//   sim-stress  bench/out/sim-es-20000000.dbn.zst — 27 M events in 09:00–10:30 (~300 k live orders);
//   real        ../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst, 18:00–19:00 New York.
// Modes (each in its own child process, so peak RSS and CPU seconds are its own):
//   decode        read + decode the whole file (the floor; gives the events in the file)
//   engine        decode + book + silver + gold (FuturesEngine) through the session end, no DuckDB
//   produce       engine + column-chunk filling + SHA-256 of the file (the ingest worker's share)
//   e2e           ingestFile into a fresh DuckDB file (default threads 'auto': the worker thread
//                 whenever the machine has two cores)
//   e2e-inline    the same on one thread (threads: 'inline')
//   e2e-worker    the same with the worker thread whatever the size (threads: 'worker')
//   e2e-nobronze  e2e without the Bronze table (bronze: false)
//   e2e-hit       e2e, then the same ingest again in the same process: the second is a cache hit
//                 (seconds, cpuSeconds and stageSeconds are the hit's; buildSeconds the first's)
// cpuSeconds = user + system CPU of the whole child (all its threads: DuckDB's, the worker's,
// the zstd thread's). Writes bench/results/ingest.json (a subset run merges into it).
import { execFileSync, spawnSync } from 'node:child_process';
import { ensureSimInput } from './simInputs';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { resolveParams } from '../contracts/params';
import { readDbnFile } from '../src-worker/dbn/reader';
import { FuturesEngine } from '../src-worker/pipeline/futuresEngine';
import { ingestFile } from '../src-worker/pipeline/ingest';
import { IngestProducer, resolveBuild } from '../src-worker/pipeline/ingestProducer';

const OUT = join(process.cwd(), 'bench', 'out');
const RESULT = join(process.cwd(), 'bench', 'results', 'ingest.json');

interface Input {
  name: string;
  path: string;
  date?: string;
  start: string;
  end: string;
  tz: string;
  meaning: string;
}

const INPUTS: Input[] = [
  {
    name: 'sim-day',
    path: join(OUT, 'sim-es-day.dbn.zst'),
    date: '2026-01-06',
    start: '09:30',
    end: '10:30',
    tz: 'America/New_York',
    meaning: 'simulated Globex day ESH6 2026-01-05 18:00 → 01-06 17:00 NY, intensity 1, seed 42; session 09:30–10:30 NY (events from the file start through 10:30 are processed)',
  },
  {
    name: 'sim-stress',
    path: join(OUT, 'sim-es-20000000.dbn.zst'),
    date: '2026-01-06',
    start: '09:30',
    end: '10:30',
    tz: 'America/New_York',
    meaning: 'simulated ESH6 2026-01-06 09:00–10:30 NY, intensity 5.2 (~300 k live orders); session 09:30–10:30',
  },
  {
    name: 'real',
    path: '../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst',
    start: '18:00',
    end: '19:00',
    tz: 'America/New_York',
    meaning: 'real ESH4 2023-12-25 (Databento GLBX.MDP3 MBO), first trading hour 18:00–19:00 NY',
  },
];

interface ModeResult {
  input: string;
  mode: string;
  file: string;
  /** Events of the instrument processed (through the session end; the whole file for decode). */
  events: number;
  seconds: number;
  eventsPerSec: number;
  cpuSeconds?: number;
  peakRssBytes: number;
  windows?: number;
  threads?: string;
  rows?: Record<string, number>;
  stageSeconds?: Record<string, number>;
  loadAvg1mAtStart?: number;
  /** e2e-hit: the build before the hit, and the hit's own CPU seconds. */
  buildSeconds?: number;
  hitCpuSeconds?: number;
}

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

// ---------------------------------------------------------------------------- child modes
async function childMode(mode: string, input: Input): Promise<ModeResult> {
  const file = input.path;
  const t0 = performance.now();
  const rss = () => process.resourceUsage().maxRSS * 1024;
  const done = (events: number, extra: Partial<ModeResult> = {}): ModeResult => {
    const seconds = (performance.now() - t0) / 1000;
    return { input: input.name, mode, file, events, seconds, eventsPerSec: events / seconds, peakRssBytes: rss(), ...extra };
  };
  if (mode.startsWith('e2e')) {
    const db = join(OUT, `bench-${process.pid}.duckdb`);
    rmSync(db, { force: true });
    try {
      const ingest = () =>
        ingestFile({
          file,
          dbPath: db,
          date: input.date,
          start: input.start,
          end: input.end,
          tz: input.tz,
          bronze: mode !== 'e2e-nobronze',
          threads: mode === 'e2e-inline' ? 'inline' : mode === 'e2e-worker' ? 'worker' : 'auto',
        });
      const s = await ingest();
      if (mode === 'e2e-hit') {
        const buildSeconds = (performance.now() - t0) / 1000;
        const cpu0 = cpuNow();
        const t1 = performance.now();
        const h = await ingest();
        if (!h.cacheHit) throw new Error('e2e-hit: the second ingest was not a cache hit');
        return { input: input.name, mode, file, events: 0, seconds: (performance.now() - t1) / 1000, eventsPerSec: 0, hitCpuSeconds: cpuNow() - cpu0, buildSeconds, peakRssBytes: rss(), stageSeconds: h.seconds };
      }
      return done(s.events.processed, { rows: s.rows, stageSeconds: s.seconds, threads: s.threads });
    } finally {
      rmSync(db, { force: true });
      rmSync(db + '.wal', { force: true });
    }
  }
  if (mode === 'decode') {
    let events = 0;
    for await (const ev of readDbnFile(file)) if (ev.kind === 'mbo') events += ev.batch.count;
    return done(events);
  }
  // engine / produce: resolve the build like the ingest does.
  const req = {
    product: 'future_mbo' as const,
    file,
    sourceBytes: statSync(file).size,
    date: input.date,
    start: input.start,
    end: input.end,
    tz: input.tz,
    bronze: true,
    gridHalfWidthTicks: 200,
    restThresholdMs: 500,
    params: resolveParams({}),
  };
  const producer = new IngestProducer(req);
  const build = resolveBuild(req, await producer.open());
  if (mode === 'produce') {
    // Chunks are filled and dropped (the sink hands the same buffer back).
    const r = await producer.run(build, { sinkFor: () => (buf) => buf, afterBatch: () => undefined });
    return done(r.events.processed, { windows: r.windows, stageSeconds: { ...r.seconds } });
  }
  await producer.close();
  let windows = 0;
  const engine = new FuturesEngine(
    {
      instrumentId: build.instrumentId,
      tickInt: build.tickInt,
      sessionStartSec: build.sessionStartSec,
      sessionEndSec: build.sessionEndSec,
      gridHalfWidthTicks: 200,
      restThresholdMs: 500,
      params: resolveParams({}),
    },
    () => void windows++,
  );
  let inner = 0;
  for await (const ev of readDbnFile(file)) {
    if (ev.kind !== 'mbo') continue;
    const c = cpuNow();
    engine.pushBatch(ev.batch);
    inner += cpuNow() - c;
    if (engine.done) break;
  }
  engine.finish();
  return done(engine.events, { windows, stageSeconds: { engineCpu: inner } });
}

// ---------------------------------------------------------------------------- parent
function runChild(mode: string, input: string): ModeResult {
  const load = loadavg()[0];
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/ingest.ts', '--child', '--mode', mode, '--input', input], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`bench child ${input}/${mode} failed: ${r.stderr}`);
  const res = JSON.parse(r.stdout.trim().split('\n').pop()!) as ModeResult;
  res.loadAvg1mAtStart = load;
  return res;
}

const DEFAULT_PLAN: Record<string, string[]> = {
  'sim-day': ['decode', 'engine', 'produce', 'e2e', 'e2e-inline', 'e2e-nobronze', 'e2e-hit'],
  'sim-stress': ['e2e', 'e2e-inline'],
  real: ['engine', 'e2e', 'e2e-inline', 'e2e-hit'],
};

async function main(): Promise<void> {
  if (process.argv.includes('--child')) {
    const input = INPUTS.find((i) => i.name === arg('input'));
    if (!input) throw new Error(`unknown input ${arg('input')}`);
    const cpu0 = cpuNow();
    const res = await childMode(arg('mode')!, input);
    res.cpuSeconds = cpuNow() - cpu0;
    process.stdout.write(JSON.stringify(res) + '\n');
    return;
  }
  const inputs = (arg('inputs') ?? Object.keys(DEFAULT_PLAN).join(',')).split(',');
  const modes = arg('modes')?.split(',');
  const previous: ModeResult[] = existsSync(RESULT) && (arg('inputs') || arg('modes')) ? (JSON.parse(readFileSync(RESULT, 'utf8')).results ?? []).filter((r: ModeResult) => r.input) : [];
  const loadStart = loadavg()[0];
  const results: ModeResult[] = [];
  for (const name of inputs) {
    const input = INPUTS.find((i) => i.name === name);
    if (!input) throw new Error(`unknown input ${name}`);
    if (name === 'sim-day') await ensureSimInput('day');
    if (name === 'sim-stress') await ensureSimInput('stress');
    if (!existsSync(input.path)) throw new Error(`${input.path} is missing`);
    for (const mode of modes ?? DEFAULT_PLAN[name]) {
      console.error(`${name} ${mode} …  (load ${loadavg()[0].toFixed(2)})`);
      const r = runChild(mode, name);
      const st = r.stageSeconds ? ' ' + Object.entries(r.stageSeconds).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ') : '';
      console.error(
        `  ${(r.events / 1e6).toFixed(2)} M events in ${r.seconds.toFixed(2)} s = ${(r.eventsPerSec / 1e6).toFixed(2)} M/s, cpu ${r.cpuSeconds?.toFixed(1)} s, peak RSS ${(r.peakRssBytes / 2 ** 20).toFixed(0)} MiB${r.threads ? `, ${r.threads}` : ''}${st}`,
      );
      results.push(r);
    }
  }
  let commit = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    /* not a git checkout */
  }
  const eventsInFile = Object.fromEntries([...previous, ...results].filter((r) => r.mode === 'decode').map((r) => [r.input, r.events]));
  const out = {
    date: new Date().toISOString(),
    commit,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAvg1mAtStart: loadStart, loadAvg1mAtEnd: loadavg()[0] },
    inputs: INPUTS.map((i) => ({ ...i, bytes: existsSync(i.path) ? statSync(i.path).size : null, eventsInFile: eventsInFile[i.name] ?? null })),
    results: [...previous.filter((p) => !results.some((r) => r.mode === p.mode && r.input === p.input)), ...results],
  };
  mkdirSync(join(process.cwd(), 'bench', 'results'), { recursive: true });
  writeFileSync(RESULT, JSON.stringify(out, null, 2) + '\n');
  console.error(`wrote ${RESULT}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
