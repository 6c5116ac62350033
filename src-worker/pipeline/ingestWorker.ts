// Worker-thread entry of an ingest (started by ingestThreads.ts): decode + FuturesEngine +
// chunk filling + hashing run here, on one core, while the thread that owns the DuckDB
// connection appends the chunks on the other. Full chunks are transferred (no copy) as soon as
// they are sealed — a few per message, at once when the DuckDB thread is about to run dry — so
// the DuckDB thread appends from the first chunk on while this thread computes. It hands each
// buffer back once appended (credits, on their own port, read here synchronously), and counts
// appended chunks in shared memory; this thread blocks (Atomics.wait) while too many are in
// flight (bounded memory, backpressure) — from inside the engine's window callback if need be:
// one decoder batch of the real hour closes ~400 windows (~150 chunks).
//
// Protocol (all messages are plain objects with a `type`):
//   worker → main  config {build} | error {error} | hash_progress {pos} | hashed {sha, seconds}
//                  chunks {list: [{t, buf, n}], progress?} | done {result}
//   main → worker  hash | run {datasetId} | stop        (and the stop flag in shared memory)
//   credit port    {list: [{t, buf}]}                   (buffers handed back)
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { loadNapi } from '../dbn/zstd';
import { cancelledError } from './errors';
import { IngestProducer, type ProducerRequest, type ProgressSample } from './ingestProducer';
import { BUILD_TABLES } from './tableWriters';
import { serializeError, SYNC_APPENDED, SYNC_STOP, type ChunkMsg, type MainToWorker, type WorkerData } from './ingestThreads';

/** Chunks per message (fewer messages), unless the DuckDB thread has fewer than LOW_WATER left. */
const CHUNKS_PER_POST = 16;
const LOW_WATER = 2;

const port = parentPort!;
const { req, eager, maxInFlight, sync: syncBuf, credits } = workerData as WorkerData;
const sync = new Int32Array(syncBuf);
// Decompress here, on this thread: a separate zstd thread would be a third busy thread on two
// cores (the DuckDB thread is the other one).
if (!req.zstd && loadNapi()) req.zstd = 'napi';
const abort = new AbortController();
const producer = new IngestProducer(req, abort.signal);

// Returned buffers per table, reused for the next chunks.
const pool: ArrayBuffer[][] = BUILD_TABLES.map(() => []);
let posted = 0;
let outbox: ChunkMsg[] = [];
let transfer: ArrayBuffer[] = [];
let lastPost = 0;
let lastProgress = 0;
/** Seconds blocked on backpressure (the DuckDB thread was the slower side). */
let blockedMs = 0;

const fail = (e: unknown) => port.postMessage({ type: 'error', error: serializeError(e) });

port.on('message', (m: MainToWorker) => {
  switch (m.type) {
    case 'hash':
      void producer
        .hashOnly((pos) => {
          const now = performance.now();
          if (now - lastPost > 100) {
            lastPost = now;
            port.postMessage({ type: 'hash_progress', pos });
          }
        })
        .then((r) => port.postMessage({ type: 'hashed', sha: r.sha, seconds: r.seconds }), fail);
      break;
    case 'run':
      void run(m.datasetId).catch(fail);
      break;
    case 'stop':
      abort.abort();
      void producer.close().finally(() => port.close());
      break;
  }
});

function takeCredits(port: MessagePort): void {
  for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) for (const c of (m.message as { list: { t: number; buf: ArrayBuffer }[] }).list) pool[c.t].push(c.buf);
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
    waitLoop();
  } finally {
    blockedMs += performance.now() - t0;
  }
}

function waitLoop(): void {
  for (;;) {
    const appended = Atomics.load(sync, SYNC_APPENDED);
    if (Atomics.load(sync, SYNC_STOP) !== 0) throw cancelledError();
    if (posted - appended <= maxInFlight / 2) return;
    // (timeout: the stop flag is checked again even if a notify were missed)
    Atomics.wait(sync, SYNC_APPENDED, appended, 100);
  }
}

async function run(datasetId: number): Promise<void> {
  const sinkFor = (decl: (typeof BUILD_TABLES)[number]) => {
    const t = BUILD_TABLES.indexOf(decl);
    if (t < 0) throw new Error(`ingest worker: no table index for ${decl.name}`);
    return (buf: ArrayBuffer, n: number): ArrayBuffer | null => {
      outbox.push({ t, buf, n });
      transfer.push(buf);
      posted++;
      if (outbox.length >= CHUNKS_PER_POST || pending() < LOW_WATER) flush();
      if (posted - Atomics.load(sync, SYNC_APPENDED) > maxInFlight) waitForDuckDb();
      // (reading the credit port costs ~0.1 ms: only when this table has no buffer to reuse)
      if (pool[t].length === 0) takeCredits(credits);
      return pool[t].pop() ?? null;
    };
  };
  const result = await producer.run(datasetId, {
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

producer.prepare().then((build) => {
  port.postMessage({ type: 'config', build });
  // Eager: build at once (dataset_id 0; the DuckDB thread writes the real id).
  if (eager) void run(0).catch(fail);
}, fail);
