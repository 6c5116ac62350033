// What the window needs to lay out a session (time range, price range, tick), read once from
// the catalog and the snapshot table when a dataset becomes ready.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SessionInfo } from '../../contracts/protocol';
import { SILVER_FUTURE_MBO_BOOK_SNAPSHOT_1S, CATALOG_DATASETS } from '../../contracts/generated/tables';
import { exclusive, sqlInt } from './duckColumns';
import { SESSION_DEFAULTS } from '../../contracts/instruments';
import { gridLayout, type GridLayout } from './gridLayout';

/** SessionInfo plus the exact integers the engine computes with. */
export interface ReplaySession {
  info: SessionInfo;
  datasetId: number;
  tickInt: bigint;
  firstWindowEndNs: bigint;
  windowCount: number;
  /** The build's grid: its half-width (config_json gridHalfWidthTicks) sizes every frame and slab. */
  layout: GridLayout;
}

export class SessionDataError extends Error {
  constructor(
    readonly userMessage: string,
    readonly hint: string,
  ) {
    super(userMessage);
    this.name = 'SessionDataError';
  }
}

const big = (v: unknown): bigint => (typeof v === 'bigint' ? v : BigInt(v as number));

export async function loadReplaySession(
  conn: DuckDBConnection,
  datasetId: number,
  extra: { timeZone?: string; isDemo: boolean },
): Promise<ReplaySession> {
  const cat = await exclusive(conn, () => conn.runAndReadAll(
    `SELECT symbol, source_path, tick_int, config_json FROM ${CATALOG_DATASETS.name} WHERE dataset_id = ${sqlInt(datasetId)}`,
  ));
  const catRow = cat.getRowObjects()[0];
  if (!catRow) throw new SessionDataError(`dataset ${datasetId} is not in the catalog`, 'ingest the file again');
  const snaps = await exclusive(conn, () => conn.runAndReadAll(
    `SELECT min(window_end_ts_ns) AS first_end, max(window_end_ts_ns) AS last_end, count(*) AS n,
            min(spot_ref_price_int) AS spot_min, max(spot_ref_price_int) AS spot_max
       FROM ${SILVER_FUTURE_MBO_BOOK_SNAPSHOT_1S.name} WHERE dataset_id = ${sqlInt(datasetId)}`,
  ));
  const s = snaps.getRowObjects()[0];
  if (!s || s.first_end === null || Number(s.n) === 0) {
    throw new SessionDataError('the session window of this file holds no data', 'choose a session time range the file covers (File ▸ Open with a start and end time)');
  }
  const tickInt = big(catRow.tick_int);
  const firstEnd = big(s.first_end);
  const lastEnd = big(s.last_end);
  const windowCount = Number((lastEnd - firstEnd) / 1_000_000_000n) + 1;
  let cfg: Record<string, unknown> = {};
  try {
    cfg = JSON.parse(String(catRow.config_json)) as Record<string, unknown>;
  } catch {
    /* a config that does not parse: the defaults below */
  }
  const halfWidth = typeof cfg.gridHalfWidthTicks === 'number' ? cfg.gridHalfWidthTicks : SESSION_DEFAULTS.gridHalfWidthTicks;
  const layout = gridLayout(halfWidth);
  const half = BigInt(halfWidth) * tickInt;
  // A session whose book is never valid has no spot: the price range is empty (0…0).
  const spotMin = s.spot_min === null ? 0n : big(s.spot_min);
  const spotMax = s.spot_max === null ? 0n : big(s.spot_max);
  let timeZone = extra.timeZone;
  if (!timeZone) timeZone = typeof cfg.tz === 'string' ? cfg.tz : typeof cfg.timeZone === 'string' ? cfg.timeZone : undefined;
  return {
    datasetId,
    tickInt,
    firstWindowEndNs: firstEnd,
    windowCount,
    layout,
    info: {
      datasetId,
      sourcePath: String(catRow.source_path),
      symbol: String(catRow.symbol),
      timeZone: timeZone ?? 'America/New_York',
      firstWindowEndNs: firstEnd.toString(),
      lastWindowEndNs: lastEnd.toString(),
      windowCount,
      tickInt: Number(tickInt),
      priceMinInt: (s.spot_min === null ? 0n : spotMin - half).toString(),
      priceMaxInt: (s.spot_max === null ? 0n : spotMax + half).toString(),
      gridHalfWidthTicks: halfWidth,
      isDemo: extra.isDemo,
      growing: false,
    },
  };
}
