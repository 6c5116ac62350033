// The chunk channel: the one seam between an ingest's compute half (IngestProducer: decode →
// the product's engine → full column chunks) and its DuckDB half (appending them). Two
// implementations behind one interface; the stages (ingest.ts) do not care which one they got:
//   InlineChannel — the producer runs on this (the DuckDB) thread, each full chunk is appended
//     on the spot;
//   WorkerChannel (ingestThreads.ts) — the producer runs in the ingest worker on the other core,
//     full chunks are transferred (zero-copy) and appended here, with Atomics backpressure.
// Either way the producer starts building as soon as it has the configuration (`start`), and
// chunks carry dataset_id 0 and their table's wire id: the DuckDB end (`ChunkReceiver`) writes
// the real id and picks the appender.
import { availableParallelism } from 'node:os';
import type { TableDecl } from '../../contracts/columns';
import type { BuildConfig, Product } from '../products/product';
import { wireIdOf } from '../products/product';
import { productById } from '../products/registry';
import { IngestProducer, type ProducerRequest, type ProducerResult, type ProgressSample } from './ingestProducer';

/** The DuckDB end of the channel. */
export interface ChunkReceiver {
  /** Append a full chunk of `n` rows of the table with wire id `wireId` (dataset_id still 0). */
  append(wireId: number, buf: ArrayBuffer, n: number): void;
}

export interface ChunkChannel {
  readonly mode: 'worker' | 'inline';
  /** Hand over the resolved configuration: the producer builds from now on (before `drain`, if it can). */
  start(build: BuildConfig): void;
  /** Append every chunk to `into` (those that came early first) until the producer is done. */
  drain(into: ChunkReceiver, onProgress: (p: ProgressSample) => void): Promise<ProducerResult>;
  /** Stop the producer wherever it is (idempotent, never throws). */
  close(): Promise<void>;
}

export type ThreadMode = 'auto' | 'worker' | 'inline';

/**
 * 'auto' uses the worker whenever there is a second core, whatever the file size (its boot,
 * ~0.1 s from the built bundle, overlaps the header read, opening the database and the lookup;
 * chunks flow as they are sealed).
 */
export function resolveThreadMode(mode: ThreadMode, cores = availableParallelism()): 'worker' | 'inline' {
  if (mode !== 'auto') return mode;
  return cores >= 2 ? 'worker' : 'inline';
}

/** The producer on this thread: the same producer that read the header goes on to build. */
export class InlineChannel implements ChunkChannel {
  readonly mode = 'inline' as const;
  private build: BuildConfig | null = null;
  private readonly product: Product;

  constructor(
    private readonly producer: IngestProducer,
    req: ProducerRequest,
  ) {
    this.product = productById(req.product);
  }

  start(build: BuildConfig): void {
    this.build = build;
  }

  drain(into: ChunkReceiver, onProgress: (p: ProgressSample) => void): Promise<ProducerResult> {
    if (!this.build) throw new Error('InlineChannel.drain before start');
    const product = this.product;
    return this.producer.run(this.build, {
      sinkFor: (decl: TableDecl) => {
        const id = wireIdOf(product, decl);
        return (buf, n) => {
          into.append(id, buf, n);
          return buf;
        };
      },
      afterBatch: onProgress,
    });
  }

  close(): Promise<void> {
    return this.producer.close();
  }
}
