// Stage 3 of an ingest, lookup: open the database and look for a ready dataset with the same
// lookup key — (absolute path, size, mtime, resolved config, params, pipeline version). A
// candidate is confirmed by hashing the file (one hash, no decoding): a hit ends the ingest.
// The eager worker is stopped for the hash (it would only compete with it) and started again
// when the bytes turn out to differ. The dataset key itself (source SHA-256, config, params,
// version) is known only at the end of the build (stage 4).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { SESSION_DEFAULTS } from '../../contracts/instruments';
import type { BuildConfig } from '../products/product';
import { findReadyByLookupKey, openDatabase, type Database, type DatasetInfo } from '../store/database';
import { cancelledError } from './errors';
import type { IngestSummary } from './ingestApi';
import type { ChunkChannel } from './ingestChannel';
import type { IngestClock } from './ingestClock';
import { sha256Hex, type IngestPlan } from './ingestPlan';
import { respawnProducer } from './ingestSpawn';

/** SHA-256 of a file: the one way to confirm a cache candidate (and a tool for tests). */
export async function sha256File(path: string, signal?: AbortSignal, onBytes?: (read: number) => void): Promise<string> {
  const h = createHash('sha256');
  let read = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    if (signal?.aborted) throw cancelledError();
    h.update(chunk as Buffer);
    read += (chunk as Buffer).length;
    onBytes?.(read);
  }
  return h.digest('hex');
}

/** The two keys of a build: by where the file is (lookup), by what it holds (dataset). */
export function keysOf(plan: IngestPlan, config: BuildConfig) {
  const pipeline = plan.product.pipelineVersion;
  const { paramsHash } = plan;
  return {
    lookupKey: sha256Hex(JSON.stringify({ path: resolvePath(plan.opts.file), size: plan.sourceBytes, mtimeMs: plan.mtimeMs, config, paramsHash, pipeline })),
    datasetKey: (source: string) => sha256Hex(JSON.stringify({ source, config, paramsHash, pipeline })),
  };
}

export function summaryFromDataset(d: DatasetInfo, seconds: Record<string, number>): IngestSummary {
  const cfg = d.config as { timeZone?: string; events?: { processed: number; skipped: Record<string, number> } };
  return {
    datasetId: d.datasetId,
    datasetKey: d.datasetKey,
    cacheHit: true,
    symbol: d.symbol,
    instrumentId: d.instrumentId,
    sessionDate: d.sessionDate,
    timeZone: cfg.timeZone ?? SESSION_DEFAULTS.timeZone,
    sessionStartNs: d.sessionStartNs.toString(),
    sessionEndNs: d.sessionEndNs.toString(),
    tickInt: d.tickInt,
    rows: d.rows,
    events: cfg.events ?? { processed: 0, skipped: {} },
    seconds,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

/** What the lookup stage holds for the stages after it (the driver closes them). */
export interface Held {
  db: Database | null;
  channel: ChunkChannel | null;
}

export type Lookup = { kind: 'hit'; summary: IngestSummary } | { kind: 'miss' };

export async function lookupCache(plan: IngestPlan, build: BuildConfig, held: Held, clock: IngestClock): Promise<Lookup> {
  const { opts, sourceBytes } = plan;
  const db = (held.db = opts.db ?? (await openDatabase(opts.dbPath)));
  if (opts.force) return { kind: 'miss' };
  const candidate = await findReadyByLookupKey(db, keysOf(plan, build).lookupKey);
  if (!candidate) return { kind: 'miss' };
  // Most likely a hit: the eager worker would only compete with the hash.
  const wasWorker = held.channel?.mode === 'worker';
  if (wasWorker) {
    await held.channel!.close();
    held.channel = null;
  }
  const tHash = performance.now();
  let last = 0;
  const fileSha = await sha256File(opts.file, opts.signal, (pos) => {
    const now = performance.now();
    if (!opts.onProgress || now - last < 250) return;
    last = now;
    const el = (now - tHash) / 1000;
    const f = sourceBytes > 0 ? pos / sourceBytes : 0;
    opts.onProgress({ stage: 'hash', bytesRead: pos, bytesTotal: sourceBytes, events: 0, eventsPerSec: 0, etaSec: f > 0 ? (el * (1 - f)) / f : null, fraction: 0 });
  });
  if (fileSha === candidate.sourceSha256) return { kind: 'hit', summary: summaryFromDataset(candidate, clock.hit((performance.now() - tHash) / 1000)) };
  // Same path, size and mtime but other bytes: build.
  if (wasWorker) held.channel = await respawnProducer(plan, build);
  return { kind: 'miss' };
}
