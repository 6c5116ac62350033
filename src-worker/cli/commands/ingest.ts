// `ingest FILE [--db PATH] [--symbol SYM] [--date YYYY-MM-DD] [--start HH:MM --end HH:MM
//  --tz ZONE] [--tick 0.25] [--params FILE.json] [--set name=value …] [--no-bronze] [--force] [--json]`
// Runs Bronze → Silver → Gold into DuckDB. A progress line (events/s, ETA) goes to stderr while
// it runs; the JSON summary goes to stdout at the end. Ctrl-C cancels cleanly (rolled back).
import { CliError, parseArgs } from '../cliError';
import { PARAMS_HELP, paramsFromArgs } from '../paramsArgs';
import { ingestFile } from '../../pipeline/ingest';
import { parseDecimalPrice } from '../../pipeline/sessionConfig';
import type { IngestProgress } from '../../pipeline/ingestApi';

const USAGE =
  'usage: npm run cli -- ingest FILE [--db PATH] [--symbol SYM] [--date YYYY-MM-DD] [--start HH:MM --end HH:MM --tz America/New_York] [--tick 0.25] [--params FILE.json] [--set name=value …] [--no-bronze] [--force] [--json]';

export const help = `${USAGE}
  FILE               a .dbn or .dbn.zst MBO file
  --db PATH          DuckDB database (default spymaster.duckdb)
  --symbol SYM       instrument (default: the file's only or most active outright)
  --date/--start/--end/--tz  session window (default 09:30–10:30 America/New_York)
  --tick 0.25        tick size (default per product root)
${PARAMS_HELP}  --no-bronze        do not store the Bronze events
  --force            rebuild even when the dataset is cached
  --json             one-line JSON summary
Only the gold fields of the parameters key the dataset: forecast parameters never rebuild it.
`;

function progressLine(p: IngestProgress): string {
  if (p.stage === 'hash') return `hashing ${(p.bytesRead / 2 ** 20).toFixed(0)} / ${(p.bytesTotal / 2 ** 20).toFixed(0)} MiB`;
  const eta = p.etaSec === null ? '?' : `${p.etaSec.toFixed(1)} s`;
  return `${p.stage.padEnd(6)} ${(p.fraction * 100).toFixed(1).padStart(5)}%  ${(p.events / 1e6).toFixed(2)} M events  ${(p.eventsPerSec / 1e6).toFixed(2)} M events/s  ETA ${eta}`;
}

export async function run(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { strings: ['db', 'symbol', 'date', 'start', 'end', 'tz', 'tick', 'params'], booleans: ['force', 'json', 'no-bronze', 'help'], multi: ['set'] });
  if (a.flags.has('help')) {
    process.stdout.write(help);
    return 0;
  }
  const file = a.positional[0];
  if (!file || a.positional.length > 1) throw new CliError('ingest needs exactly one FILE', USAGE);
  const params = paramsFromArgs(a.values.params, a.lists.set);
  const ac = new AbortController();
  const onSig = () => ac.abort();
  process.once('SIGINT', onSig);
  const tty = process.stderr.isTTY;
  let shown = false;
  try {
    const summary = await ingestFile({
      file,
      dbPath: a.values.db ?? 'spymaster.duckdb',
      symbol: a.values.symbol,
      date: a.values.date,
      start: a.values.start,
      end: a.values.end,
      tz: a.values.tz,
      tickInt: a.values.tick ? parseDecimalPrice(a.values.tick) : undefined,
      params,
      force: a.flags.has('force'),
      bronze: !a.flags.has('no-bronze'),
      signal: ac.signal,
      onProgress: (p) => {
        if (p.stage === 'done') return;
        shown = true;
        process.stderr.write(tty ? `\r${progressLine(p)}   ` : progressLine(p) + '\n');
      },
    });
    if (shown && tty) process.stderr.write('\n');
    process.stdout.write(JSON.stringify(summary, null, a.flags.has('json') ? 0 : 2) + '\n');
    return 0;
  } finally {
    process.off('SIGINT', onSig);
  }
}
