// Engine side of the workstation's speed budget, on the real ESH4 session (18:00–19:00 New
// York, 3600 windows): one live frame (encode snap + grid, envelope), the same frame decoded
// (what the window does), a chunk of 60 windows read from DuckDB, and a 15-minute history
// slab (query or session-grid copy, fill, Arrow encode) at 20 positions.
// Writes bench/results/engine-replay.json. Usage: npm run bench:replay (tsx bench/engineReplay.ts)
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { decodeEnvelope, encodeEnvelope } from '../contracts/envelope';
import { ingestFile } from '../src-worker/pipeline/ingest';
import { closeDatabase, openDatabase } from '../src-worker/store/database';
import { FieldGridCache } from '../src-worker/replay/fieldGridCache';
import { encodeFrame } from '../src-worker/replay/frameEncoder';
import { loadReplaySession } from '../src-worker/replay/sessionInfo';
import { buildSlab } from '../src-worker/replay/slabBuilder';
import { loadWindowChunk } from '../src-worker/replay/windowChunk';

const FILE = '../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst';
const OUT = join('bench', 'out');
mkdirSync(OUT, { recursive: true });
mkdirSync(join('bench', 'results'), { recursive: true });

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { n: s.length, median: +q(0.5).toFixed(3), p95: +q(0.95).toFixed(3), max: +s[s.length - 1].toFixed(3) };
};

const db = await openDatabase(join(OUT, 'engine-replay.duckdb'));
const summary = await ingestFile({ file: FILE, dbPath: db.path, db, start: '18:00', end: '19:00', tz: 'America/New_York' });
const session = await loadReplaySession(db.conn, summary.datasetId, { timeZone: summary.timeZone, isDemo: false });
const SEC = 1_000_000_000n;

// ---- live frames -----------------------------------------------------------------------
const chunkMs: number[] = [];
const encodeMs: number[] = [];
const envelopeMs: number[] = [];
const decodeMs: number[] = [];
let frameBytes = 0;
let seq = 0;
for (let start = 600; start < 600 + 20 * 60; start += 60) {
  let t = performance.now();
  const chunk = await loadWindowChunk(db.conn, session, start, 60);
  chunkMs.push(performance.now() - t);
  for (let j = 0; j < chunk.count; j++) {
    t = performance.now();
    const f = encodeFrame(chunk, j, session.tickInt);
    const t1 = performance.now();
    const bytes = encodeEnvelope({ kind: 'frame', seq: ++seq, windowEndNs: f.windowEndNs.toString(), layers: f.layers }, f.parts);
    const t2 = performance.now();
    const env = decodeEnvelope(bytes);
    const grid = tableFromIPC(env.parts[1]);
    grid.getChild('liquidity_velocity')!.toArray();
    tableFromIPC(env.parts[0]).get(0);
    const t3 = performance.now();
    encodeMs.push(t1 - t);
    envelopeMs.push(t2 - t1);
    decodeMs.push(t3 - t2);
    frameBytes = bytes.byteLength;
  }
}

// ---- slabs -----------------------------------------------------------------------------
const positions = Array.from({ length: 20 }, (_, k) => Math.floor((k * 2699) / 19));
const slab = async (withCache: FieldGridCache | undefined, fields: ('liquidity_velocity' | 'rho')[]) => {
  const ms: number[] = [];
  let nPrices = 0;
  let bytes = 0;
  for (const p of positions) {
    const from = session.firstWindowEndNs + BigInt(p) * SEC;
    const t = performance.now();
    const r = await buildSlab(db.conn, session, from, from + 899n * SEC, fields, withCache);
    ms.push(performance.now() - t);
    nPrices = Math.max(nPrices, r.nPrices);
    bytes = r.parts[0].byteLength + r.parts[1].byteLength;
  }
  return { ms: stats(ms), maxPrices: nPrices, bytes };
};
const sqlOne = await slab(undefined, ['liquidity_velocity']);
const cache = new FieldGridCache(db.conn, session);
let t = performance.now();
await cache.grid('liquidity_velocity');
await cache.snapshots();
const warmMs = performance.now() - t;
const cachedOne = await slab(cache, ['liquidity_velocity']);
t = performance.now();
await cache.grid('rho');
const warm2Ms = performance.now() - t;
const cachedTwo = await slab(cache, ['liquidity_velocity', 'rho']);

await closeDatabase(db);

const result = {
  benchmark: 'engine-replay',
  date: new Date().toISOString(),
  machine: `2-core VM, Node ${process.version}`,
  loadAvg1m: +loadavg()[0].toFixed(2),
  input: { file: FILE, session: '2023-12-25 18:00–19:00 America/New_York', windows: session.windowCount, goldRows: summary.rows['gold.future_mbo.physics_surface_1s'] },
  liveFrame: {
    frames: encodeMs.length,
    envelopeBytes: frameBytes,
    encodeSnapGridMs: stats(encodeMs),
    envelopeMs: stats(envelopeMs),
    decodeMs: stats(decodeMs),
    chunk60WindowsFromDuckDbMs: stats(chunkMs),
  },
  slab15min: {
    windows: 900,
    sqlOneField: sqlOne,
    sessionGridWarmMs: { first: +warmMs.toFixed(1), second: +warm2Ms.toFixed(1) },
    cachedOneField: cachedOne,
    cachedTwoFields: cachedTwo,
  },
};
writeFileSync(join('bench', 'results', 'engine-replay.json'), JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result, null, 2));
