// `forecast --db DB [--dataset ID] [--params FILE] [--set k=v …] [--family NAME|all] (--csv | --json)`:
// the forecasts of every window of a stored dataset (from its feature rows: no book or gold
// re-run), streamed as CSV, or their evaluation per family and horizon as one JSON object.
import { once } from 'node:events';
import { FORECAST_FAMILIES, FORECAST_MAX_HORIZON_S, type ForecastFamily } from '../../../contracts/forecast';
import { closeDatabase, openDatabase } from '../../store/database';
import { datasetFeatureRows, forecastReport, resolveDataset } from '../../forecast/datasetForecasts';
import type { FeatureRow } from '../../forecast/featureRow';
import { FAMILY_STRIDE, POINT_FIELDS } from '../../forecast/families';
import { ForecastRunner } from '../../forecast/runner';
import type { ParamsFile } from '../../../contracts/params';
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

/** CSV text per valid window (every selected family × horizon), straight from the runner's blocks. */
function* csvLines(rows: readonly FeatureRow[], params: ParamsFile, families: readonly ForecastFamily[], tickInt: number): Generator<string> {
  const runner = new ForecastRunner(params);
  const fams = families.map((f) => [f, FORECAST_FAMILIES.indexOf(f) * FAMILY_STRIDE] as const);
  for (const row of rows) {
    const b = runner.step(row);
    if (!b.valid) continue;
    const end = `${BigInt(b.windowSec + 1) * 1_000_000_000n}`;
    const v = b.values;
    let text = '';
    for (const [name, off] of fams)
      for (let h = 1; h <= FORECAST_MAX_HORIZON_S; h++) {
        const o = off + (h - 1) * POINT_FIELDS;
        text += `${end},${name},${h},${b.spotTick},${num(v[o])},${num((v[o] * tickInt) / 1e9)},${v[o + 3]},${num(v[o + 4])},${num(v[o + 1])},${num(v[o + 2])}\n`;
      }
    yield text;
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
    const out = process.stdout;
    if (a.flags.has('json')) {
      out.write(JSON.stringify(forecastReport(dataset.datasetId, params, rows, families, target)) + '\n');
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
      for (const block of csvLines(rows, params, families, dataset.tickInt)) {
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
