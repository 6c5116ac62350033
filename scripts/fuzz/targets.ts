// What one fuzz input is fed to, and how its outcome is judged:
//   'ok'    — finished, and every cross-check agreed (a correct result);
//   'typed' — refused with a typed error (a code, a sentence for a person and a hint);
//   'wrong' — finished but two implementations disagree, or an invariant broke (a finding);
//   'crash' — threw something untyped (a finding).
// Hangs (> 5 s) and unhandled rejections are caught by the supervisor (fuzz.ts, child.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeEnvelope, encodeEnvelope } from '../../contracts/envelope';
import { PARAM_FIELDS, resolveParams, ParamsError } from '../../contracts/params';
import { PROTOCOL_VERSION, type EngineEvent, type Request } from '../../contracts/protocol';
import { bookState } from '../../src-worker/book/bookReport';
import { OrderBook } from '../../src-worker/book/orderBook';
import { createMboBatch, DbnDecoder, decodeDbnSync, DbnError, type DecodedDbn, type MboBatch } from '../../src-worker/dbn';
import { engineDeps } from '../../src-worker/host/createEngine';
import { EngineHost } from '../../src-worker/host/engineHost';
import { ingestFile } from '../../src-worker/pipeline/ingest';
import { closeDatabase, listDatasets, openDatabase, queryRows } from '../../src-worker/store/database';
import { int, pick, type Rand } from './mutate';

export type Outcome = 'ok' | 'typed' | 'wrong' | 'crash';
export interface Result {
  outcome: Outcome;
  detail?: string;
}

/** A typed error: something a person can be shown (userMessage), with a code for programs. */
export function isTyped(e: unknown): boolean {
  return typeof e === 'object' && e !== null && typeof (e as { userMessage?: unknown }).userMessage === 'string';
}

const errText = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 300) : String(e).slice(0, 300));
/** A message shown to a person must not quote the input's bytes (issue 14). */
const QUOTES_BYTES = /\b[0-9a-f]{2}( [0-9a-f]{2}){3,}\b|starts with bytes/i;

function mboCountChunked(bytes: Uint8Array, opts: { fragment?: boolean; version?: 1 | 2 | 3 }, r: Rand): { rows: number; error: string | null } {
  const dec = new DbnDecoder({ ...opts, wasm: false });
  const batch: MboBatch = createMboBatch(512);
  let rows = 0;
  let o = 0;
  try {
    for (;;) {
      const step = dec.next(batch);
      if (step === 'mbo') {
        rows += batch.count;
        batch.count = 0;
      } else if (step === 'need-more') {
        if (o >= bytes.length) dec.finish();
        else {
          const n = 1 + int(r, 4096);
          dec.push(bytes.subarray(o, o + n));
          o += n;
        }
      } else if (step === 'end') {
        rows += batch.count;
        return { rows, error: null };
      }
    }
  } catch (e) {
    if (!(e instanceof DbnError)) throw e;
    return { rows: rows + batch.count, error: e.code };
  }
}

/** decodeDbnSync (wasm kernel, whole buffer) against the push decoder (JS kernel, random chunks). */
export function fuzzDecode(bytes: Uint8Array, fragment: { version: number } | undefined, compressed: boolean, r: Rand): Result & { decoded?: DecodedDbn } {
  const opts: { fragment?: boolean; version?: 1 | 2 | 3 } = fragment ? { fragment: true, version: fragment.version as 1 | 2 | 3 } : {};
  let d: DecodedDbn;
  try {
    d = decodeDbnSync(bytes, { ...opts, tolerant: true });
  } catch (e) {
    return { outcome: isTyped(e) ? 'typed' : 'crash', detail: errText(e) };
  }
  if (d.error && QUOTES_BYTES.test(d.error.userMessage)) return { outcome: 'wrong', detail: `message quotes bytes: ${d.error.userMessage}` };
  if (d.mbo.count > d.counts.records) return { outcome: 'wrong', detail: `more MBO rows (${d.mbo.count}) than records (${d.counts.records})` };
  // The push decoder takes raw DBN only (zstd and the legacy DBZ frame are unwrapped before
  // it): compare the two paths only on input that does not look compressed.
  const u32 = bytes.length >= 4 ? (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0 : 0;
  const looksCompressed = u32 === 0xfd2fb528 || (u32 & 0xfffffff0) >>> 0 === 0x184d2a50;
  if (!compressed && !looksCompressed) {
    let c: { rows: number; error: string | null };
    try {
      c = mboCountChunked(bytes, opts, r);
    } catch (e) {
      return { outcome: 'crash', detail: `chunked: ${errText(e)}` };
    }
    const syncErr = d.error?.code ?? null;
    if (c.error !== syncErr || (c.error === null && c.rows !== d.mbo.count)) {
      return { outcome: 'wrong', detail: `sync ${d.mbo.count} rows/${syncErr} vs chunked ${c.rows} rows/${c.error}` };
    }
  }
  return { outcome: d.error ? 'typed' : 'ok', decoded: d };
}

const NO_SINK = { onAdd() {}, onRemove() {} };

/** The book's fast path against its reference path (a sink forces it) over the decoded rows. */
export function fuzzBook(d: DecodedDbn): Result {
  const b = d.mbo;
  if (b.count === 0) return { outcome: 'ok' };
  const iid = b.instrumentId[0];
  const fast = new OrderBook(250_000_000);
  const ref = new OrderBook(250_000_000);
  ref.sink = NO_SINK;
  try {
    fast.applyRange(b, 0, b.count, iid);
  } catch (e) {
    return { outcome: isTyped(e) ? 'typed' : 'crash', detail: `fast path: ${errText(e)}` };
  }
  try {
    ref.applyRange(b, 0, b.count, iid);
  } catch (e) {
    return { outcome: isTyped(e) ? 'typed' : 'crash', detail: `reference path: ${errText(e)}` };
  }
  const a = JSON.stringify(bookState(fast, b.count));
  const c = JSON.stringify(bookState(ref, b.count));
  if (a !== c) return { outcome: 'wrong', detail: `fast and reference books differ: ${a.slice(0, 200)} vs ${c.slice(0, 200)}` };
  return { outcome: 'ok' };
}

export function fuzzParams(text: string): Result {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { outcome: 'typed', detail: 'not JSON' }; // the loader reports a syntax error with the file name
  }
  try {
    const p = resolveParams(parsed);
    // Every resolved field must be a value its declaration allows (contracts/params.ts):
    // a finite number, or one of the enum's names.
    for (const [k, v] of Object.entries(p)) {
      const spec = (PARAM_FIELDS as Record<string, (typeof PARAM_FIELDS)[keyof typeof PARAM_FIELDS]>)[k];
      const ok = spec?.kind === 'enum' ? (spec.of as readonly unknown[]).includes(v) : typeof v === 'number' && Number.isFinite(v);
      if (!ok) return { outcome: 'wrong', detail: `${k} resolved to ${String(v)}` };
    }
    return { outcome: 'ok' };
  } catch (e) {
    return { outcome: e instanceof ParamsError ? 'typed' : 'crash', detail: errText(e) };
  }
}

/**
 * The real ingest (decode → book → silver → gold → DuckDB in a temp dir) of a damaged file,
 * sometimes with damaged parameters. Afterwards the catalog must hold only complete datasets.
 */
export async function fuzzIngest(dir: string, i: number, bytes: Uint8Array, compressed: boolean, params: unknown, r: Rand): Promise<Result> {
  const file = join(dir, `in-${i}.dbn${compressed ? '.zst' : ''}`);
  writeFileSync(file, bytes);
  const dbPath = join(dir, 'fuzz.duckdb');
  let result: Result;
  try {
    await ingestFile({ file, dbPath, threads: 'inline', bronze: r() < 0.3, force: true, params: params as never, start: pick(r, [undefined, '00:00', '18:00']), end: undefined });
    result = { outcome: 'ok' };
  } catch (e) {
    result = { outcome: isTyped(e) ? 'typed' : 'crash', detail: errText(e) };
    if (isTyped(e) && QUOTES_BYTES.test((e as { userMessage: string }).userMessage)) result = { outcome: 'wrong', detail: `message quotes bytes: ${(e as { userMessage: string }).userMessage}` };
  }
  // No partial dataset may be visible: every dataset row is 'ready' and its tables agree.
  try {
    const db = await openDatabase(dbPath, { readOnly: true });
    try {
      const all = await listDatasets(db, { all: true });
      const notReady = all.filter((d) => d.status !== 'ready');
      if (notReady.length) result = { outcome: 'wrong', detail: `datasets not ready after ingest: ${notReady.map((d) => d.status).join(',')}` };
      await queryRows(db, 'SELECT 1');
    } finally {
      await closeDatabase(db);
    }
  } catch (e) {
    if (result.outcome === 'ok') result = { outcome: 'crash', detail: `database after ingest: ${errText(e)}` };
  }
  return result;
}

/** One real engine host per fuzz process (real DuckDB in a temp dir), fed envelopes. */
export class ProtocolTarget {
  private host: EngineHost;
  private events: EngineEvent[] = [];
  sendErrors = 0;

  constructor(readonly dir: string) {
    mkdirSync(join(dir, 'cache'), { recursive: true });
    this.host = new EngineHost({
      send: (b) => {
        try {
          this.events.push(decodeEnvelope<EngineEvent>(b).message);
        } catch {
          this.sendErrors++;
        }
      },
      dbPath: join(dir, 'engine.duckdb'),
      initial: { kind: 'none' },
      deps: engineDeps(join(dir, 'cache')),
      log: () => undefined,
    });
    this.host.receive(encodeEnvelope<Request>({ kind: 'hello', protocol: PROTOCOL_VERSION, client: 'browser' }));
  }

  /** A request: random bytes, a damaged valid envelope, or well-formed JSON with wild fields. */
  static envelope(r: Rand, files: string[]): Uint8Array {
    // No open_demo: building the demo is minutes of legitimate work that blocks this process's
    // event loop for seconds (docs/SECURITY.md, open findings) and would read as a hang here.
    const kinds = ['hello', 'open_file', 'play', 'pause', 'seek', 'step', 'set_speed', 'set_field', 'frame_ack', 'fetch_slab', 'fetch_overlays', 'cancel_ingest', 'fetch_forecasts', 'set_params', 'nope', '', '__proto__'];
    const wild = [null, -1, 0, 1e308, '', 'x'.repeat(300), [], {}, true, '-9223372036854775808', '99999999999999999999999', 'NaN', '../../etc/passwd.dbn', '/dev/zero', '/'];
    const fields = ['path', 'windowEndNs', 'fromWindowEndNs', 'toWindowEndNs', 'seconds', 'speed', 'field', 'seq', 'requestId', 'fields', 'kinds', 'protocol', 'start', 'end', 'tz', 'date', 'symbol', 'set', 'force'];
    const msg: Record<string, unknown> = { kind: pick(r, kinds) };
    for (let k = int(r, 5); k > 0; k--) msg[pick(r, fields)] = r() < 0.5 ? pick(r, wild) : int(r, 1e9);
    if (msg.kind === 'open_file' && files.length && r() < 0.5) msg.path = pick(r, files);
    if (msg.kind === 'seek' && r() < 0.5) msg.windowEndNs = String(BigInt(int(r, 2 ** 31)) * 1_000_000_000n);
    let b = encodeEnvelope(msg, r() < 0.2 ? [Uint8Array.from({ length: int(r, 64) }, () => int(r, 256))] : []);
    switch (int(r, 6)) {
      case 0: return Uint8Array.from({ length: int(r, 64) }, () => int(r, 256));
      case 1: b = b.slice(0, int(r, b.length + 1)); break;
      case 2: { b = b.slice(); for (let k = 1 + int(r, 4); k > 0; k--) b[int(r, b.length)] ^= 1 << int(r, 8); break; }
      case 3: { b = b.slice(); new DataView(b.buffer).setUint32(0, pick(r, [0, 0xffffffff, b.length, b.length - 3]), true); break; }
      default: break;
    }
    return b;
  }

  async feed(bytes: Uint8Array): Promise<Result> {
    const before = this.events.length;
    try {
      this.host.receive(bytes);
    } catch (e) {
      return { outcome: 'crash', detail: `receive threw: ${errText(e)}` };
    }
    // Let async work (store, ingest of a small file, slabs) answer.
    await new Promise((res) => setTimeout(res, 20));
    const answered = this.events.slice(before);
    const alerts = answered.filter((e): e is Extract<EngineEvent, { kind: 'alert' }> => e.kind === 'alert');
    for (const a of alerts) {
      if (!a.alert.code || !a.alert.message) return { outcome: 'wrong', detail: `alert without code or message: ${JSON.stringify(a.alert).slice(0, 200)}` };
      if (QUOTES_BYTES.test(a.alert.message) || QUOTES_BYTES.test(a.alert.hint ?? '')) return { outcome: 'wrong', detail: `alert quotes bytes: ${a.alert.message}` };
    }
    if (this.events.length > 10_000) this.events.splice(0, this.events.length - 1000);
    return { outcome: alerts.some((a) => a.alert.severity === 'error') ? 'typed' : 'ok' };
  }

  /** Waits for the engine to finish whatever it was doing (an ingest started by a request). */
  async settle(): Promise<void> {
    this.host.receive(encodeEnvelope<Request>({ kind: 'cancel_ingest' } as Request));
    await new Promise((res) => setTimeout(res, 50));
  }
}
