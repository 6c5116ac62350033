// `book FILE [--symbol SYM] [--tick 0.25] [--at-record N …] [--json]`: rebuild the order book
// of one instrument and print its state after each requested record (1-based count of that
// instrument's MBO records) and at the end.
import { CliError, parseArgs } from '../cliError';
import { formatBookState } from '../../book/bookReport';
import { replayBookFile } from '../../pipeline/replayBookFile';
import { parseDecimalPrice } from '../../pipeline/sessionConfig';

const USAGE = 'usage: npm run cli -- book FILE [--symbol SYM] [--tick 0.25] [--at-record N …] [--json]';
export const help = USAGE;

export async function run(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { strings: ['symbol', 'tick'], booleans: ['json'], multi: ['at-record'] });
  const file = a.positional[0];
  if (!file || a.positional.length > 1) throw new CliError('book needs exactly one FILE', USAGE);
  const atRecords = (a.lists['at-record'] ?? []).map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new CliError(`--at-record ${v} is not a positive record number`, USAGE);
    return n;
  });
  const r = await replayBookFile(file, {
    symbol: a.values.symbol,
    tickInt: a.values.tick ? parseDecimalPrice(a.values.tick) : undefined,
    atRecords,
  });
  const missing = atRecords.filter((n) => n > r.final.record);
  if (a.flags.has('json')) {
    process.stdout.write(JSON.stringify({ symbol: r.symbol, instrumentId: r.instrumentId, checkpoints: r.checkpoints, final: r.final, beyondEnd: missing }, null, 2) + '\n');
  } else {
    process.stdout.write(`${r.symbol} (instrument ${r.instrumentId})\n`);
    for (const c of r.checkpoints) process.stdout.write(formatBookState(c) + '\n');
    for (const n of missing) process.stdout.write(`record ${n}: beyond the end (${r.final.record} records)\n`);
    process.stdout.write(formatBookState(r.final).replace('after record', 'final, after record') + '\n');
  }
  return 0;
}
