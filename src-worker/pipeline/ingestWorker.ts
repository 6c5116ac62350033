// Worker-thread entry of an ingest (the worker end of the chunk channel, ingestThreads.ts):
// decode + the product's engine + chunk filling + hashing run here, on one core, while the
// thread that owns the DuckDB connection appends the chunks on the other. It reads the file's
// header at once and builds as soon as the DuckDB thread sends the resolved configuration
// (`start`) — which it does before opening the database, so the build overlaps that, the cache
// lookup and BEGIN. Full chunks are transferred (no copy) as soon as they are sealed — a few per
// message, at once when the DuckDB thread is about to run dry. It takes buffers back on the
// credit port (read here synchronously), and blocks (Atomics.wait) while too many chunks are in
// flight (bounded memory, backpressure) — from inside the engine's window callback if need be:
// one decoder batch of the real hour closes ~400 windows (~150 chunks).
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { TableDecl } from '../../contracts/columns';
import { loadNapi } from '../dbn/zstd';
import type { BuildConfig } from '../products/product';
import { wireIdOf } from '../products/product';
import { productById } from '../products/registry';
import { cancelledError } from './errors';
import { IngestProducer, type ProgressSample } from './ingestProducer';
import { serializeError, SYNC_APPENDED, SYNC_STOP, type ChunkMsg, type MainToWorker, type WorkerData } from './ingestThreads';

/** Chunks per message (fewer messages), unless the DuckDB thread has fewer than LOW_WATER left. */
const CHUNKS_PER_POST = 16;
const LOW_WATER = 2;

const port = parentPort!;
const { req, maxInFlight, sync: syncBuf, credits } = workerData as WorkerData;
const sync = new Int32Array(syncBuf);
// Decompress here, on this thread: a separate zstd thread would be a third busy thread on two
// cores (the DuckDB thread is the other one).
if (!req.zstd && loadNapi()) req.zstd = 'napi';
const abort = new AbortController();
const producer = new IngestProducer(req, abort.signal);
const product = productById(req.product);

// Returned buffers per wire id, reused for the next chunks.
const pool = new Map<number, ArrayBuffer[]>(product.tables.map((t) => [t.wireId, []]));
let posted = 0;
let outbox: ChunkMsg[] = [];
let transfer: ArrayBuffer[] = [];
let lastProgress = 0;
/** Seconds blocked on backpressure (the DuckDB thread was the slower side). */
let blockedMs = 0;
let failed = false;

const fail = (e: unknown) => {
  if (failed) return;
  failed = true;
  port.postMessage({ type: 'error', error: serializeError(e) });
};

// The header at once (it overlaps the DuckDB thread's own header read and configuration).
const header = producer.open();
header.catch(fail);

port.on('message', (m: MainToWorker) => {
  if (m.type === 'start') void header.then(() => build(m.build)).catch(fail);
  else {
    abort.abort();
    void producer.close().finally(() => port.close());
  }
});

function takeCredits(): void {
  for (let m = receiveMessageOnPort(credits); m; m = receiveMessageOnPort(credits))
    for (const c of (m.message as { list: { t: number; buf: ArrayBuffer }[] }).list) pool.get(c.t)!.push(c.buf);
}

function flush(progress?: ProgressSample): void {
  port.postMessage({ type: 'chunks', list: outbox, progress }, transfer);
  outbox = [];
  transfer = [];
  if (progress) lastProgress = performance.now();
}

/** Chunks posted and not yet appended by the DuckDB thread. */
const pending = () => posted - outbox.length - Atomics.load(sync, SYNC_APPENDED);

/** Block until the DuckDB thread is down to half the limit (or the ingest is stopped). */
function waitForDuckDb(): void {
  if (outbox.length > 0) flush();
  const t0 = performance.now();
  try {
    for (;;) {
      const appended = Atomics.load(sync, SYNC_APPENDED);
      if (Atomics.load(sync, SYNC_STOP) !== 0) throw cancelledError();
      if (posted - appended <= maxInFlight / 2) return;
      // (timeout: the stop flag is checked again even if a notify were missed)
      Atomics.wait(sync, SYNC_APPENDED, appended, 100);
    }
  } finally {
    blockedMs += performance.now() - t0;
  }
}

async function build(cfg: BuildConfig): Promise<void> {
  const sinkFor = (decl: TableDecl) => {
    const t = wireIdOf(product, decl);
    const free = pool.get(t)!;
    return (buf: ArrayBuffer, n: number): ArrayBuffer | null => {
      outbox.push({ t, buf, n });
      transfer.push(buf);
      posted++;
      if (outbox.length >= CHUNKS_PER_POST || pending() < LOW_WATER) flush();
      if (posted - Atomics.load(sync, SYNC_APPENDED) > maxInFlight) waitForDuckDb();
      // (reading the credit port costs ~0.1 ms: only when this table has no buffer to reuse)
      if (free.length === 0) takeCredits();
      return free.pop() ?? null;
    };
  };
  const result = await producer.run(cfg, {
    sinkFor,
    afterBatch(p) {
      // Sealed chunks go now (the next batch may take a while); progress about every 100 ms.
      if (outbox.length > 0 || performance.now() - lastProgress > 100) flush(p);
    },
  });
  if (outbox.length > 0) flush({ bytesRead: req.sourceBytes, events: result.events.processed, firstSec: NaN, curSec: NaN });
  result.seconds.blocked = blockedMs / 1000;
  port.postMessage({ type: 'done', result });
}
