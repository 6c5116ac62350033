// Wires the engine host to the real pipeline, the DuckDB store and the embedded demo.
// Both process entries (browser-mode child, Electron utility process) call this.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { ingestFile } from '../pipeline/ingest';
import type { Alert } from '../../contracts/protocol';
import { closeDatabase, openDatabase, queryColumnsSettled, StoreError, type Database } from '../store/database';
import { closeLane } from '../replay/duckColumns';
import { defaultDbPath } from './cacheDir';
import { paramsFromEnv } from '../forecast/paramsFile';
import { prepareDemo } from './demo';
import { forecastModel } from './forecastModel';
import type { ForecastModel } from '../replay/forecastStore';
import { assertDbLocationWritable } from './storeLocation';
import { EngineHost, type EngineDeps, type EngineStore } from './engineHost';
import type { EngineProcessConfig } from './entryConfig';

/**
 * The workstation's own database (the default one in the cache folder) holds only what it can
 * rebuild: when it was written by another version of Spymaster, it is moved aside (kept, not
 * deleted) and a new one is started, and the window is told. A database the user named stays
 * an error (StoreError 'store.schema_mismatch').
 */
async function openOrRenew(dbPath: string, renewable: boolean): Promise<{ db: Database; notice?: Alert }> {
  try {
    return { db: await openDatabase(dbPath) };
  } catch (e) {
    if (!renewable || !(e instanceof StoreError) || e.code !== 'store.schema_mismatch' || !existsSync(dbPath)) throw e;
    const kept = `${dbPath}.older-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(dbPath, kept);
    if (existsSync(`${dbPath}.wal`)) renameSync(`${dbPath}.wal`, `${kept}.wal`);
    const notice: Alert = {
      severity: 'info',
      code: 'store.renewed',
      message: 'The workstation database was written by another version of Spymaster; a new one was started and files will be ingested again.',
      hint: `the old database is kept at ${kept}`,
    };
    return { db: await openDatabase(dbPath), notice };
  }
}

/** One read-write database per engine process; replay reads on a second connection of the same instance. */
export async function openEngineStore(dbPath: string, opts: { renewable?: boolean } = {}): Promise<EngineStore> {
  assertDbLocationWritable(dbPath); // a read-only location: a clear error, nothing touched
  const { db, notice } = await openOrRenew(dbPath, opts.renewable ?? false);
  const conn = await db.instance.connect();
  const historyConn = await db.instance.connect();
  // The forecasts read committed feature rows on a connection of their own: on the ingest's
  // connection they would read inside a running build's transaction (a forced rebuild has
  // deleted the rows it replaces there).
  const forecastConn = await db.instance.connect();
  return {
    conn,
    historyConn,
    db,
    forecastDb: { ...db, conn: forecastConn },
    notice,
    async close() {
      // No connection closes under a query in flight (DuckDB would crash the process).
      await Promise.all([closeLane(conn), closeLane(historyConn), queryColumnsSettled(forecastConn)]);
      conn.closeSync();
      historyConn.closeSync();
      forecastConn.closeSync();
      await closeDatabase(db);
    },
  };
}

export function engineDeps(cacheDir: string): EngineDeps {
  return {
    // The parameter file the launcher handed over (serve --params/--set): gold fields shape the build.
    ingest: (o) => ingestFile({ params: paramsFromEnv(), ...o }),
    openStore: (dbPath) => openEngineStore(dbPath, { renewable: dbPath === defaultDbPath(cacheDir) }),
    prepareDemo: (onProgress, signal) => prepareDemo(cacheDir, onProgress, signal),
    forecast: (store) => {
      const db = store.forecastDb ?? store.db;
      if (!db) throw new Error('the engine store has no database handle for the forecast');
      return forecastModel(db, paramsFromEnv()) as ForecastModel;
    },
  };
}

export function createEngine(config: EngineProcessConfig, send: (bytes: Uint8Array) => void): EngineHost {
  mkdirSync(config.cacheDir, { recursive: true });
  return new EngineHost({ send, dbPath: config.dbPath, initial: config.initial, deps: engineDeps(config.cacheDir) });
}
