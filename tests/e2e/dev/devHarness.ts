// DEVELOPMENT ONLY: a stand-in engine that speaks the real protocol (contracts/) with
// synthetic frames and slabs, so the window could be built before the engine landed.
// The committed e2e specs run against the real `serve` command, never against this.
//   npx tsx tests/e2e/dev/devHarness.ts [port]
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { Bool, Field, Float32, Int16, Int64, Schema, Table, Uint32, Uint8, makeData, RecordBatch, Struct, tableToIPC } from 'apache-arrow';
import { WebSocketServer, type WebSocket } from 'ws';
import { GRID_FRAME_ARROW, SLAB_CELLS_FRAME_ARROW, SLAB_WINDOWS_FRAME_ARROW, SNAP_FRAME_ARROW } from '../../../contracts/generated/arrow';
import { decodeEnvelope, encodeEnvelope } from '../../../contracts/envelope';
import { FIELD_INFO, HEATMAP_FIELDS, type EngineEvent, type HeatmapField, type Request, type SessionInfo, type Speed } from '../../../contracts/protocol';

const PORT = Number(process.argv[2] ?? 5199);
const ROOT = resolve(import.meta.dirname, '../../../out/renderer');
const N = 7200;
const TICK = 250_000_000n;
const FIRST = 1_704_205_801_000_000_000n; // 2024-01-02 14:30:01 UTC
const HALF = 200;

// Deterministic spot random walk in ticks around 4800.
const spotTicks = new Int32Array(N);
let s = 4800 * 4;
let seed = 12345;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
for (let i = 0; i < N; i++) {
  const r = rnd();
  s += r < 0.2 ? -1 : r > 0.8 ? 1 : 0;
  spotTicks[i] = s;
}
const minTick = Math.min(...spotTicks) - HALF;
const maxTick = Math.max(...spotTicks) + HALF;
const priceOf = (t: number) => BigInt(t) * TICK;

function value(k: number, w: number, priceTick: number): number {
  const rel = priceTick - spotTicks[w];
  const wave = Math.sin(w * 0.013 * (1 + (k % 5)) + priceTick * 0.21) * Math.cos(priceTick * 0.05 + w * 0.002);
  const env = Math.exp(-Math.abs(rel) / 70);
  const v = wave * env * (1 + k);
  return FIELD_INFO[HEATMAP_FIELDS[k]].signed ? v : Math.abs(v) + env * 0.2;
}

function batch(schema: Schema, cols: Record<string, ArrayLike<unknown>>, n: number, meta?: Record<string, string>): Uint8Array {
  const children = schema.fields.map((f) => {
    const v = cols[f.name];
    if (f.type instanceof Bool) {
      const bits = new Uint8Array(Math.ceil(n / 8));
      for (let i = 0; i < n; i++) if ((v as ArrayLike<boolean>)[i]) bits[i >> 3] |= 1 << (i & 7);
      return makeData({ type: f.type, length: n, data: bits });
    }
    return makeData({ type: f.type as never, length: n, data: v as never });
  });
  const sch = new Schema(schema.fields, meta ? new Map(Object.entries(meta)) : undefined);
  const rb = new RecordBatch(sch, makeData({ type: new Struct(schema.fields), length: n, children }));
  return tableToIPC(new Table([rb]), 'stream');
}
void [Field, Float32, Int16, Int64, Uint32, Uint8];

function snapCols(ws: number[]) {
  const n = ws.length;
  const end = new BigInt64Array(n);
  const spot = new BigInt64Array(n);
  const bid = new BigInt64Array(n);
  const ask = new BigInt64Array(n);
  const last = new BigInt64Array(n);
  const q = new Uint32Array(n).fill(10);
  const valid = new Array(n).fill(true);
  ws.forEach((w, i) => {
    end[i] = FIRST + BigInt(w) * 1_000_000_000n;
    spot[i] = priceOf(spotTicks[w]);
    bid[i] = priceOf(spotTicks[w]);
    ask[i] = priceOf(spotTicks[w] + 1);
    last[i] = priceOf(spotTicks[w]);
  });
  return { window_end_ts_ns: end, spot_ref_price_int: spot, best_bid_price_int: bid, best_bid_qty: q, best_ask_price_int: ask, best_ask_qty: q, last_trade_price_int: last, book_valid: valid };
}

function frameParts(w: number): Uint8Array[] {
  const rows = 2 * (2 * HALF + 1);
  const side = new Uint8Array(rows);
  const rel = new Int16Array(rows);
  const price = new BigInt64Array(rows);
  const depth = new Uint32Array(rows);
  const cols: Record<string, ArrayLike<unknown>> = { side, rel_ticks: rel, price_int: price, depth_qty_end: depth };
  const fields = HEATMAP_FIELDS.map(() => new Float32Array(rows));
  for (let r = 0; r < rows; r++) {
    const bidSide = r < 2 * HALF + 1;
    const rt = (r % (2 * HALF + 1)) - HALF;
    side[r] = bidSide ? 66 : 65;
    rel[r] = rt;
    price[r] = priceOf(spotTicks[w] + rt);
    const onSide = bidSide ? rt <= 0 : rt >= 0;
    HEATMAP_FIELDS.forEach((_, k) => (fields[k][r] = onSide ? value(k, w, spotTicks[w] + rt) / (rt === 0 ? 2 : 1) : 0));
  }
  HEATMAP_FIELDS.forEach((f, k) => (cols[f] = fields[k]));
  return [batch(SNAP_FRAME_ARROW, snapCols([w]), 1), batch(GRID_FRAME_ARROW, cols, rows)];
}

function slabParts(from: number, to: number, fields: HeatmapField[]): Uint8Array[] {
  const ws: number[] = [];
  for (let w = Math.max(0, from); w <= Math.min(N - 1, to); w++) ws.push(w);
  const lo = Math.min(...ws.map((w) => spotTicks[w])) - HALF;
  const hi = Math.max(...ws.map((w) => spotTicks[w])) + HALF;
  const nP = hi - lo + 1;
  const cols: Record<string, Float32Array> = {};
  for (const f of fields) {
    const k = HEATMAP_FIELDS.indexOf(f);
    const a = new Float32Array(ws.length * nP);
    ws.forEach((w, i) => {
      for (let p = 0; p < nP; p++) if (Math.abs(lo + p - spotTicks[w]) <= HALF) a[i * nP + p] = value(k, w, lo + p);
    });
    cols[f] = a;
  }
  const schema = new Schema(SLAB_CELLS_FRAME_ARROW.fields.filter((f) => fields.includes(f.name as HeatmapField)));
  const meta = { priceMinInt: priceOf(lo).toString(), tickInt: TICK.toString(), nPrices: String(nP), nWindows: String(ws.length) };
  return [batch(SLAB_WINDOWS_FRAME_ARROW, snapCols(ws), ws.length), batch(schema, cols, ws.length * nP, meta)];
}

const session: SessionInfo = {
  datasetId: 1,
  sourcePath: '(dev harness)',
  symbol: 'ESH4',
  timeZone: 'America/New_York',
  firstWindowEndNs: FIRST.toString(),
  lastWindowEndNs: (FIRST + BigInt(N - 1) * 1_000_000_000n).toString(),
  windowCount: N,
  tickInt: Number(TICK),
  priceMinInt: priceOf(minTick).toString(),
  priceMaxInt: priceOf(maxTick).toString(),
  gridHalfWidthTicks: HALF,
  isDemo: true,
};

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  let p = join(ROOT, url.pathname === '/' ? 'index.html' : url.pathname);
  if (!p.startsWith(ROOT) || !existsSync(p) || statSync(p).isDirectory()) p = join(ROOT, 'index.html');
  res.writeHead(200, { 'content-type': MIME[extname(p)] ?? 'application/octet-stream' });
  createReadStream(p).pipe(res);
});
const wss = new WebSocketServer({ server, path: '/engine' });
wss.on('connection', (sock: WebSocket) => {
  let now = 0;
  let state: 'idle' | 'ready' | 'playing' | 'paused' = 'idle';
  let speed: Speed = 1;
  let seq = 0;
  let acked = 0;
  let timer: NodeJS.Timeout | null = null;
  const send = (m: EngineEvent, parts: Uint8Array[] = []) => sock.send(encodeEnvelope(m, parts));
  const announce = () => send({ kind: 'playback', state, speed, playheadWindowEndNs: (FIRST + BigInt(now) * 1_000_000_000n).toString() });
  const frame = () => send({ kind: 'frame', seq: ++seq, windowEndNs: (FIRST + BigInt(now) * 1_000_000_000n).toString() }, frameParts(now));
  const tick = () => {
    timer = null;
    if (state !== 'playing') return;
    if (seq - acked < 4 && now < N - 1) {
      now++;
      frame();
    }
    timer = setTimeout(tick, speed === 'max' ? 0 : 1000 / speed);
  };
  sock.on('message', (data: Buffer) => {
    const { message: m } = decodeEnvelope<Request>(new Uint8Array(data));
    switch (m.kind) {
      case 'hello':
        send({ kind: 'welcome', protocol: 1, engineVersion: 'dev-harness', capabilities: { fields: [...HEATMAP_FIELDS], maxInFlightFrames: 4, demo: true } });
        return;
      case 'open_demo':
        state = 'ready';
        send({ kind: 'session_ready', session, cacheHit: true });
        announce();
        frame();
        return;
      case 'open_file':
        send({ kind: 'alert', alert: { severity: 'error', code: 'dbn.bad_magic', message: 'This is not a DBN file.', hint: 'The dev harness opens no files.' } });
        return;
      case 'play':
        state = 'playing';
        announce();
        if (!timer) tick();
        return;
      case 'pause':
        state = 'paused';
        announce();
        return;
      case 'set_speed':
        speed = m.speed;
        announce();
        return;
      case 'step':
      case 'skip':
      case 'seek':
        now = m.kind === 'seek' ? Number((BigInt(m.windowEndNs) - FIRST) / 1_000_000_000n) : now + (m.kind === 'step' ? m.seconds : m.minutes * 60);
        now = Math.max(0, Math.min(N - 1, now));
        if (state === 'playing' && m.kind === 'step') state = 'paused';
        announce();
        frame();
        return;
      case 'frame_ack':
        acked = m.seq;
        return;
      case 'fetch_slab': {
        const from = Number((BigInt(m.fromWindowEndNs) - FIRST) / 1_000_000_000n);
        const to = Number((BigInt(m.toWindowEndNs) - FIRST) / 1_000_000_000n);
        send({ kind: 'slab', requestId: m.requestId, fromWindowEndNs: m.fromWindowEndNs, toWindowEndNs: m.toWindowEndNs, fields: m.fields }, slabParts(from, to, m.fields));
        return;
      }
      default:
        return;
    }
  });
  sock.on('close', () => timer && clearTimeout(timer));
});
server.listen(PORT, '127.0.0.1', () => console.log(`dev harness on http://127.0.0.1:${PORT}`));
