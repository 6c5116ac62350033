// Stage 2 of an ingest, spawn: start the producer and resolve the build's configuration, once.
// The worker is started first and reads the header on its own (its boot, ~0.1 s from the built
// bundle, overlaps this thread's work); this thread reads the header too (a few ms) and resolves
// instrument, tick and session — typed configuration errors surface here, before any database
// work, and stop the worker — then hands the configuration to the producer, which builds at once:
// the build overlaps opening the database, the cache lookup and BEGIN (stages 3–4).
import { loadNapi } from '../dbn/zstd';
import type { BuildConfig } from '../products/product';
import { InlineChannel, type ChunkChannel } from './ingestChannel';
import type { IngestPlan } from './ingestPlan';
import { IngestProducer, resolveBuild, translate } from './ingestProducer';
import { spawnWorkerChannel } from './ingestThreads';

export interface Spawned {
  build: BuildConfig;
  channel: ChunkChannel;
}

export async function spawnProducer(plan: IngestPlan): Promise<Spawned> {
  const signal = plan.opts.signal;
  const worker = plan.threads === 'worker' ? spawnWorkerChannel(plan.req, plan.workerMode, plan.maxInFlight, signal) : null;
  // With a worker this reader only reads the header: zstd on this thread (the default back end's
  // decompression thread costs ~0.1 s to start). Inline, it goes on to build.
  const reader = new IngestProducer(worker && loadNapi() ? { ...plan.req, zstd: 'napi' } : plan.req, signal);
  try {
    const build = resolveBuild(plan.req, await reader.open());
    if (worker) await reader.close();
    const channel = worker ?? new InlineChannel(reader, plan.req);
    channel.start(build);
    return { build, channel };
  } catch (e) {
    await reader.close();
    await worker?.close();
    throw translate(e, signal);
  }
}

/**
 * The producer again for a build whose configuration is known (a cache candidate stopped the
 * first one and turned out not to be a hit).
 */
export async function respawnProducer(plan: IngestPlan, build: BuildConfig): Promise<ChunkChannel> {
  const signal = plan.opts.signal;
  const worker = plan.threads === 'worker' ? spawnWorkerChannel(plan.req, plan.workerMode, plan.maxInFlight, signal) : null;
  if (worker) {
    worker.start(build);
    return worker;
  }
  const reader = new IngestProducer(plan.req, signal);
  try {
    await reader.open();
  } catch (e) {
    await reader.close();
    throw translate(e, signal);
  }
  const inline = new InlineChannel(reader, plan.req);
  inline.start(build);
  return inline;
}
