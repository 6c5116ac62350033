// Stage 4 of an ingest, commit: one transaction on this (the DuckDB) thread. The producer's
// column chunks are appended as they arrive through the chunk channel (Bronze as events pass,
// Silver/Gold as windows close; those that came during stages 2–3 first). At the end the dataset
// key = hash(source SHA-256, config, params, version): if a ready dataset already has it (the
// file was copied or touched) the build is rolled back and that dataset returned (unless force,
// which replaces it). The catalog row (status 'ready') is inserted last and the transaction
// commits. Cancel or any error on either thread rolls everything back: nothing half-built is
// ever visible and the database stays usable.
import { CATALOG_DATASETS } from '../../contracts/generated/tables';
import { goldParamsOf } from '../../contracts/params';
import type { TableDecl } from '../../contracts/columns';
import type { BuildConfig, Product } from '../products/product';
import { ChunkAppender } from '../store/chunkWriter';
import { chunkLayout } from '../store/chunkFiller';
import { deleteDataset, findReadyDataset, type Database } from '../store/database';
import { insertRow } from '../store/insertRow';
import { cancelledError } from './errors';
import type { IngestSummary } from './ingestApi';
import type { ChunkChannel, ChunkReceiver } from './ingestChannel';
import type { IngestClock } from './ingestClock';
import { IngestProgressMeter, type IngestStage } from './ingestProgress';
import { keysOf, summaryFromDataset } from './ingestLookup';
import type { IngestPlan } from './ingestPlan';

/** Byte offset of the u32 dataset_id column in a table's chunk (-1: none). */
function datasetIdOffset(decl: TableDecl): number {
  const L = chunkLayout(decl);
  const i = L.columns.findIndex((c) => c.name === 'dataset_id');
  if (i < 0) return -1;
  if (L.width[i] !== 4) throw new Error(`ingest: ${decl.name}.dataset_id is not a 4-byte column`);
  return L.offset[i];
}

/** The DuckDB end of the chunk channel: one appender per table of the product, by wire id. */
export class TableAppenders implements ChunkReceiver {
  private readonly byWire: ({ appender: ChunkAppender; idAt: number } | undefined)[] = [];

  private constructor(
    private readonly datasetId: number,
    readonly all: ChunkAppender[],
  ) {}

  static async create(db: Database, product: Product, datasetId: number): Promise<TableAppenders> {
    const out = new TableAppenders(datasetId, []);
    for (const t of product.tables) {
      const appender = await ChunkAppender.create(db.conn, t.decl);
      out.all.push(appender);
      out.byWire[t.wireId] = { appender, idAt: datasetIdOffset(t.decl) };
    }
    return out;
  }

  append(wireId: number, buf: ArrayBuffer, n: number): void {
    const w = this.byWire[wireId];
    if (!w) throw new Error(`ingest: a chunk for unknown wire id ${wireId}`);
    // The producer wrote dataset_id 0 (it may have built before the id existed).
    if (w.idAt >= 0) new Uint32Array(buf, w.idAt, n).fill(this.datasetId);
    w.appender.append(buf, n);
  }

  close(): void {
    for (const a of this.all) a.close();
  }

  /** Seconds per table (copy + append + close), by `stage.name`. */
  seconds(): Record<string, number> {
    return Object.fromEntries(this.all.map((a) => [`${a.decl.stage}.${a.decl.name}`, a.seconds]));
  }
}

export async function commitBuild(plan: IngestPlan, config: BuildConfig, channel: ChunkChannel, db: Database, clock: IngestClock): Promise<IngestSummary> {
  const { opts, product, sourceBytes } = plan;
  const signal = opts.signal;
  const keys = keysOf(plan, config);
  const restoreThreads = await duckDbOnOneThread(db);
  let inTx = false;
  try {
    await db.conn.run('BEGIN TRANSACTION');
    inTx = true;
    // Allocate the id before deleting a forced rebuild's predecessor: ids are never reused
    // within a session, so a window that cached the old id cannot mistake the new build for it.
    const idRow = await db.conn.runAndReadAll(`SELECT coalesce(max(dataset_id), 0) + 1 AS id FROM ${CATALOG_DATASETS.name}`);
    const datasetId = Number(idRow.getRowObjects()[0].id);
    const createdAt = new Date().toISOString();
    const appenders = await TableAppenders.create(db, product, datasetId);

    // ---- the build loop -------------------------------------------------------------------
    const tLoop = clock.loopStart();
    let lastReport = tLoop;
    let reportedEvents = false;
    const meter = new IngestProgressMeter(config, sourceBytes, tLoop, plan.req.pace);
    const report = (stage: IngestStage, now: number): void => {
      if (opts.onProgress) opts.onProgress(meter.progress(stage, now));
    };
    const result = await channel.drain(appenders, (p) => {
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
    await channel.close();
    if (signal?.aborted) throw cancelledError();
    clock.loopDone();
    report('close', clock.closeStarted());
    // (a cancel pressed on seeing a sample still lands before the commit: rolled back)
    if (signal?.aborted) throw cancelledError();
    appenders.close();
    clock.closeDone();

    // ---- the same bytes already built (copied / touched file)? ----------------------------
    const datasetKey = keys.datasetKey(result.sourceSha256);
    const existing = await findReadyDataset(db, datasetKey);
    if (existing && !opts.force) {
      await db.conn.run('ROLLBACK');
      inTx = false;
      // A touched file keeps its path: remember its new lookup key so the next open is cheap.
      if (existing.sourcePath === opts.file) await db.conn.run(`UPDATE ${CATALOG_DATASETS.name} SET lookup_key = $1 WHERE dataset_id = $2`, [keys.lookupKey, existing.datasetId]);
      return summaryFromDataset(existing, clock.rolledBack());
    }
    if (existing) await deleteDataset(db, existing.datasetId);

    const { rows, events } = result;
    const fullConfig = { ...config, params: goldParamsOf(plan.params), events, book: result.book, validWindows: result.validWindows, sourceBytes, threads: channel.mode };
    report('commit', performance.now());
    if (signal?.aborted) throw cancelledError();
    const seconds = clock.build({ producer: result.seconds, mode: channel.mode, writes: appenders.seconds() });
    // The catalog row goes in last, by column name: its status 'ready' is what makes the dataset
    // visible (store/database.ts), inside the same transaction as every row it describes.
    await insertRow(db.conn, CATALOG_DATASETS, {
      dataset_id: datasetId,
      dataset_key: datasetKey,
      source_path: opts.file,
      source_sha256: result.sourceSha256,
      source_bytes: BigInt(sourceBytes),
      symbol: config.symbol,
      instrument_id: config.instrumentId,
      session_date: config.date,
      session_start_ts_ns: BigInt(config.sessionStartSec) * 1_000_000_000n,
      session_end_ts_ns: BigInt(config.sessionEndSec) * 1_000_000_000n,
      tick_int: BigInt(config.tickInt),
      config_json: JSON.stringify(fullConfig),
      params_hash: plan.paramsHash,
      pipeline_version: product.pipelineVersion,
      rows_json: JSON.stringify(rows),
      timings_json: JSON.stringify(seconds),
      status: 'ready',
      created_at: createdAt,
      lookup_key: keys.lookupKey,
    });
    await db.conn.run('COMMIT');
    inTx = false;
    clock.committed(seconds);
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
      threads: channel.mode,
    };
  } catch (e) {
    if (inTx) await db.conn.run('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    await restoreThreads().catch(() => undefined);
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
