// `forecast --db DB [--dataset ID] [--params FILE] [--set k=v …] [--family NAME|all] (--csv | --json)`:
// the forecasts of every window of a stored dataset (from its feature rows: no book or gold
// re-run), streamed as CSV, or their evaluation per family and horizon as one JSON object.
import { once } from 'node:events';
import { FORECAST_FAMILIES, type ForecastFamily } from '../../../contracts/forecast';
import { closeDatabase, openDatabase } from '../../store/database';
import { datasetFeatureRows, forecastReport, resolveDataset } from '../../forecast/datasetForecasts';
import { runForecasts } from '../../forecast/runner';
import type { WindowForecast } from '../../forecast/types';
import { CliError, parseArgs } from '../cliError';
import { PARAMS_HELP, paramsFromArgs } from '../paramsArgs';

export const CSV_HEADER = 'window_end_ts_ns,family,horizon_s,spot_tick,predicted_tick,predicted_price,direction,confidence,band_lo_tick,band_hi_tick';

export const help = `usage: npm run cli -- forecast --db DB [--dataset ID] [--params FILE] [--set name=value …] [--family NAME|all] (--csv | --json)
  --db DB            a Spymaster database with an ingested dataset
  --dataset ID       dataset id (default: the newest ready dataset)
${PARAMS_HELP}  --family NAME      ${FORECAST_FAMILIES.join(', ')} or all (default all)
  --csv              one row per valid window × family × horizon (1…30 s):
                     ${CSV_HEADER}
  --json             evaluation per family and horizon (1, 2, 5, 10, 30 s): n, hit_rate, coverage,
                     mae_ticks, mae_no_change_ticks, brier (see docs/FORECAST.md)
  --target spot|mid  what --json scores against: spot moves (default) or mid moves (no bid–ask bounce)
The forecast of a window is made at its start (window_end_ts_ns − 1 s) from the book at that
instant and the fields of the window before; horizon h targets the spot of the window h s later.
`;

/** Shortest exact-enough text of a number (6 decimals, no trailing zeros). */
const num = (x: number): string => (Number.isFinite(x) ? String(Number(x.toFixed(6))) : '');

function* csvLines(forecasts: readonly WindowForecast[], families: readonly ForecastFamily[], tickInt: number): Generator<string> {
  const fam = new Set(families);
  for (const w of forecasts) {
    const end = `${BigInt(w.windowSec + 1) * 1_000_000_000n}`;
    for (const f of w.families) {
      if (!fam.has(f.family)) continue;
      let block = '';
      for (const p of f.points)
        block += `${end},${f.family},${p.horizonS},${w.spotTick},${num(p.predictedTick)},${num((p.predictedTick * tickInt) / 1e9)},${p.direction},${num(p.confidence)},${num(p.bandLoTick)},${num(p.bandHiTick)}\n`;
      yield block;
    }
  }
}

export async function run(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { strings: ['db', 'dataset', 'params', 'family', 'target'], booleans: ['csv', 'json', 'help'], multi: ['set'] });
  if (a.flags.has('help')) {
    process.stdout.write(help);
    return 0;
  }
  if (!a.values.db) throw new CliError('forecast needs --db DB', help);
  if (a.flags.has('csv') === a.flags.has('json')) throw new CliError('choose one output: --csv or --json', help);
  if (a.positional.length) throw new CliError(`unexpected argument '${a.positional[0]}'`, help);
  const famArg = a.values.family ?? 'all';
  if (famArg !== 'all' && !(FORECAST_FAMILIES as readonly string[]).includes(famArg)) throw new CliError(`unknown family '${famArg}'`, `choose one of ${FORECAST_FAMILIES.join(', ')} or all`);
  const families: readonly ForecastFamily[] = famArg === 'all' ? FORECAST_FAMILIES : [famArg as ForecastFamily];
  let datasetId: number | undefined;
  if (a.values.dataset !== undefined) {
    datasetId = Number(a.values.dataset);
    if (!Number.isInteger(datasetId) || datasetId < 1) throw new CliError(`--dataset ${a.values.dataset} is not a dataset id`, 'list them with: npm run cli -- query --db DB "SELECT dataset_id, symbol, session_date FROM catalog.datasets"');
  }
  const target = a.values.target ?? 'spot';
  if (target !== 'spot' && target !== 'mid') throw new CliError(`--target ${target}: choose spot or mid`, help);
  const params = paramsFromArgs(a.values.params, a.lists.set);
  const db = await openDatabase(a.values.db, { readOnly: true });
  try {
    const dataset = await resolveDataset(db, datasetId);
    const rows = await datasetFeatureRows(db, dataset);
    const forecasts = runForecasts(rows, params);
    const out = process.stdout;
    if (a.flags.has('json')) {
      out.write(JSON.stringify(forecastReport(dataset.datasetId, params, forecasts, families, { kind: target, rows })) + '\n');
      return 0;
    }
    let closed = false;
    const onError = (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') closed = true;
      else throw e;
    };
    out.on('error', onError);
    try {
      let buf = CSV_HEADER + '\n';
      for (const block of csvLines(forecasts, families, dataset.tickInt)) {
        if (closed) break;
        buf += block;
        if (buf.length > 1 << 16) {
          if (!out.write(buf)) await once(out, 'drain').catch(() => (closed = true));
          buf = '';
        }
      }
      if (!closed && buf) out.write(buf);
    } finally {
      out.off('error', onError);
    }
    return 0;
  } finally {
    await closeDatabase(db);
  }
}
