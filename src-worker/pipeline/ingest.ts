// ingestFile: DBN file → Bronze → Silver → Gold → one DuckDB file, as one transaction.
//
// 1. Resolve params; start the producer (decode + book + silver + gold + chunk filling +
//    hashing; in a worker thread when possible, see ingestThreads.ts), which reads the
//    metadata and resolves instrument, tick size and session window (typed IngestErrors).
// 2. Cache: a ready dataset with the same lookup key (source path, size, mtime, resolved config,
//    params, pipeline version) is confirmed by hashing the file (one hash, no decoding) and
//    returned (unless force).
// 3. Otherwise, in one transaction on this thread: the producer's column chunks are appended
//    as they arrive (Bronze as events pass, Silver/Gold as windows close) while it hashes the
//    source bytes in the same pass. At the end the dataset key = hash(source SHA-256, config,
//    params, version): if a ready dataset already has it (the file was copied or touched), the
//    build is rolled back and that dataset is returned (unless force, which replaces it).
//    The catalog row (status 'ready') is inserted last and the transaction commits. Cancel
//    (AbortSignal) or any error on either thread rolls everything back: nothing half-built is
//    ever visible and the file stays usable.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { CATALOG_DATASETS } from '../../contracts/generated/tables';
import { SESSION_DEFAULTS } from '../../contracts/instruments';
import { goldParamsJson, goldParamsOf, resolveParams, ParamsError } from '../../contracts/params';
import { DbnError } from '../dbn/errors';
import { loadNapi } from '../dbn/zstd';
import { ChunkAppender } from '../store/chunkWriter';
import { closeDatabase, deleteDataset, findReadyDataset, findReadyByLookupKey, openDatabase, type Database, type DatasetInfo } from '../store/database';
import { cancelledError, IngestError } from './errors';
import type { IngestOptions, IngestSummary } from './ingestApi';
import { IngestProgressMeter, type IngestStage } from './ingestProgress';
import { translate, type ProducerRequest } from './ingestProducer';
import { resolveThreadMode, startProducer, type ProducerClient } from './ingestThreads';
import { BUILD_TABLES } from './tableWriters';
import { threadCpuSeconds } from './threadCpu';

export const PIPELINE_VERSION = 'futures-1.0.0';

/** SHA-256 of a file (tools and tests; the ingest hashes while it decodes). */
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

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function summaryFromDataset(d: DatasetInfo, cacheHit: boolean): IngestSummary {
  const cfg = d.config as { timeZone?: string; events?: { processed: number; skipped: Record<string, number> } };
  return {
    datasetId: d.datasetId,
    datasetKey: d.datasetKey,
    cacheHit,
    symbol: d.symbol,
    instrumentId: d.instrumentId,
    sessionDate: d.sessionDate,
    timeZone: cfg.timeZone ?? SESSION_DEFAULTS.timeZone,
    sessionStartNs: d.sessionStartNs.toString(),
    sessionEndNs: d.sessionEndNs.toString(),
    tickInt: d.tickInt,
    rows: d.rows,
    events: cfg.events ?? { processed: 0, skipped: {} },
    seconds: cacheHit ? { total: 0 } : d.seconds,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

export async function ingestFile(opts: IngestOptions): Promise<IngestSummary> {
  const t0 = performance.now();
  const signal = opts.signal;
  if (signal?.aborted) throw cancelledError();
  let sourceBytes: number;
  let mtimeMs: number;
  try {
    const st = statSync(opts.file);
    sourceBytes = st.size;
    mtimeMs = st.mtimeMs;
  } catch {
    throw new DbnError('IO', -1, `cannot read ${opts.file}: no such file`, 'check the path');
  }
  let params;
  try {
    params = resolveParams(opts.params ?? {});
  } catch (e) {
    if (e instanceof ParamsError) throw new IngestError('config.bad_params', e.userMessage, e.hint);
    throw e;
  }
  const gridHalfWidthTicks = positiveInt('grid half-width', opts.gridHalfWidthTicks ?? SESSION_DEFAULTS.gridHalfWidthTicks, 10_000);
  const restThresholdMs = positiveInt('rest threshold', opts.restThresholdMs ?? SESSION_DEFAULTS.restThresholdMs, 3_600_000);
  // Only the gold fields are baked into the tables: only they key the dataset (forecast
  // fields are applied at read time and never rebuild).
  const paramsJson = goldParamsJson(params);
  const paramsHash = sha(paramsJson).slice(0, 16);

  // ---- producer: metadata and configuration ----------------------------------------------
  const tStart = performance.now();
  const req: ProducerRequest = {
    file: opts.file,
    sourceBytes,
    symbol: opts.symbol,
    date: opts.date,
    start: opts.start,
    end: opts.end,
    tz: opts.tz,
    tickInt: opts.tickInt,
    bronze: opts.bronze ?? true,
    gridHalfWidthTicks,
    restThresholdMs,
    params,
    liveFrames: opts.liveFrames,
  };
  const threads = resolveThreadMode(opts.threads ?? 'auto');
  const start = (mode: 'worker' | 'inline' | 'auto', r: ProducerRequest = req) =>
    startProducer(r, signal, mode).catch((e) => {
      throw translate(e, signal);
    });
  // The worker starts first and builds at once (eager: thread spawn, module loading, its header
  // read and the first windows overlap this thread's configuration, opening the database, the
  // cache lookup and the start of the transaction); a cache candidate discards it. (An
  // explicit 'worker' must get one; 'auto' falls back to this thread if it cannot start.)
  let discardBoot = new AbortController();
  const bootWorker = (): Promise<ProducerClient> => {
    discardBoot = new AbortController();
    const p = startProducer(req, signal ? AbortSignal.any([signal, discardBoot.signal]) : discardBoot.signal, opts.threads === 'worker' ? 'worker' : 'auto', {
      maxInFlight: opts.maxChunksInFlight,
      eager: true,
    }).catch((e) => {
      throw translate(e, signal);
    });
    p.catch(() => undefined); // (awaited below, or discarded)
    return p;
  };
  let booting: Promise<ProducerClient> | null = threads === 'worker' ? bootWorker() : null;
  /** Stop a worker that will not be used, wherever it is (not waited for). */
  const discard = () => {
    if (!booting) return;
    discardBoot.abort();
    void booting.then((p) => p.close()).catch(() => undefined);
    booting = null;
  };

  // Metadata and configuration on this thread too (a few ms): typed configuration errors are
  // found here (the worker is discarded) and the cache lookup needs the configuration. When the
  // build runs on the worker, this producer only reads the header: zstd on this thread (the
  // decompression thread of the default back end costs ~0.1 s to start).
  const configOnly = threads === 'worker' && !!loadNapi();
  let producer: ProducerClient;
  try {
    producer = await start('inline', configOnly ? { ...req, zstd: 'napi' } : req);
  } catch (e) {
    discard();
    throw e;
  }
  let spent = configOnly;
  const startSec = (performance.now() - tStart) / 1000;
  const config = producer.build;
  const keyOf = (source: string) => sha(JSON.stringify({ source, config, paramsHash, pipeline: PIPELINE_VERSION }));
  const lookupKey = sha(JSON.stringify({ path: resolvePath(opts.file), size: sourceBytes, mtimeMs, config, paramsHash, pipeline: PIPELINE_VERSION }));

  let db: Database | null = null;
  const ownsDb = !opts.db;
  let inTx = false;
  let restoreThreads: (() => Promise<void>) | null = null;
  const tOpen = performance.now();
  let openSec = 0;
  try {
    db = opts.db ?? (await openDatabase(opts.dbPath));
    // ---- cache: lookup key, confirmed by one hash ------------------------------------------
    if (!opts.force) {
      const candidate = await findReadyByLookupKey(db, lookupKey);
      if (candidate) {
        // Most likely a hit: the eager worker would only compete with the hash.
        discard();
        const tHash = performance.now();
        let last = 0;
        const { sha: fileSha } = await producer.hashOnly((pos) => {
          const now = performance.now();
          if (!opts.onProgress || now - last < 250) return;
          last = now;
          const el = (now - tHash) / 1000;
          const f = sourceBytes > 0 ? pos / sourceBytes : 0;
          opts.onProgress({ stage: 'hash', bytesRead: pos, bytesTotal: sourceBytes, events: 0, eventsPerSec: 0, etaSec: f > 0 ? (el * (1 - f)) / f : null, fraction: 0 });
        });
        if (fileSha === candidate.sourceSha256) {
          const s = summaryFromDataset(candidate, true);
          s.seconds = { total: (performance.now() - t0) / 1000, hash: (performance.now() - tHash) / 1000 };
          return s;
        }
        // Same path, size and mtime but other bytes: build (a fresh producer: this one is spent).
        spent = true;
        if (threads === 'worker') booting = bootWorker();
      }
    }
    openSec = (performance.now() - tOpen) / 1000;
    const tWorker = performance.now();
    if (booting) {
      await producer.close();
      producer = await booting;
      booting = null;
      if (JSON.stringify(producer.build) !== JSON.stringify(config)) throw new Error('ingest: the worker resolved another configuration than this thread');
    } else if (spent) {
      await producer.close();
      producer = await start('inline');
    }
    const tBuild = performance.now();

    restoreThreads = await duckDbOnOneThread(db);
    await db.conn.run('BEGIN TRANSACTION');
    inTx = true;
    // Allocate the id before deleting a forced rebuild's predecessor: ids are never reused
    // within a session, so a window that cached the old id cannot mistake the new build for it.
    const idRow = await db.conn.runAndReadAll(`SELECT coalesce(max(dataset_id), 0) + 1 AS id FROM ${CATALOG_DATASETS.name}`);
    const datasetId = Number(idRow.getRowObjects()[0].id);
    const createdAt = new Date().toISOString();
    const appenders: ChunkAppender[] = [];
    for (const decl of BUILD_TABLES) appenders.push(await ChunkAppender.create(db.conn, decl));

    // ---- the build -----------------------------------------------------------------------
    const tLoop = performance.now();
    const cpuLoop = threadCpuSeconds();
    let lastReport = tLoop;
    let reportedEvents = false;
    const meter = new IngestProgressMeter(config, sourceBytes, tLoop);
    const report = (stage: IngestStage, now: number): void => {
      if (opts.onProgress) opts.onProgress(meter.progress(stage, now));
    };
    const result = await producer.run(datasetId, appenders, (p) => {
      const last = meter.observe(p);
      const now = performance.now();
      // Every 250 ms, and at once for the first events (so a window shows them without delay,
      // and a cancel pressed on seeing them always lands before the commit).
      if (now - lastReport > 250 || (!reportedEvents && last.events > 0)) {
        lastReport = now;
        reportedEvents ||= last.events > 0;
        report('ingest', now);
      }
    });
    await producer.close();
    if (signal?.aborted) throw cancelledError();
    const loopSec = (performance.now() - tLoop) / 1000;
    const loopCpu = threadCpuSeconds() - cpuLoop;
    const tClose = performance.now();
    report('close', tClose);
    // (a cancel pressed on seeing a sample still lands before the commit: rolled back)
    if (signal?.aborted) throw cancelledError();
    for (const a of appenders) a.close();
    const closeSec = (performance.now() - tClose) / 1000;
    const appendSec = appenders.reduce((s, a) => s + a.seconds, 0);

    // ---- the same bytes already built (copied / touched file)? ----------------------------
    const datasetKey = keyOf(result.sourceSha256);
    const existing = await findReadyDataset(db, datasetKey);
    if (existing && !opts.force) {
      await db.conn.run('ROLLBACK');
      inTx = false;
      // A touched file keeps its path: remember its new lookup key so the next open is cheap.
      if (existing.sourcePath === opts.file) await db.conn.run(`UPDATE ${CATALOG_DATASETS.name} SET lookup_key = $1 WHERE dataset_id = $2`, [lookupKey, existing.datasetId]);
      const s = summaryFromDataset(existing, true);
      s.seconds = { total: (performance.now() - t0) / 1000, rebuilt_then_rolled_back: loopSec };
      return s;
    }
    if (existing) await deleteDataset(db, existing.datasetId);

    const rows = result.rows;
    const events = result.events;
    const seconds: Record<string, number> = {
      /** Configuration on this thread, then waiting for the worker's (its boot beyond opening the database and the lookup). */
      start: startSec + (tBuild - tWorker) / 1000,
      /** Opening the database and the cache lookup. */
      open: openSec,
      hash: result.seconds.hash,
      decode: result.seconds.decode,
      book_silver_gold: result.seconds.book_silver_gold,
      fill: result.seconds.fill,
      /** The producer's wall time in handing chunks over (inline: appending them; worker: posting, waiting for credits) and in total. */
      handover: result.seconds.handover,
      producer_total: result.seconds.total,
      /** Worker: seconds it waited for the DuckDB thread (backpressure), part of handover. */
      ...(result.seconds.blocked !== undefined ? { worker_blocked: result.seconds.blocked } : {}),
      /** CPU seconds of the producer's thread in the build (Linux; inline: includes the appends). */
      producer_cpu: result.seconds.cpu,
      /** CPU seconds of this (the DuckDB) thread in the build loop (Linux; inline: includes the compute). */
      duckdb_thread_cpu: loopCpu,
      duckdb_write: appendSec,
      // …of which per table (copy + append + close), e.g. write.gold.physics_surface_1s
      ...Object.fromEntries(appenders.map((a) => [`write.${a.decl.stage}.${a.decl.name}`, a.seconds])),
      /** The DuckDB thread's wall time in the build loop beyond its appends (waiting for chunks). */
      duckdb_idle: producer.mode === 'worker' ? Math.max(0, loopSec - appendSec) : 0,
      total: 0,
    };
    const fullConfig = { ...config, params: goldParamsOf(params), events, book: result.book, validWindows: result.validWindows, sourceBytes, threads: producer.mode };
    const insert = `INSERT INTO ${CATALOG_DATASETS.name} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'ready', $17, $18)`;
    const commitStart = performance.now();
    report('commit', commitStart);
    if (signal?.aborted) throw cancelledError();
    seconds.commit = 0;
    seconds.total = (commitStart - t0) / 1000;
    await db.conn.run(insert, [
      datasetId,
      datasetKey,
      opts.file,
      result.sourceSha256,
      BigInt(sourceBytes),
      config.symbol,
      config.instrumentId,
      config.date,
      BigInt(config.sessionStartSec) * 1_000_000_000n,
      BigInt(config.sessionEndSec) * 1_000_000_000n,
      BigInt(config.tickInt),
      JSON.stringify(fullConfig),
      paramsHash,
      PIPELINE_VERSION,
      JSON.stringify(rows),
      JSON.stringify(seconds),
      createdAt,
      lookupKey,
    ] as never);
    await db.conn.run('COMMIT');
    inTx = false;
    // Commit: from the appenders' close to the end of COMMIT, minus the close itself (duckdb_write).
    seconds.commit = (performance.now() - tClose) / 1000 - closeSec;
    seconds.total = (performance.now() - t0) / 1000;
    report('done', performance.now());
    return {
      datasetId,
      datasetKey,
      cacheHit: false,
      symbol: config.symbol,
      instrumentId: config.instrumentId,
      sessionDate: config.date,
      timeZone: config.timeZone,
      sessionStartNs: (BigInt(config.sessionStartSec) * 1_000_000_000n).toString(),
      sessionEndNs: (BigInt(config.sessionEndSec) * 1_000_000_000n).toString(),
      tickInt: config.tickInt,
      rows,
      events,
      seconds,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      threads: producer.mode,
    };
  } catch (e) {
    if (inTx) await db!.conn.run('ROLLBACK').catch(() => undefined);
    throw translate(e, signal);
  } finally {
    await restoreThreads?.().catch(() => undefined);
    await producer.close().catch(() => undefined);
    discard(); // (not used: cache hit, error)
    if (ownsDb && db) await closeDatabase(db).catch(() => undefined);
  }
}

/**
 * DuckDB's task threads (default: one per core) take part in every appender flush; on two
 * cores the second one competes with the ingest worker, and most of its time is scheduling
 * (perf, real ESH4 hour: ~1 CPU-s of a ~5 CPU-s build on DuckDB's second thread, for no gain
 * in the appends' wall time). So the build runs DuckDB on this thread alone; the setting is
 * global to the database, and put back afterwards.
 */
async function duckDbOnOneThread(db: Database): Promise<() => Promise<void>> {
  const r = await db.conn.runAndReadAll(`SELECT current_setting('threads') AS t`);
  const prev = Number(r.getRowObjects()[0].t);
  if (!Number.isInteger(prev) || prev <= 1) return async () => undefined;
  await db.conn.run('SET threads = 1');
  return async () => void (await db.conn.run(`SET threads = ${prev}`));
}

function positiveInt(what: string, v: number, max: number): number {
  if (!Number.isInteger(v) || v < 1 || v > max) throw new IngestError('config.bad_params', `${what} ${v} must be an integer between 1 and ${max}`);
  return v;
}
