// Progressive display, measured (BENCHMARKS.md "Progressive display"):
//   npx tsx bench/progressive.ts tap [--live [--ring N]]  ingest the real ESH4 hour (18:00–19:00 New York)
//       into a fresh DuckDB file on the worker thread, with (--live) or without a frame ring;
//       prints {seconds}. Pair the two with a whole-process A/B timer: the ring's added cost.
//   npx tsx bench/progressive.ts open [--off] [--start HH:MM]   an engine host (real ingest,
//       real DuckDB) opens the ESH4 file (18:10–19:00 by default, 3,000 windows) for a window
//       double that acknowledges frames and, while the session grows, follows the build as the
//       real window does (a seek to the newest window and a slab of the new windows per
//       session_grown); prints {firstFrameMs, committedMs, grown, slabs}: time from open_file to
//       the first frame (what the window draws first) and to the committed session.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeEnvelope, encodeEnvelope } from '../contracts/envelope';
import type { EngineEvent, Request } from '../contracts/protocol';
import { createFrameRing, frameRingBytes } from '../src-worker/fields/frameRing';
import { openEngineStore } from '../src-worker/host/createEngine';
import { EngineHost } from '../src-worker/host/engineHost';
import { ingestFile } from '../src-worker/pipeline/ingest';
import { openDatabase, closeDatabase } from '../src-worker/store/database';

const FILE = '../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst';
const args = process.argv.slice(2);
const arg = (name: string, dflt: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};

async function tap(live: boolean): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'spymaster-tap-'));
  const db = await openDatabase(join(dir, 'tap.duckdb'));
  const t0 = performance.now();
  await ingestFile({ file: FILE, dbPath: db.path, db, start: '18:00', end: '19:00', tz: 'America/New_York', threads: 'worker', liveFrames: live ? createFrameRing(frameRingBytes(200, Number(arg('--ring', '3700')))) : undefined });
  const seconds = (performance.now() - t0) / 1000;
  await closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify({ mode: live ? 'tap' : 'no-tap', seconds: +seconds.toFixed(3), peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
}

async function open(progressive: boolean): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'spymaster-open-'));
  const start = arg('--start', '18:10');
  let host!: EngineHost;
  const send = (r: Request) => host.receive(encodeEnvelope(r));
  const t0 = performance.now();
  let firstFrameMs = -1;
  let grown = 0;
  let slabs = 0;
  let asked = -1;
  let reqId = 0;
  let resolveDone!: (ms: number) => void;
  /** The committed session_ready; done at the first frame after it (the committed build's). */
  let committedAt = -1;
  const done = new Promise<number>((r) => (resolveDone = r));
  host = new EngineHost({
    dbPath: join(dir, 'open.duckdb'),
    initial: { kind: 'none' },
    log: () => undefined,
    progressive,
    deps: { ingest: (o) => ingestFile({ ...o, threads: 'worker' }), openStore: (p) => openEngineStore(p) },
    send: (b) => {
      const m = decodeEnvelope<EngineEvent>(b).message;
      if (m.kind === 'frame') {
        if (firstFrameMs < 0) firstFrameMs = performance.now() - t0;
        queueMicrotask(() => send({ kind: 'frame_ack', seq: m.seq }));
        if (committedAt >= 0) resolveDone(committedAt);
      } else if (m.kind === 'session_grown' && m.growing) {
        // The window following the build: the newest window, and a slab of what it has not got.
        grown++;
        send({ kind: 'seek', windowEndNs: m.lastWindowEndNs });
        const last = BigInt(m.lastWindowEndNs);
        const from = asked < 0 ? last - 899n * 1_000_000_000n : BigInt(asked) + 1_000_000_000n;
        asked = Number(last);
        send({ kind: 'fetch_slab', requestId: ++reqId, fromWindowEndNs: from.toString(), toWindowEndNs: last.toString(), fields: ['liquidity_velocity'] });
      } else if (m.kind === 'slab') slabs++;
      else if (m.kind === 'session_ready' && !m.session.growing) committedAt = performance.now() - t0;
      else if (m.kind === 'alert' && m.alert.severity === 'error') throw new Error(`${m.alert.code}: ${m.alert.message}`);
    },
  });
  send({ kind: 'hello', protocol: 1, client: 'browser' } as Request);
  send({ kind: 'open_file', path: FILE, start, end: '19:00', tz: 'America/New_York' });
  const committedMs = await done;
  console.log(JSON.stringify({ mode: progressive ? 'progressive' : 'off', start, firstFrameMs: Math.round(firstFrameMs), committedMs: Math.round(committedMs), grown, slabs }));
  await new Promise((r) => setTimeout(r, 300));
  await host.close();
  rmSync(dir, { recursive: true, force: true });
}

const mode = args[0];
if (mode === 'tap') await tap(args.includes('--live'));
else if (mode === 'open') await open(!args.includes('--off'));
else {
  console.error('usage: progressive.ts tap [--live] | open [--off] [--start HH:MM]');
  process.exit(2);
}
process.exit(0);
