// Worker-thread entry of an ingest (started by ingestThreads.ts): decode + FuturesEngine +
// chunk filling + hashing run here, on one core, while the thread that owns the DuckDB
// connection appends the chunks on the other. Full chunks are transferred (no copy) in one
// message per decoder batch; the DuckDB thread hands each buffer back once appended (credits)
// and this thread waits when too many are in flight (bounded memory, backpressure).
//
// Protocol (all messages are plain objects with a `type`):
//   worker → main  config {build} | error {error} | hash_progress {pos} | hashed {sha, seconds}
//                  chunks {list: [{t, buf, n}], progress} | done {result}
//   main → worker  hash | run {datasetId} | credits {list: [{t, buf}]} | stop
import { parentPort, workerData } from 'node:worker_threads';
import { loadNapi } from '../dbn/zstd';
import { IngestProducer, type ProducerRequest, type ProgressSample } from './ingestProducer';
import { BUILD_TABLES } from './tableWriters';
import { serializeError, MAX_CHUNKS_IN_FLIGHT, type ChunkMsg, type MainToWorker } from './ingestThreads';

const port = parentPort!;
const req = (workerData as { req: ProducerRequest }).req;
// Decompress here, on this thread: a separate zstd thread would be a third busy thread on two
// cores (the DuckDB thread is the other one).
if (!req.zstd && loadNapi()) req.zstd = 'napi';
const abort = new AbortController();
const producer = new IngestProducer(req, abort.signal);

// Returned buffers per table, reused for the next chunks.
const pool: ArrayBuffer[][] = BUILD_TABLES.map(() => []);
let inFlight = 0;
let wake: (() => void) | null = null;
let outbox: ChunkMsg[] = [];
let transfer: ArrayBuffer[] = [];
let lastPost = 0;

const fail = (e: unknown) => port.postMessage({ type: 'error', error: serializeError(e) });

port.on('message', (m: MainToWorker) => {
  switch (m.type) {
    case 'credits':
      for (const c of m.list) pool[c.t].push(c.buf);
      inFlight -= m.list.length;
      if (wake) {
        const w = wake;
        wake = null;
        w();
      }
      break;
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

async function run(datasetId: number): Promise<void> {
  const sinkFor = (decl: (typeof BUILD_TABLES)[number]) => {
    const t = BUILD_TABLES.indexOf(decl);
    if (t < 0) throw new Error(`ingest worker: no table index for ${decl.name}`);
    return (buf: ArrayBuffer, n: number): ArrayBuffer | null => {
      outbox.push({ t, buf, n });
      transfer.push(buf);
      inFlight++;
      return pool[t].pop() ?? null;
    };
  };
  const post = (progress: ProgressSample) => {
    port.postMessage({ type: 'chunks', list: outbox, progress }, transfer);
    outbox = [];
    transfer = [];
    lastPost = performance.now();
  };
  const result = await producer.run(datasetId, {
    sinkFor,
    afterBatch(p) {
      if (outbox.length > 0 || performance.now() - lastPost > 100) post(p);
      if (inFlight <= MAX_CHUNKS_IN_FLIGHT) return;
      // Backpressure: wait until the DuckDB thread has caught up to half the limit.
      return (async () => {
        while (inFlight > MAX_CHUNKS_IN_FLIGHT / 2) {
          if (abort.signal.aborted) return;
          await new Promise<void>((r) => (wake = r));
        }
      })();
    },
  });
  if (outbox.length > 0) post({ bytesRead: req.sourceBytes, events: result.events.processed, firstSec: NaN, curSec: NaN });
  port.postMessage({ type: 'done', result });
}

producer.prepare().then((build) => port.postMessage({ type: 'config', build }), fail);
