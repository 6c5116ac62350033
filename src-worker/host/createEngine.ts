// Wires the engine host to the real pipeline, the DuckDB store and the embedded demo.
// Both process entries (browser-mode child, Electron utility process) call this.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { IngestOptions, IngestSummary } from '../pipeline/ingestApi';
import { prepareDemo } from './demo';
import { EngineHost, type EngineDeps, type ReadConnection } from './engineHost';
import type { EngineProcessConfig } from './entryConfig';

async function runIngest(opts: IngestOptions): Promise<IngestSummary> {
  mkdirSync(dirname(opts.dbPath), { recursive: true });
  const spec = '../pipeline/ingest';
  const mod = (await import(/* @vite-ignore */ spec)) as { ingestFile(o: IngestOptions): Promise<IngestSummary> };
  return mod.ingestFile(opts);
}

export async function openReader(dbPath: string): Promise<ReadConnection> {
  const instance = await DuckDBInstance.create(dbPath);
  const conn = await instance.connect();
  return {
    conn,
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

export function engineDeps(cacheDir: string): EngineDeps {
  return {
    ingest: runIngest,
    openReader,
    prepareDemo: (onProgress, signal) => prepareDemo(cacheDir, onProgress, signal),
  };
}

export function createEngine(config: EngineProcessConfig, send: (bytes: Uint8Array) => void): EngineHost {
  mkdirSync(config.cacheDir, { recursive: true });
  return new EngineHost({ send, dbPath: config.dbPath, initial: config.initial, deps: engineDeps(config.cacheDir) });
}
