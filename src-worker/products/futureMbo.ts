// future_mbo: one outright futures instrument per build. Its engine is FuturesEngine (book →
// 1-s windows → gold) with, after gold on every closed window, the window writer (snapshot,
// cells, walls/voids, front), the forecast feature row, then the caller's extra steps; Bronze
// is filled from the decoder batches up to the row that ends the session.
import { bronzeFutureMbo } from '../../contracts/tables/bronze';
import { silverFutureBookSnapshot1s, silverFutureCells1s } from '../../contracts/tables/silver';
import { goldFutureFront1s, goldFutureWallsVoids1s } from '../../contracts/tables/gold';
import { goldFutureForecastFeatures1s } from '../../contracts/tables/forecast';
import type { GoldParams } from '../../contracts/params';
import type { MboBatch } from '../dbn/mboBatch';
import type { BookCounters } from '../book/orderBook';
import { stepOf, type WindowStep } from '../fields/windowStep';
import { ForecastFeatureStep } from '../forecast/featureStep';
import { FuturesEngine } from './futureMbo/futuresEngine';
import { BronzeWriter, ForecastFeatureWriter, WindowWriter } from './futureMbo/tableWriters';
import type { BuildConfig, Product, ProductEngine, SinkFor } from './product';

/** Rows are written with dataset_id 0; the DuckDB end of the chunk channel writes the real one. */
const UNSTAMPED = 0;

class FutureMboEngine implements ProductEngine {
  private readonly engine: FuturesEngine;
  private readonly bronze: BronzeWriter;
  private readonly windowRows: WindowWriter;
  private readonly features: ForecastFeatureWriter;

  constructor(
    private readonly build: BuildConfig,
    params: GoldParams,
    sinkFor: SinkFor,
    extraSteps: readonly WindowStep[],
  ) {
    this.bronze = new BronzeWriter(sinkFor, UNSTAMPED);
    this.windowRows = new WindowWriter(sinkFor, UNSTAMPED, build.tickInt);
    this.features = new ForecastFeatureWriter(sinkFor, UNSTAMPED);
    const windows = this.windowRows;
    const features = this.features;
    this.engine = new FuturesEngine(
      {
        instrumentId: build.instrumentId,
        tickInt: build.tickInt,
        sessionStartSec: build.sessionStartSec,
        sessionEndSec: build.sessionEndSec,
        gridHalfWidthTicks: build.gridHalfWidthTicks,
        restThresholdMs: build.restThresholdMs,
        params,
      },
      // After gold: the window's rows, then its forecast feature row (SPEC §4 inputs), then the caller's.
      [stepOf('window_writer', (g) => windows.onWindow(g)), new ForecastFeatureStep((row) => features.write(row)), ...extraSteps],
    );
  }

  get done(): boolean {
    return this.engine.done;
  }
  get events(): number {
    return this.engine.events;
  }
  get windows(): number {
    return this.engine.windows;
  }
  get validWindows(): number {
    return this.engine.validWindows;
  }
  pushBatch(b: MboBatch): number {
    return this.engine.pushBatch(b);
  }
  appendRaw(b: MboBatch, from: number, to: number): void {
    if (this.build.bronze) this.bronze.append(b, from, to, this.build.instrumentId);
  }
  finish(): void {
    if (!this.engine.done) this.engine.finish();
  }
  close(): void {
    this.bronze.close();
    this.windowRows.close();
    this.features.close();
  }
  rows(): Record<string, number> {
    const w = this.windowRows;
    return {
      'bronze.future_mbo.mbo': this.bronze.w.rows,
      'silver.future_mbo.book_snapshot_1s': w.snap.rows,
      // Both are views over cells_1s: one row per cell.
      'silver.future_mbo.depth_and_flow_1s': w.cells.rows,
      'gold.future_mbo.physics_surface_1s': w.cells.rows,
      'gold.future_mbo.walls_voids_1s': w.walls.rows,
      'gold.future_mbo.front_1s': w.front.rows,
      'gold.future_mbo.forecast_features_1s': this.features.w.rows,
    };
  }
  counters(): BookCounters {
    return this.engine.book.counters();
  }
  sinkSeconds(): { windows: number; raw: number } {
    return {
      windows: this.windowRows.writers.reduce((s, w) => s + w.sinkSeconds, 0) + this.features.w.sinkSeconds,
      raw: this.bronze.w.sinkSeconds,
    };
  }
}

export const futureMbo: Product = {
  id: 'future_mbo',
  pipelineVersion: 'futures-1.0.0',
  // Stored tables only (depth_and_flow_1s and physics_surface_1s are views over cells_1s).
  tables: [
    { wireId: 1, decl: bronzeFutureMbo },
    { wireId: 2, decl: silverFutureBookSnapshot1s },
    { wireId: 3, decl: silverFutureCells1s },
    { wireId: 4, decl: goldFutureWallsVoids1s },
    { wireId: 5, decl: goldFutureFront1s },
    { wireId: 6, decl: goldFutureForecastFeatures1s },
  ],
  createEngine: (build, params, sinkFor, extraSteps) => new FutureMboEngine(build, params, sinkFor, extraSteps),
};
