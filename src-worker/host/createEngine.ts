// Wires the engine host to the real pipeline, the DuckDB store and the embedded demo.
// Both process entries (browser-mode child, Electron utility process) call this.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ingestFile } from '../pipeline/ingest';
import { closeDatabase, openDatabase } from '../store/database';
import { prepareDemo } from './demo';
import { EngineHost, type EngineDeps, type EngineStore } from './engineHost';
import type { EngineProcessConfig } from './entryConfig';

/** One read-write database per engine process; replay reads on a second connection of the same instance. */
export async function openEngineStore(dbPath: string): Promise<EngineStore> {
  if (dbPath !== ':memory:') mkdirSync(dirname(dbPath), { recursive: true });
  const db = await openDatabase(dbPath);
  const conn = await db.instance.connect();
  const historyConn = await db.instance.connect();
  return {
    conn,
    historyConn,
    db,
    async close() {
      conn.closeSync();
      historyConn.closeSync();
      await closeDatabase(db);
    },
  };
}

export function engineDeps(cacheDir: string): EngineDeps {
  return {
    ingest: ingestFile,
    openStore: openEngineStore,
    prepareDemo: (onProgress, signal) => prepareDemo(cacheDir, onProgress, signal),
  };
}

export function createEngine(config: EngineProcessConfig, send: (bytes: Uint8Array) => void): EngineHost {
  mkdirSync(config.cacheDir, { recursive: true });
  return new EngineHost({ send, dbPath: config.dbPath, initial: config.initial, deps: engineDeps(config.cacheDir) });
}
