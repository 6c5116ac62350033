// Crash drills (issue 14) against the real browser-mode server and engine child process: the
// engine is SIGKILLed while it ingests and while it plays. The window is told what happened in
// words, the engine restarts and reopens the last ready session, the interrupted build left
// nothing behind (reopening it builds it from scratch; the catalog holds only ready datasets),
// and a read-only database location is a clear error that changes nothing.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope } from '../../contracts/envelope';
import { PROTOCOL_VERSION, type EngineEvent, type Request } from '../../contracts/protocol';
import { engineDeps } from '../host/createEngine';
import { EngineHost } from '../host/engineHost';
import { closeDatabase, listDatasets, openDatabase } from '../store/database';
import { TestEngineClient } from './engineClient.testkit';
import { startWorkstationServer, type WorkstationServer } from './workstationServer';

const ESH4 = resolve('../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst');
const HOUR_A = { start: '18:00', end: '19:00', tz: 'America/New_York' };
const HOUR_B = { start: '18:15', end: '18:55', tz: 'America/New_York' }; // the file ends at 19:00 New York
const HALF_C = { start: '18:05', end: '18:35', tz: 'America/New_York' };
const dir = mkdtempSync(join(tmpdir(), 'spymaster-drill-'));
const dbPath = join(dir, 'db', 'spymaster.duckdb');
let server: WorkstationServer;
let client: TestEngineClient;

beforeAll(async () => {
  server = await startWorkstationServer({
    port: 0,
    staticDir: null,
    dbPath,
    initial: { kind: 'none' },
    env: { SPYMASTER_CACHE_DIR: join(dir, 'cache') },
    echoEngineStderr: false,
    log: () => undefined,
  });
  client = await TestEngineClient.connect(`${server.baseUrl.replace('http', 'ws')}engine?token=${server.token}`);
  client.send({ kind: 'hello', protocol: PROTOCOL_VERSION, client: 'browser' });
  await client.next('welcome');
}, 60_000);
afterAll(async () => {
  client?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const killEngine = () => process.kill(server.engine.pid!, 'SIGKILL');

describe('crash drills', () => {
  it('a ready session first (ESH4 18:00–19:00; the interrupted one is 18:15–18:55)', async () => {
    client.send({ kind: 'open_file', path: ESH4, ...HOUR_A });
    const ready = await client.next('session_ready', (m) => !m.session.isDemo && !m.session.growing);
    expect(ready.message.session.windowCount).toBe(3600);
  }, 120_000);

  it('killed during an ingest: the window is told the file was not kept, the engine restarts on the ready session', async () => {
    client.send({ kind: 'open_file', path: ESH4, ...HOUR_B });
    await client.next('ingest_started', (m) => m.path === ESH4);
    await client.next('ingest_progress', (m) => m.progress.fraction > 0);
    killEngine();
    const alert = await client.next('alert', (m) => m.alert.code === 'worker.crashed');
    expect(alert.message.alert.message).toBe(`The engine was killed. It was opening ${ESH4}; nothing of it was kept — open it again when the engine is back.`);
    expect(alert.message.alert.hint).toMatch(/Restarting it in/);
    await client.next('welcome');
    const again = await client.next('session_ready', (m) => !m.session.growing);
    expect(again.message.session.symbol).toBe('ESH4');
    expect(again.message.cacheHit).toBe(true);
    expect(again.message.session.windowCount).toBe(3600);
    // The interrupted build left nothing: opening it again builds it from scratch.
    client.send({ kind: 'open_file', path: ESH4, ...HOUR_B });
    const rebuilt = await client.next('session_ready', (m) => !m.session.isDemo && !m.session.growing && m.session.firstWindowEndNs !== again.message.session.firstWindowEndNs);
    expect(rebuilt.message.cacheHit).toBe(false);
  }, 180_000);

  it('a cancelled open of the same file is not what a restart reopens (the session before it is)', async () => {
    // Paced, so the cancel lands during the build on any machine.
    client.send({ kind: 'open_file', path: ESH4, ...HALF_C, pace: 60 });
    await client.next('ingest_started', (m) => m.path === ESH4);
    // The growing session is shown, then cancelled: the session before it is sent again.
    await client.next('session_ready', (m) => m.session.growing === true);
    client.send({ kind: 'cancel_ingest' });
    const back = await client.next('session_ready', (m) => !m.session.growing);
    expect(back.message.session.windowCount).toBe(2400); // 18:15–18:55, opened last above
    await client.next('ingest_cancelled');
    server.engine.crashForTest();
    await client.next('alert', (m) => m.alert.code === 'worker.crashed');
    await client.next('welcome');
    const again = await client.next('session_ready', (m) => !m.session.growing);
    // The session that was open, from the cache, not a rebuild of the cancelled half hour.
    expect(again.message.cacheHit).toBe(true);
    expect(again.message.session.windowCount).toBe(2400);
  }, 120_000);

  it('killed during playback: told in words, restarted on the same session, which plays again', async () => {
    client.send({ kind: 'set_speed', speed: 'max' });
    client.send({ kind: 'play' });
    await client.next('playback', (m) => m.state === 'playing');
    for (let k = 0; k < 5; k++) client.send({ kind: 'frame_ack', seq: (await client.next('frame')).message.seq });
    killEngine();
    const alert = await client.next('alert', (m) => m.alert.code === 'worker.crashed');
    expect(alert.message.alert.message).toBe('The engine was killed.');
    await client.next('welcome');
    const again = await client.next('session_ready', (m) => !m.session.growing);
    expect(again.message.cacheHit).toBe(true);
    expect(again.message.session.firstWindowEndNs).not.toBe(undefined);
    client.send({ kind: 'play' });
    const f = await client.next('frame');
    client.send({ kind: 'frame_ack', seq: f.message.seq });
    client.send({ kind: 'pause' });
  }, 120_000);

  it('killed at the COMMIT: the build is either whole (a cache hit with every window) or absent (rebuilt), never partial', async () => {
    client.send({ kind: 'open_file', path: ESH4, ...HALF_C });
    await client.next('ingest_started', (m) => m.path === ESH4);
    // The engine announces the commit stage right before it runs COMMIT: the kill lands inside
    // it (or, at worst, just after it ended — both outcomes are checked below).
    await client.next('ingest_progress', (m) => m.progress.stage === 'commit');
    killEngine();
    await client.next('alert', (m) => m.alert.code === 'worker.crashed');
    await client.next('welcome');
    await client.next('session_ready', (m) => !m.session.growing);
    client.send({ kind: 'open_file', path: ESH4, ...HALF_C });
    const opened = await client.next('session_ready', (m) => !m.session.isDemo && !m.session.growing && m.session.windowCount === 1800);
    expect(opened.message.session.windowCount).toBe(1800);
    // Which of the two outcomes this run saw (both are correct): rebuilt = the kill beat COMMIT.
    console.log(`killed at the commit: reopened as ${opened.message.cacheHit ? 'a cache hit (COMMIT had finished)' : 'a rebuild (nothing of the interrupted build was kept)'}`);
    client.send({ kind: 'pause' });
  }, 180_000);

  it('afterwards the database holds exactly the three ready datasets, nothing partial', async () => {
    await server.close();
    const db = await openDatabase(dbPath, { readOnly: true });
    try {
      const all = await listDatasets(db, { all: true });
      expect(all.map((d) => d.status)).toEqual(['ready', 'ready', 'ready']);
    } finally {
      await closeDatabase(db);
    }
  }, 60_000);
});

/** A folder the engine cannot write: a read-only tmpfs as root, a 0555 folder otherwise; null if neither can be made. */
function readOnlyFolder(): { path: string; undo(): void } | null {
  const p = join(dir, 'ro');
  mkdirSync(p, { recursive: true });
  if (process.getuid?.() !== 0) {
    chmodSync(p, 0o555);
    return { path: p, undo: () => chmodSync(p, 0o755) };
  }
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', p], { stdio: 'ignore' });
    return { path: p, undo: () => execFileSync('umount', [p]) };
  } catch {
    return null;
  }
}

describe('a read-only database location', () => {
  it('is a clear error, and the engine keeps answering', async (ctx) => {
    const ro = readOnlyFolder();
    if (!ro) return ctx.skip();
    const events: EngineEvent[] = [];
    const host = new EngineHost({
      send: (b) => events.push(decodeEnvelope<EngineEvent>(b).message),
      dbPath: join(ro.path, 'spymaster.duckdb'),
      initial: { kind: 'none' },
      deps: engineDeps(join(dir, 'cache-ro')),
      log: () => undefined,
    });
    try {
      host.receive(encodeEnvelope<Request>({ kind: 'open_file', path: ESH4, ...HOUR_A }));
      for (let k = 0; k < 200 && !events.some((e) => e.kind === 'alert'); k++) await new Promise((r) => setTimeout(r, 25));
      const alert = events.find((e): e is Extract<EngineEvent, { kind: 'alert' }> => e.kind === 'alert')!;
      expect(alert.alert.code).toBe('store.open_failed');
      expect(alert.alert.message).toMatch(/^The database location .*\/ro (is on a read-only disk|is not writable \(permission denied\)): Spymaster cannot store what it opens\.$/);
      expect(alert.alert.hint).toMatch(/--db PATH/);
      host.receive(encodeEnvelope<Request>({ kind: 'hello', protocol: PROTOCOL_VERSION, client: 'browser' }));
      expect(events.some((e) => e.kind === 'welcome')).toBe(true);
    } finally {
      await host.close();
      ro.undo();
    }
    writeFileSync(join(dir, 'done'), '');
  }, 60_000);
});

/** A 3 MB disk (tmpfs) for the database, as root; null elsewhere. */
function tinyDisk(): { path: string; undo(): void } | null {
  const p = join(dir, 'tiny');
  mkdirSync(p, { recursive: true });
  if (process.getuid?.() !== 0) return null;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', p], { stdio: 'ignore' });
    return { path: p, undo: () => execFileSync('umount', [p]) };
  } catch {
    return null;
  }
}

describe('a full disk under the database', () => {
  it('fails the ingest with a clear error; the engine is idle and answers', async (ctx) => {
    const disk = tinyDisk();
    if (!disk) return ctx.skip();
    const events: EngineEvent[] = [];
    const host = new EngineHost({
      send: (b) => events.push(decodeEnvelope<EngineEvent>(b).message),
      dbPath: join(disk.path, 'spymaster.duckdb'),
      initial: { kind: 'none' },
      deps: engineDeps(join(dir, 'cache-full')),
      log: () => undefined,
    });
    try {
      host.receive(encodeEnvelope<Request>({ kind: 'open_file', path: ESH4, ...HOUR_A }));
      const failed = () => events.find((e): e is Extract<EngineEvent, { kind: 'alert' }> => e.kind === 'alert' && e.alert.severity === 'error');
      for (let k = 0; k < 1200 && !failed(); k++) await new Promise((r) => setTimeout(r, 50));
      const a = failed()!.alert;
      expect(a.code).toBe('store.disk_full');
      expect(a.message).toBe(`Could not ingest ${ESH4}. The disk that holds the database is full; nothing of it was kept.`);
      // (A growing session may have opened while it built — progressive display — but none was committed.)
      expect(events.some((e) => e.kind === 'session_ready' && !e.session.growing)).toBe(false);
      host.receive(encodeEnvelope<Request>({ kind: 'hello', protocol: PROTOCOL_VERSION, client: 'browser' }));
      expect(events.some((e) => e.kind === 'welcome')).toBe(true);
    } finally {
      await host.close(); // DuckDB lets go of the file, so the disk can be unmounted
      disk.undo();
    }
  }, 90_000);
});
