// A stored dataset's forecasts: resolve the dataset, read its feature rows, run every family
// with the given parameters (no book or gold re-run), and the evaluation report the CLI's
// `forecast --json` prints (also used by bench/forecastTable.ts).
import { FORECAST_FAMILIES, type ForecastFamily } from '../../contracts/forecast';
import type { ParamsFile } from '../../contracts/params';
import { listDatasets, type Database, type DatasetInfo } from '../store/database';
import { ForecastEvaluator, type Evaluation } from './evaluate';
import type { FeatureRow } from './featureRow';
import { readFeatureRows } from './featureRows';
import { forEachForecast } from './runner';

export class ForecastDataError extends Error {
  readonly code = 'forecast.no_data';
  constructor(
    readonly userMessage: string,
    readonly hint: string,
  ) {
    super(userMessage);
    this.name = 'ForecastDataError';
  }
}

/** The dataset with that id, or the newest ready one. */
export async function resolveDataset(db: Database, datasetId?: number): Promise<DatasetInfo> {
  const all = await listDatasets(db);
  if (all.length === 0) throw new ForecastDataError('the database has no ready dataset', 'ingest a file first: npm run cli -- ingest FILE --db DB');
  if (datasetId === undefined) return all[0];
  const d = all.find((x) => x.datasetId === datasetId);
  if (!d) throw new ForecastDataError(`no ready dataset ${datasetId}`, `datasets in this database: ${all.map((x) => `${x.datasetId} (${x.symbol} ${x.sessionDate})`).join(', ')}`);
  return d;
}

export async function datasetFeatureRows(db: Database, d: DatasetInfo): Promise<FeatureRow[]> {
  let rows: FeatureRow[];
  try {
    rows = await readFeatureRows(db, d.datasetId);
  } catch (e) {
    if ((e as { code?: string }).code === 'store.query_failed') rows = [];
    else throw e;
  }
  if (rows.length === 0)
    throw new ForecastDataError(`dataset ${d.datasetId} has no forecast feature rows (it was built before they existed)`, 're-ingest the file with --force to add them');
  return rows;
}

export interface ForecastReport {
  dataset_id: number;
  params: ParamsFile;
  families: Evaluation;
}

export type EvalTarget = 'spot' | 'mid';

/** Mid tick ((best bid + best ask) / 2) of every valid window. */
export function midTicks(rows: readonly FeatureRow[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const r of rows) if (r.valid) m.set(r.windowSec, (r.bestBidTick + r.bestAskTick) / 2);
  return m;
}

/** Run every family over the rows and evaluate against spot moves (default) or mid moves. */
export function forecastReport(
  datasetId: number,
  params: ParamsFile,
  rows: readonly FeatureRow[],
  families: readonly ForecastFamily[] = FORECAST_FAMILIES,
  target: EvalTarget = 'spot',
): ForecastReport {
  const ev = new ForecastEvaluator(undefined, families);
  let i = 0;
  forEachForecast(rows, params, (b) => {
    const r = rows[i++];
    ev.addBlock(b, target === 'mid' ? (r.valid ? (r.bestBidTick + r.bestAskTick) / 2 : NaN) : b.spotTick);
  });
  return { dataset_id: datasetId, params, families: ev.result() };
}

/** Everything at once: the dataset, its rows and the report. */
export async function datasetForecasts(db: Database, params: ParamsFile, datasetId?: number, target: EvalTarget = 'spot'): Promise<{ dataset: DatasetInfo; rows: FeatureRow[]; report: ForecastReport }> {
  const dataset = await resolveDataset(db, datasetId);
  const rows = await datasetFeatureRows(db, dataset);
  return { dataset, rows, report: forecastReport(dataset.datasetId, params, rows, FORECAST_FAMILIES, target) };
}
