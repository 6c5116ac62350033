// Runs the compute half of an ingest (IngestProducer) either in a worker thread — so decode +
// book + silver + gold overlap DuckDB's appends on the second core — or inline on the DuckDB
// thread (fallback when no worker entry can be found, e.g. an unusual bundle). Both give the
// same ProducerClient; ingest.ts does not care which one it got.
//
// Where the worker entry is:
//   from source (tsx CLI, vitest, `serve`): ./ingestWorker.ts, booted through tsx's loader API
//     (Node 20 workers do not inherit the parent's --import loader);
//   from a bundle (electron-vite build of the engine utility process): ingestWorker.js, its own
//     bundle input next to the engine bundle (see electron.vite.config.ts).
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MessagePort, Worker as WorkerType } from 'node:worker_threads';
import { DbnError } from '../dbn/errors';
import type { ChunkAppender } from '../store/chunkWriter';
import { cancelledError, IngestError, type IngestErrorCode } from './errors';
import { IngestProducer, type BuildConfig, type ProducerRequest, type ProducerResult, type ProgressSample } from './ingestProducer';
import { BUILD_TABLES } from './tableWriters';
import { chunkLayout } from '../store/chunkFiller';
import { ingestWorkerBundle } from './ingestWorkerBundle';

/**
 * Chunks (≤ 2048 rows each; Bronze ~135 KB, cells ~450 KB) posted but not yet appended, so at
 * most ~35–115 MB (the worker blocks beyond it). Deep enough that the worker runs ahead during the long Bronze-only stretch
 * before the session (where DuckDB is the slower side) and DuckDB still has work while the
 * worker computes the session's windows: with 48 the DuckDB thread sat idle ~3 s of a 12-s
 * simulated day, with 256 ~0.7 s (09:49 UTC, load ~1).
 */
export const MAX_CHUNKS_IN_FLIGHT = 256;

export interface ChunkMsg {
  t: number;
  buf: ArrayBuffer;
  n: number;
}

export type MainToWorker = { type: 'hash' } | { type: 'run'; datasetId: number } | { type: 'stop' };

/** Int32 slots of the shared `sync` buffer: chunks appended so far (the DuckDB thread adds and notifies), stop flag. */
export const SYNC_APPENDED = 0;
export const SYNC_STOP = 1;

export interface WorkerData {
  req: ProducerRequest;
  /**
   * Start the build right after the configuration, before the dataset id is known (chunks
   * carry dataset_id 0; the DuckDB thread writes the real one before appending): the compute
   * overlaps opening the database, the cache lookup and the start of the transaction. Only
   * `run` is available then (no `hash`).
   */
  eager: boolean;
  /** Chunks handed over and not yet appended before the worker waits. */
  maxInFlight: number;
  /** SharedArrayBuffer of two Int32 (SYNC_APPENDED, SYNC_STOP). */
  sync: SharedArrayBuffer;
  /** Buffers handed back ({list: [{t, buf}]}), read synchronously by the worker. */
  credits: MessagePort;
}

type WorkerToMain =
  | { type: 'config'; build: BuildConfig }
  | { type: 'error'; error: SerializedError }
  | { type: 'hash_progress'; pos: number }
  | { type: 'hashed'; sha: string; seconds: number }
  | { type: 'chunks'; list: ChunkMsg[]; progress?: ProgressSample }
  | { type: 'done'; result: ProducerResult };

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

export interface ProducerClient {
  readonly mode: 'worker' | 'inline';
  readonly build: BuildConfig;
  /** SHA-256 of the whole file, no decoding (confirms a cache hit). Ends the producer. */
  hashOnly(onBytes?: (pos: number) => void): Promise<{ sha: string; seconds: number }>;
  /** The build: chunks are appended to `appenders` (indexed like BUILD_TABLES) on this thread. */
  run(datasetId: number, appenders: ChunkAppender[], onProgress: (p: ProgressSample) => void): Promise<ProducerResult>;
  close(): Promise<void>;
}

export type ThreadMode = 'auto' | 'worker' | 'inline';

/**
 * 'auto' uses the worker whenever there is a second core, whatever the file size. (It used to
 * start at 32 MB: under tsx the worker booted in 0.3–0.6 s and its chunks came one message
 * per 8192-event batch, so on the 1 MB real hour the threads took turns. Now it boots from a
 * bundle in ~0.1 s while the database opens, and chunks flow as they are sealed.)
 */
export function resolveThreadMode(mode: ThreadMode, cores = availableParallelism()): 'worker' | 'inline' {
  if (mode !== 'auto') return mode;
  return cores >= 2 ? 'worker' : 'inline';
}

/**
 * 'worker' insists on the worker thread; 'auto' tries it and falls back to this thread when the
 * entry cannot be found or the thread cannot start (e.g. a host without worker_threads).
 */
export async function startProducer(
  req: ProducerRequest,
  signal: AbortSignal | undefined,
  mode: ThreadMode = 'auto',
  opts: { maxInFlight?: number; eager?: boolean } = {},
): Promise<ProducerClient> {
  if (mode !== 'inline') {
    let w: SpawnedWorker | null = null;
    try {
      w = await createIngestWorker(req, opts.maxInFlight ?? MAX_CHUNKS_IN_FLIGHT, opts.eager ?? false);
    } catch (e) {
      if (mode === 'worker') throw e;
    }
    if (w) {
      try {
        return await WorkerProducer.start(w, signal);
      } catch (e) {
        // Typed errors (the file, the configuration) and cancel are the answer; anything else
        // means the thread itself failed to start.
        if (mode === 'worker' || signal?.aborted || e instanceof IngestError || e instanceof DbnError) throw e;
      }
    } else if (mode === 'worker') throw new Error('the ingest worker entry was not found');
  }
  return InlineProducer.start(req, signal);
}

// ------------------------------------------------------------------------------- inline
class InlineProducer implements ProducerClient {
  readonly mode = 'inline' as const;
  private constructor(
    private readonly p: IngestProducer,
    readonly build: BuildConfig,
  ) {}
  static async start(req: ProducerRequest, signal?: AbortSignal): Promise<InlineProducer> {
    const p = new IngestProducer(req, signal);
    return new InlineProducer(p, await p.prepare());
  }
  hashOnly(onBytes?: (pos: number) => void) {
    return this.p.hashOnly(onBytes);
  }
  run(datasetId: number, appenders: ChunkAppender[], onProgress: (p: ProgressSample) => void): Promise<ProducerResult> {
    return this.p.run(datasetId, {
      sinkFor: (decl) => {
        const a = appenders[BUILD_TABLES.indexOf(decl)];
        return (buf, n) => {
          a.append(buf, n);
          return buf;
        };
      },
      afterBatch: onProgress,
    });
  }
  close(): Promise<void> {
    return this.p.close();
  }
}

// ------------------------------------------------------------------------------- worker
let idOffsets: number[] | null = null;

/** Byte offset of the u32 dataset_id column in each build table's chunk (-1: none). */
function datasetIdOffsets(): number[] {
  idOffsets ??= BUILD_TABLES.map((decl) => {
    const L = chunkLayout(decl);
    const i = L.columns.findIndex((c) => c.name === 'dataset_id');
    if (i < 0) return -1;
    if (L.width[i] !== 4) throw new Error(`ingest: ${decl.name}.dataset_id is not a 4-byte column`);
    return L.offset[i];
  });
  return idOffsets;
}

const BOOT_FROM_SOURCE = `
const { workerData } = require('node:worker_threads');
import(workerData.tsxApi).then((m) => { m.register(); return import(workerData.entry); });
`;

/** The parent's flags (e.g. --cpu-prof) minus tsx's loader: the bundle is plain JS. */
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

interface SpawnedWorker {
  eager: boolean;
  w: WorkerType;
  sync: Int32Array;
  credits: MessagePort;
}

async function createIngestWorker(req: ProducerRequest, maxInFlight: number, eager: boolean): Promise<SpawnedWorker | null> {
  const { Worker, MessageChannel } = await import('node:worker_threads');
  const here = import.meta.url;
  let spawn: ((data: object, transferList: MessagePort[]) => WorkerType) | null = null;
  if (here.startsWith('file:') && here.endsWith('.ts')) {
    let tsxApi: string;
    try {
      tsxApi = pathToFileURL(createRequire(here).resolve('tsx/esm/api').replace(/index\.cjs$/, 'index.mjs')).href;
    } catch {
      return null;
    }
    const entry = new URL('./ingestWorker.ts', here);
    // Bundled once (~0.1 s boot, no inherited tsx loader) or, failing that, through tsx's loader (~0.4–0.6 s).
    const bundle = await ingestWorkerBundle(fileURLToPath(entry));
    spawn = bundle
      ? (data, transferList) => new Worker(pathToFileURL(bundle), { workerData: data, transferList, execArgv: withoutTsxLoader(process.execArgv) })
      : (data, transferList) => new Worker(BOOT_FROM_SOURCE, { eval: true, workerData: { ...data, tsxApi, entry: entry.href }, transferList });
  } else if (here.startsWith('file:')) {
    for (const rel of ['./ingestWorker.js', '../ingestWorker.js']) {
      const url = new URL(rel, here);
      if (existsSync(fileURLToPath(url))) {
        spawn = (data, transferList) => new Worker(url, { workerData: data, transferList });
        break;
      }
    }
  }
  if (!spawn) return null;
  const syncBuf = new SharedArrayBuffer(8);
  const { port1, port2 } = new MessageChannel();
  const data: WorkerData = { req, eager, maxInFlight: Math.max(1, Math.floor(maxInFlight)), sync: syncBuf, credits: port2 };
  try {
    return { w: spawn(data, [port2]), sync: new Int32Array(syncBuf), credits: port1, eager };
  } catch (e) {
    port1.close();
    throw e;
  }
}

class WorkerProducer implements ProducerClient {
  readonly mode = 'worker' as const;
  build!: BuildConfig;
  /** The pending request's callbacks (one at a time: config, then hash or run). */
  private waiting: { resolve: (m: WorkerToMain) => void; reject: (e: unknown) => void } | null = null;
  private onChunks: ((m: Extract<WorkerToMain, { type: 'chunks' }>) => void) | null = null;
  private onHashProgress: ((pos: number) => void) | null = null;
  /** Messages that came before anyone asked (an eager worker's chunks and even its 'done'). */
  private inbox: WorkerToMain[] = [];
  private readonly eager: boolean;
  private failure: unknown = null;
  private closed = false;

  private readonly w: WorkerType;
  private readonly sync: Int32Array;
  private readonly credits: MessagePort;

  private constructor(
    spawned: SpawnedWorker,
    private readonly signal?: AbortSignal,
  ) {
    const w = (this.w = spawned.w);
    this.sync = spawned.sync;
    this.credits = spawned.credits;
    this.eager = spawned.eager;
    w.on('message', (m: WorkerToMain) => {
      try {
        if (m.type === 'chunks') {
          if (this.onChunks) this.onChunks(m);
          else this.inbox.push(m);
        }
        else if (m.type === 'hash_progress') this.onHashProgress?.(m.pos);
        else if (m.type === 'error') this.fail(deserializeError(m.error));
        else this.settle(m);
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

  static async start(w: SpawnedWorker, signal?: AbortSignal): Promise<WorkerProducer> {
    const p = new WorkerProducer(w, signal);
    try {
      const m = await p.next();
      if (m.type !== 'config') throw new Error(`ingest worker: expected config, got ${m.type}`);
      p.build = m.build;
      return p;
    } catch (e) {
      await p.close();
      throw e;
    }
  }

  private next(): Promise<WorkerToMain> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.signal?.aborted) return Promise.reject(cancelledError());
    const early = this.inbox.shift();
    if (early) return Promise.resolve(early);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  private settle(m: WorkerToMain): void {
    const w = this.waiting;
    this.waiting = null;
    if (w) w.resolve(m);
    else this.inbox.push(m);
  }

  private fail(e: unknown): void {
    if (this.failure) return;
    this.failure = this.signal?.aborted ? cancelledError() : e;
    const w = this.waiting;
    this.waiting = null;
    w?.reject(this.failure);
    void this.close();
  }

  async hashOnly(onBytes?: (pos: number) => void): Promise<{ sha: string; seconds: number }> {
    if (this.eager) throw new Error('ingest worker: an eager worker only builds');
    this.onHashProgress = onBytes ?? null;
    const r = this.next();
    this.w.postMessage({ type: 'hash' } satisfies MainToWorker);
    const m = await r;
    if (m.type !== 'hashed') throw new Error(`ingest worker: expected hashed, got ${m.type}`);
    return { sha: m.sha, seconds: m.seconds };
  }

  async run(datasetId: number, appenders: ChunkAppender[], onProgress: (p: ProgressSample) => void): Promise<ProducerResult> {
    const idAt = datasetIdOffsets();
    this.onChunks = (m) => {
      // Append on this (the DuckDB) thread, count each one for the worker's backpressure, then
      // hand the buffers back for reuse. (An eager worker filled dataset_id with 0.)
      for (const c of m.list) {
        const at = idAt[c.t];
        if (at >= 0) new Uint32Array(c.buf, at, c.n).fill(datasetId);
        appenders[c.t].append(c.buf, c.n);
        Atomics.add(this.sync, SYNC_APPENDED, 1);
        Atomics.notify(this.sync, SYNC_APPENDED);
      }
      if (m.list.length > 0) {
        const list = m.list.map((c) => ({ t: c.t, buf: c.buf }));
        this.credits.postMessage({ list }, list.map((c) => c.buf));
      }
      if (m.progress) onProgress(m.progress);
    };
    // Chunks that came early, in order (the worker may even be done already).
    while (this.inbox[0]?.type === 'chunks') this.onChunks(this.inbox.shift() as Extract<WorkerToMain, { type: 'chunks' }>);
    const r = this.next();
    if (!this.eager) this.w.postMessage({ type: 'run', datasetId } satisfies MainToWorker);
    const m = await r;
    if (m.type !== 'done') throw new Error(`ingest worker: expected done, got ${m.type}`);
    return m.result;
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
