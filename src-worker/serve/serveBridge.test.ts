// Browser mode end to end under Node: the real server on a random loopback port, the engine
// as a real child process, a `ws` client speaking envelopes. Demo → real ESH4 file → play →
// frames → slab → a corrupt file → the engine still answers → a crashed engine restarts.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../contracts/protocol';
import { startWorkstationServer, type WorkstationServer } from './workstationServer';
import { TestEngineClient } from './engineClient.testkit';

const ESH4 = resolve('../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst');
const dir = mkdtempSync(join(tmpdir(), 'spymaster-serve-'));
let server: WorkstationServer;
let client: TestEngineClient;

beforeAll(async () => {
  mkdirSync(join(dir, 'www'));
  writeFileSync(join(dir, 'www', 'index.html'), '<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src \'self\'"><title>t</title>');
  server = await startWorkstationServer({
    port: 0,
    staticDir: join(dir, 'www'),
    dbPath: join(dir, 'db', 'spymaster.duckdb'),
    initial: { kind: 'demo' },
    env: { SPYMASTER_CACHE_DIR: join(dir, 'cache') },
    echoEngineStderr: false,
    log: () => undefined,
  });
  client = await TestEngineClient.connect(`${server.baseUrl.replace('http', 'ws')}engine?token=${server.token}`);
});
afterEach(() => client?.cancelPending());
afterAll(async () => {
  client?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('browser-mode bridge', () => {
  it('serves the window over HTTP on loopback with a CSP header', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
    expect((await fetch(`${server.baseUrl}..%2f..%2fetc%2fpasswd`)).status).not.toBe(200);
  });

  it('handshake: hello → welcome, then the engine opens the embedded demo by itself', async () => {
    client.send({ kind: 'hello', protocol: PROTOCOL_VERSION, client: 'browser' });
    const welcome = await client.next('welcome');
    expect(welcome.message.capabilities).toMatchObject({ demo: true, maxInFlightFrames: 4 });
    expect(welcome.message.capabilities.fields).toContain('liquidity_velocity');
    await client.next('ingest_started', (m) => m.path === 'demo');
    await client.next('ingest_progress');
    const ready = await client.next('session_ready');
    expect(ready.message.session.isDemo).toBe(true);
    expect(ready.message.session.windowCount).toBe(1200); // 09:25–09:45
    const frame = await client.next('frame');
    expect(frame.parts).toHaveLength(2);
    expect(tableFromIPC(frame.parts[1]).numRows).toBe(802);
  }, 120_000);

  let sessionReady: Awaited<ReturnType<TestEngineClient['next']>>;
  it('opens the real ESH4 file: progress, then a session around 4800', async () => {
    client.send({ kind: 'open_file', path: ESH4, start: '18:00', end: '19:00', tz: 'America/New_York' });
    await client.next('ingest_started', (m) => m.path === ESH4);
    const progress = await client.next('ingest_progress');
    expect(progress.message.progress.fraction).toBeGreaterThanOrEqual(0);
    // Progressive display: a growing session first, shown while it builds, then the committed one.
    const growing = await client.next('session_ready', (m) => !m.session.isDemo);
    expect(growing.message.session.growing).toBe(true);
    sessionReady = await client.next('session_ready', (m) => !m.session.isDemo && !m.session.growing);
    const s = (sessionReady.message as { session: { symbol: string; windowCount: number; priceMinInt: string; priceMaxInt: string } }).session;
    expect(s.symbol).toBe('ESH4');
    expect(s.windowCount).toBe(3600);
    const mid = (Number(BigInt(s.priceMinInt)) + Number(BigInt(s.priceMaxInt))) / 2e9;
    expect(Math.abs(mid - 4800)).toBeLessThan(30);
  }, 120_000);

  it('plays: frames arrive in window order, acknowledged, with real spot values', async () => {
    const first = await client.next('frame');
    client.send({ kind: 'frame_ack', seq: first.message.seq });
    client.send({ kind: 'set_speed', speed: 'max' });
    client.send({ kind: 'play' });
    await client.next('playback', (m) => m.state === 'playing');
    const ends: bigint[] = [BigInt(first.message.windowEndNs)];
    for (let i = 0; i < 12; i++) {
      const f = await client.next('frame');
      ends.push(BigInt(f.message.windowEndNs));
      const snap = tableFromIPC(f.parts[0]).get(0)!.toJSON();
      if (snap.book_valid) expect(Math.abs(Number(snap.spot_ref_price_int) / 1e9 - 4800)).toBeLessThan(30);
      client.send({ kind: 'frame_ack', seq: f.message.seq });
    }
    for (let i = 1; i < ends.length; i++) expect(ends[i] - ends[i - 1]).toBe(1_000_000_000n);
    client.send({ kind: 'pause' });
    await client.next('playback', (m) => m.state === 'paused');
  });

  it('seeks to a clock time and fetches a 15-minute slab that decodes', async () => {
    const s = (sessionReady.message as { session: { firstWindowEndNs: string } }).session;
    const first = BigInt(s.firstWindowEndNs);
    const target = first + 1800n * 1_000_000_000n;
    client.send({ kind: 'seek', windowEndNs: target.toString() });
    const f = await client.next('frame', (m) => m.windowEndNs === target.toString());
    client.send({ kind: 'frame_ack', seq: f.message.seq });
    client.send({ kind: 'fetch_slab', requestId: 7, fromWindowEndNs: (target - 899n * 1_000_000_000n).toString(), toWindowEndNs: target.toString(), fields: ['liquidity_velocity', 'wall_strength'] });
    const slab = await client.next('slab', (m) => m.requestId === 7);
    expect(slab.parts).toHaveLength(2);
    const cells = tableFromIPC(slab.parts[1]);
    const nPrices = Number(cells.schema.metadata.get('nPrices'));
    expect(Number(cells.schema.metadata.get('nWindows'))).toBe(900);
    expect(cells.numRows).toBe(900 * nPrices);
    const wall = cells.getChild('wall_strength')!.toArray() as Float32Array;
    expect(wall.some((v) => v > 0)).toBe(true);
    expect(tableFromIPC(slab.parts[0]).numRows).toBe(900);
  });

  it('reopening the same file is a cache hit', async () => {
    client.send({ kind: 'open_file', path: ESH4, start: '18:00', end: '19:00', tz: 'America/New_York' });
    const ready = await client.next('session_ready', (m) => !m.session.isDemo && !m.session.growing);
    expect(ready.message.cacheHit).toBe(true);
  });

  it('opened without a session window (File ▸ Open), the file shows its first trading hour', async () => {
    client.send({ kind: 'open_file', path: ESH4 });
    const note = await client.next('alert', (m) => m.alert.code === 'session.auto_window');
    expect(note.message.alert.message).toMatch(/18:00–19:00/);
    const ready = await client.next('session_ready', (m) => !m.session.isDemo);
    const first = (sessionReady.message as { session: { firstWindowEndNs: string } }).session.firstWindowEndNs;
    expect(ready.message.session.firstWindowEndNs).toBe(first);
    expect(ready.message.cacheHit).toBe(true);
  }, 60_000);

  it('a corrupt file gives a readable alert and the engine keeps working', async () => {
    const bad = join(dir, 'corrupt.dbn.zst');
    writeFileSync(bad, Buffer.from('this is not a zstd frame, nor DBN'));
    client.send({ kind: 'open_file', path: bad });
    const alert = await client.next('alert', (m) => m.alert.severity === 'error');
    expect(alert.message.alert.message.length).toBeGreaterThan(10);
    expect(alert.message.alert.code).toMatch(/\./);
    client.send({ kind: 'open_file', path: join(dir, 'notes.txt') });
    expect((await client.next('alert', (m) => m.alert.code === 'file.not_found' || m.alert.code === 'file.unsupported_type')).message.alert.hint).toBeTruthy();
    // The previous session is still there and answers.
    client.send({ kind: 'step', seconds: 1 });
    await client.next('frame');
  });

  it('a crashed engine is restarted, the window is told and greeted again', async () => {
    server.engine.crashForTest();
    const crashed = await client.next('alert', (m) => m.alert.code === 'worker.crashed');
    expect(crashed.message.alert.hint).toMatch(/Restarting/);
    // The bridge replays the window's hello: the new engine welcomes it again and reopens the
    // session that was open (the real file, from the ingest cache), not the demo.
    await client.next('welcome');
    const again = await client.next('session_ready', (m) => !m.session.growing);
    expect(again.message.session.symbol).toBe('ESH4');
    expect(again.message.cacheHit).toBe(true);
  }, 60_000);
});
