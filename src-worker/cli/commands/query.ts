// `query --db PATH "SQL" [--json]`: read-only SQL against a Spymaster database. Prints a
// table (or JSON rows with --json; 64-bit integers as decimal strings).
import { CliError, parseArgs } from '../cliError';
import { closeDatabase, openDatabase, queryRows } from '../../store/database';

const USAGE = 'usage: npm run cli -- query --db PATH "SQL" [--json]';
export const help = USAGE;

const text = (v: unknown): string => (v === null || v === undefined ? 'NULL' : typeof v === 'bigint' ? v.toString() : typeof v === 'object' ? JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)) : String(v));

export async function run(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { strings: ['db'], booleans: ['json'] });
  const sql = a.positional.join(' ').trim();
  if (!a.values.db) throw new CliError('query needs --db PATH', USAGE);
  if (!sql) throw new CliError('query needs an SQL statement', USAGE);
  const db = await openDatabase(a.values.db, { readOnly: true });
  try {
    const rows = await queryRows(db, sql);
    if (a.flags.has('json')) {
      process.stdout.write(JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) + '\n');
      return 0;
    }
    const cols = rows.length ? Object.keys(rows[0]) : [];
    const cells = rows.map((r) => cols.map((c) => text(r[c])));
    const widths = cols.map((c, i) => Math.min(40, Math.max(c.length, ...cells.map((r) => r[i].length))));
    const line = (vals: string[]) => vals.map((v, i) => v.slice(0, 40).padEnd(widths[i])).join('  ');
    if (cols.length) process.stdout.write(line(cols) + '\n' + widths.map((w) => '-'.repeat(w)).join('  ') + '\n');
    for (const r of cells) process.stdout.write(line(r) + '\n');
    process.stdout.write(`(${rows.length} row${rows.length === 1 ? '' : 's'})\n`);
    return 0;
  } finally {
    await closeDatabase(db);
  }
}
