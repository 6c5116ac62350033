// Reading a dataset's stored feature rows (gold.future_mbo__forecast_features_1s) back as
// FeatureRows, in window order: the input of the forecast CLI, replay and calibration.
// Columnar: every column comes back as one Float64Array (NULL → NaN), no object per value.
import { GOLD_FUTURE_MBO_FORECAST_FEATURES_1S as TABLE } from '../../contracts/generated/tables';
import { goldFutureForecastFeatures1s } from '../../contracts/tables/forecast';
import { queryColumns, type Database } from '../store/database';
import { emptyFeatureRow, type FeatureRow } from './featureRow';

/** Columns after the fixed head, in the order FeatureRow's arrays and tail fields take them. */
const COLUMNS = goldFutureForecastFeatures1s.columns.map((c) => c.name);

export async function readFeatureRows(db: Database, datasetId: number, range?: { fromSec?: number; toSec?: number }): Promise<FeatureRow[]> {
  const select = COLUMNS.map((n) =>
    n === 'window_end_ts_ns'
      ? `CAST(window_end_ts_ns // 1000000000 AS DOUBLE) AS window_end_s`
      : n === 'dataset_id'
        ? null
        : `coalesce(CAST("${n}" AS DOUBLE), 'NaN'::DOUBLE) AS "${n}"`,
  ).filter((x) => x !== null);
  const where = [`dataset_id = ${Number(datasetId)}`];
  if (range?.fromSec !== undefined) where.push(`window_end_ts_ns > ${BigInt(Math.floor(range.fromSec))}000000000`);
  if (range?.toSec !== undefined) where.push(`window_end_ts_ns <= ${BigInt(Math.floor(range.toSec))}000000000`);
  const { rowCount, columns } = await queryColumns(db, `SELECT ${select.join(', ')} FROM ${TABLE.name} WHERE ${where.join(' AND ')} ORDER BY window_end_ts_ns`);
  const col = (n: string) => {
    const v = columns[n];
    if (!(v instanceof Float64Array)) throw new Error(`forecast features: column ${n} did not come back as doubles`);
    return v;
  };
  const endS = col('window_end_s');
  const valid = col('book_valid');
  const head = ['spot_tick', 'best_bid_tick', 'best_bid_qty', 'best_ask_tick', 'best_ask_qty', 'last_trade_price_int', 'ofi_e'].map(col);
  const rest = COLUMNS.slice(COLUMNS.indexOf('ofi_e') + 1).map(col);
  const rows: FeatureRow[] = new Array(rowCount);
  for (let i = 0; i < rowCount; i++) {
    const r = emptyFeatureRow(endS[i] - 1);
    r.valid = valid[i] === 1;
    r.spotTick = head[0][i];
    r.bestBidTick = head[1][i];
    r.bestBidQty = head[2][i];
    r.bestAskTick = head[3][i];
    r.bestAskQty = head[4][i];
    r.lastTradePriceInt = head[5][i];
    r.ofiE = head[6][i];
    let c = 0;
    for (const arr of [r.f, r.fSlope, r.nu, r.kappaAsym]) for (let j = 0; j < arr.length; j++) arr[j] = rest[c++][i];
    r.waveEnergyNear = rest[c++][i];
    r.wallAboveTicks = rest[c++][i];
    r.wallBelowTicks = rest[c++][i];
    r.voidAboveTicks = rest[c++][i];
    r.voidBelowTicks = rest[c++][i];
    rows[i] = r;
  }
  return rows;
}
