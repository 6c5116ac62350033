// A product is what a build computes from one MBO file: its tables (declared in contracts/),
// its engine (books + 1-s windows + the per-window steps that fill those tables) and the
// version of that pipeline (part of every dataset key). The ingest wing (pipeline/ingest*.ts)
// knows none of this: it resolves a BuildConfig, asks the product for an engine, and moves
// the engine's column chunks to DuckDB by each table's declared wire id.
//
// Today one product builds: future_mbo (futureMbo.ts). future_option_mbo declares its tables
// only (futureOptionMbo.ts): its engine — thousands of thin books behind book/'s depth
// interface — comes with the option books.
import type { Product as ProductName, TableDecl } from '../../contracts/columns';
import type { GoldParams } from '../../contracts/params';
import type { MboBatch } from '../dbn/mboBatch';
import type { ChunkSink } from '../store/chunkFiller';
import type { WindowStep } from '../fields/windowStep';

/** The product names of contracts/ (a table's `product`). */
export type ProductId = ProductName;

/** A table a product's build writes, with the id its chunks carry between threads. */
export interface ProductTable {
  /**
   * Wire id: small, fixed per product, never reused for another table (the worker's chunk
   * messages and the DuckDB thread's appenders are keyed by it, not by a list position).
   */
  readonly wireId: number;
  readonly decl: TableDecl;
}

/** The resolved configuration of a build (part of the dataset key, stored in config_json). */
export interface BuildConfig {
  symbol: string;
  instrumentId: number;
  tickInt: number;
  date: string;
  timeZone: string;
  tz: string;
  start: string;
  end: string;
  sessionStartSec: number;
  sessionEndSec: number;
  windowSeconds: number;
  gridHalfWidthTicks: number;
  restThresholdMs: number;
  bronze: boolean;
}

/** The sink for a table's full chunks (the ingest's chunk channel provides one per table). */
export type SinkFor = (decl: TableDecl) => ChunkSink;

/**
 * One build's engine: fed decoder batches in file order, it fills every table of its product
 * through `sinkFor`. Rows carry dataset_id 0: the DuckDB end of the chunk channel writes the
 * real id (the build may start before the id exists).
 */
export interface ProductEngine {
  /** The session is over: no later batch belongs to the build. */
  readonly done: boolean;
  /** Events of the build's instrument(s) applied so far. */
  readonly events: number;
  readonly windows: number;
  readonly validWindows: number;
  /** Books, windows and their steps over rows [0, count); returns the first row not consumed. */
  pushBatch(b: MboBatch): number;
  /** Bronze: the build's raw rows among [from, to) of the batch (after pushBatch returned `to`). */
  appendRaw(b: MboBatch, from: number, to: number): void;
  /** End of input: close the open window. */
  finish(): void;
  /** Flush every table's last partial chunk. */
  close(): void;
  /** Rows written per table, by the summary's names (stage.product.name). */
  rows(): Record<string, number>;
  /** Book counters (stored in config_json.book); `skipped` per action goes to the summary. */
  counters(): { skipped: Record<string, number> };
  /**
   * Seconds spent inside the sinks (handing chunks over), from the window steps and from
   * appendRaw: the ingest's clock moves them from compute to hand-over.
   */
  sinkSeconds(): { windows: number; raw: number };
}

/**
 * Build an engine. `extraSteps` run after the product's own steps on every closed window
 * (e.g. a live frame tap for progressive display).
 */
export type EngineFactory = (build: BuildConfig, params: GoldParams, sinkFor: SinkFor, extraSteps: readonly WindowStep[]) => ProductEngine;

export interface Product {
  readonly id: ProductId;
  /** Part of every dataset key: bump it when the product's stored values change. */
  readonly pipelineVersion: string;
  readonly tables: readonly ProductTable[];
  /** Null while the product is declared but not built yet. */
  readonly createEngine: EngineFactory | null;
}

/** The table of `p` with wire id `wireId` (a chunk from another thread names it so). */
export function tableByWireId(p: Product, wireId: number): ProductTable {
  const t = p.tables.find((x) => x.wireId === wireId);
  if (!t) throw new Error(`${p.id}: no table with wire id ${wireId}`);
  return t;
}

/** The wire id of a table `p` writes. */
export function wireIdOf(p: Product, decl: TableDecl): number {
  const t = p.tables.find((x) => x.decl === decl);
  if (!t) throw new Error(`${p.id}: ${decl.stage}.${decl.name} is not one of its tables`);
  return t.wireId;
}
