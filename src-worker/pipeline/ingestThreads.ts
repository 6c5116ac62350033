// The worker implementation of the chunk channel (ingestChannel.ts): the producer runs in the
// ingest worker (ingestWorker.ts) so decode + book + silver + gold overlap DuckDB's appends on
// the second core. Full chunks arrive transferred (no copy), are appended here, counted in
// shared memory for the worker's backpressure (Atomics), and their buffers go back on their own
// port for reuse. Cancel sets a stop flag in the same shared memory (a blocked worker sees it).
//
// One boot path: the worker is always a built file, started without tsx's loader —
//   packaged (electron-vite build): out/main/ingestWorker.js, next to the engine bundle;
//   from source (tsx CLI, vitest, benchmarks, serve): out/ingest-worker/ingestWorker.mjs,
//     written by `npm run build:ingest-worker` (scripts/buildIngestWorker.ts; vitest's global
//     setup runs it), used only while every bundled source still has the size and mtime it
//     was built from.
// No built worker (or a stale one): threads 'auto' runs the producer inline (same tables,
// one core); threads 'worker' fails with IngestError 'ingest.worker_missing' and the hint.
//
// Protocol (plain objects with a `type`):
//   worker → main  chunks {list: [{t: wire id, buf, n}], progress?} | done {result} | error {error}
//   main → worker  start {build} | stop        (and the stop flag in shared memory)
//   credit port    {list: [{t, buf}]}          (buffers handed back)
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MessagePort, Worker as WorkerType } from 'node:worker_threads';
import { Worker, MessageChannel } from 'node:worker_threads';
import { DbnError } from '../dbn/errors';
import type { BuildConfig } from '../products/product';
import { cancelledError, IngestError, type IngestErrorCode } from './errors';
import type { ChunkChannel, ChunkReceiver } from './ingestChannel';
import type { ProducerRequest, ProducerResult, ProgressSample } from './ingestProducer';

/**
 * Chunks (≤ 2048 rows each; Bronze ~135 KB, cells ~450 KB) posted but not yet appended, so at
 * most ~35–115 MB (the worker blocks beyond it). Deep enough that the worker runs ahead during the long Bronze-only stretch
 * before the session (where DuckDB is the slower side) and DuckDB still has work while the
 * worker computes the session's windows: with 48 the DuckDB thread sat idle ~3 s of a 12-s
 * simulated day, with 256 ~0.7 s (09:49 UTC, load ~1).
 */
export const MAX_CHUNKS_IN_FLIGHT = 256;

export interface ChunkMsg {
  /** The table's wire id (products/: declared per table). */
  t: number;
  buf: ArrayBuffer;
  n: number;
}

export type MainToWorker = { type: 'start'; build: BuildConfig } | { type: 'stop' };

export type WorkerToMain =
  | { type: 'chunks'; list: ChunkMsg[]; progress?: ProgressSample }
  | { type: 'done'; result: ProducerResult }
  | { type: 'error'; error: SerializedError };

/** Int32 slots of the shared `sync` buffer: chunks appended so far (the DuckDB thread adds and notifies), stop flag. */
export const SYNC_APPENDED = 0;
export const SYNC_STOP = 1;

export interface WorkerData {
  /** The producer request, as the ingest made it (SharedArrayBuffers in it are shared). */
  req: ProducerRequest;
  /** Chunks handed over and not yet appended before the worker waits. */
  maxInFlight: number;
  /** SharedArrayBuffer of two Int32 (SYNC_APPENDED, SYNC_STOP). */
  sync: SharedArrayBuffer;
  /** Buffers handed back ({list: [{t, buf}]}), read synchronously by the worker. */
  credits: MessagePort;
}

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  userMessage?: string;
  hint?: string;
  offset?: number;
  stack?: string;
}

export function serializeError(e: unknown): SerializedError {
  const x = e as { name?: string; message?: string; code?: string; userMessage?: string; hint?: string; offset?: number; stack?: string } | null;
  return { name: x?.name ?? 'Error', message: String(x?.message ?? e), code: x?.code, userMessage: x?.userMessage, hint: x?.hint, offset: x?.offset, stack: x?.stack };
}

/** The typed error again on this side of the thread boundary. */
export function deserializeError(s: SerializedError): Error {
  if (s.name === 'IngestError') return new IngestError(s.code as IngestErrorCode, s.userMessage ?? s.message, s.hint ?? '');
  if (s.code && s.userMessage !== undefined && s.name.endsWith('Error') && s.name !== 'Error') {
    // DbnError and its subclasses: same code, message and hint (userMessage already has the offset).
    const e = new DbnError(s.code as DbnError['code'], -1, s.userMessage, s.hint ?? '');
    Object.defineProperty(e, 'offset', { value: s.offset ?? -1 });
    e.name = s.name;
    return e;
  }
  const e = new Error(s.message);
  e.name = s.name;
  if (s.stack) e.stack = s.stack;
  return e;
}

// ------------------------------------------------------------------------------- boot
/** The parent's flags (e.g. --cpu-prof) minus tsx's loader: the worker is plain JS. */
export function withoutTsxLoader(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if ((a === '--require' || a === '-r' || a === '--import' || a === '--loader' || a === '--experimental-loader') && /tsx/.test(argv[i + 1] ?? '')) i++;
    else if (/^--(require|import|loader|experimental-loader)=.*tsx/.test(a)) continue;
    else out.push(a);
  }
  return out;
}

/** What scripts/buildIngestWorker.ts writes beside the bundle. */
export interface WorkerManifest {
  bundle: string;
  /** [absolute path, size, mtimeMs] of every bundled source. */
  inputs: [string, number, number][];
}

/** Where the source build puts the worker (relative to this file: src-worker/pipeline/). */
export const DEV_WORKER_DIR = fileURLToPath(new URL('../../out/ingest-worker/', import.meta.url));
export const DEV_WORKER_MANIFEST = 'manifest.json';
export const BUILD_HINT = 'run `npm run build:ingest-worker` (or use threads: inline)';

/** The bundle exists and every source still has the size and mtime it was built from. */
export function bundleIsFresh(m: WorkerManifest): boolean {
  if (!existsSync(m.bundle)) return false;
  for (const [p, size, mtimeMs] of m.inputs) {
    try {
      const st = statSync(p);
      if (st.size !== size || st.mtimeMs !== mtimeMs) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** The built worker to start, or why there is none. */
export function findIngestWorker(here = import.meta.url): { entry: URL; execArgv?: string[] } | { missing: string } {
  if (here.endsWith('.ts')) {
    let m: WorkerManifest;
    try {
      m = JSON.parse(readFileSync(DEV_WORKER_DIR + DEV_WORKER_MANIFEST, 'utf8')) as WorkerManifest;
    } catch {
      return { missing: 'the ingest worker has not been built' };
    }
    if (!bundleIsFresh(m)) return { missing: 'the built ingest worker is older than its sources' };
    return { entry: pathToFileURL(m.bundle), execArgv: withoutTsxLoader(process.execArgv) };
  }
  // Bundled engine: out/main/engine.js, or a chunk one folder below it.
  for (const rel of ['./ingestWorker.js', '../ingestWorker.js']) {
    const url = new URL(rel, here);
    if (existsSync(fileURLToPath(url))) return { entry: url };
  }
  return { missing: 'ingestWorker.js is missing next to the engine bundle' };
}

/**
 * Start the ingest worker: it boots, reads the file's header and waits for `start`. Null when
 * there is no built worker or the thread cannot start and `mode` is 'auto' (the caller builds
 * inline); a typed error when `mode` is 'worker'.
 */
export function spawnWorkerChannel(
  req: ProducerRequest,
  mode: 'auto' | 'worker',
  maxInFlight: number,
  signal?: AbortSignal,
  find: () => ReturnType<typeof findIngestWorker> = findIngestWorker,
): WorkerChannel | null {
  const found = find();
  if ('missing' in found) {
    if (mode === 'auto') return null;
    throw new IngestError('ingest.worker_missing', found.missing, BUILD_HINT);
  }
  const sync = new SharedArrayBuffer(8);
  const { port1, port2 } = new MessageChannel();
  const data: WorkerData = { req, maxInFlight: Math.max(1, Math.floor(maxInFlight)), sync, credits: port2 };
  try {
    const w = new Worker(found.entry, { workerData: data, transferList: [port2], ...(found.execArgv ? { execArgv: found.execArgv } : {}) });
    return new WorkerChannel(w, new Int32Array(sync), port1, signal);
  } catch (e) {
    port1.close();
    if (mode === 'auto') return null;
    throw e;
  }
}

// ------------------------------------------------------------------------------- channel
export class WorkerChannel implements ChunkChannel {
  readonly mode = 'worker' as const;
  /** Chunk messages that came before `drain` (an eager worker builds while DuckDB opens). */
  private inbox: Extract<WorkerToMain, { type: 'chunks' }>[] = [];
  private onChunks: ((m: Extract<WorkerToMain, { type: 'chunks' }>) => void) | null = null;
  private result: ProducerResult | null = null;
  private failure: unknown = null;
  private waiting: { resolve: (r: ProducerResult) => void; reject: (e: unknown) => void } | null = null;
  private closed = false;

  constructor(
    private readonly w: WorkerType,
    private readonly sync: Int32Array,
    private readonly credits: MessagePort,
    private readonly signal?: AbortSignal,
  ) {
    w.on('message', (m: WorkerToMain) => {
      try {
        if (m.type === 'chunks') {
          if (this.onChunks) this.onChunks(m);
          else this.inbox.push(m);
        } else if (m.type === 'done') {
          this.result = m.result;
          this.settle();
        } else this.fail(deserializeError(m.error));
      } catch (e) {
        this.fail(e);
      }
    });
    w.on('error', (e) => this.fail(e));
    w.on('exit', (code) => {
      if (!this.closed) this.fail(new IngestError('store.failed', `the ingest worker stopped unexpectedly (exit code ${code})`, 'try again; if it keeps happening, report it'));
    });
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  private readonly onAbort = () => this.fail(cancelledError());

  start(build: BuildConfig): void {
    this.w.postMessage({ type: 'start', build } satisfies MainToWorker);
  }

  drain(into: ChunkReceiver, onProgress: (p: ProgressSample) => void): Promise<ProducerResult> {
    this.onChunks = (m) => {
      // Append on this (the DuckDB) thread, count each one for the worker's backpressure, then
      // hand the buffers back for reuse.
      for (const c of m.list) {
        into.append(c.t, c.buf, c.n);
        Atomics.add(this.sync, SYNC_APPENDED, 1);
        Atomics.notify(this.sync, SYNC_APPENDED);
      }
      if (m.list.length > 0) {
        const list = m.list.map((c) => ({ t: c.t, buf: c.buf }));
        this.credits.postMessage({ list }, list.map((c) => c.buf));
      }
      if (m.progress) onProgress(m.progress);
    };
    const p = new Promise<ProducerResult>((resolve, reject) => (this.waiting = { resolve, reject }));
    try {
      // Chunks that came early, in order (the worker may even be done already).
      for (let m = this.inbox.shift(); m; m = this.inbox.shift()) this.onChunks(m);
    } catch (e) {
      this.fail(e);
    }
    this.settle();
    return p;
  }

  /** Resolve or reject a waiting drain once the result or a failure is known. */
  private settle(): void {
    const w = this.waiting;
    if (!w || (this.result === null && this.failure === null)) return;
    this.waiting = null;
    if (this.failure !== null) w.reject(this.failure);
    else w.resolve(this.result!);
  }

  private fail(e: unknown): void {
    if (this.failure !== null || this.result !== null) return;
    this.failure = this.signal?.aborted ? cancelledError() : e;
    this.settle();
    void this.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.signal?.removeEventListener('abort', this.onAbort);
    this.onChunks = null;
    // A worker blocked on backpressure sees the flag (it cannot read messages then).
    Atomics.store(this.sync, SYNC_STOP, 1);
    Atomics.notify(this.sync, SYNC_APPENDED);
    this.credits.close();
    try {
      this.w.postMessage({ type: 'stop' } satisfies MainToWorker);
    } catch {
      // already gone
    }
    await this.w.terminate().catch(() => undefined);
  }
}
