// `simulate`: write a simulated CME MBO session (futures, optionally the ES options chain
// and instrument definitions) as DBN, and optionally print the statistics a trader would
// check next to the same statistics of the real ESH4 file.
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError, parseArgs } from '../cliError';
import { simulateToFile, type SimulateOptions, type SimulateSummary } from '../../sim/index';
import { computeMboStats, formatComparison, type MboStats } from '../../sim/report';

const USAGE = `usage: npm run cli -- simulate --out FILE.dbn[.zst] [options]

  --out FILE               futures MBO output (.dbn raw, .dbn.zst compressed)
  --symbol SYM             CME outright, default ESH6 (ES, MES, NQ, MNQ roots)
  --date YYYY-MM-DD        trade date, default 2026-01-06
  --start HH:MM --end HH:MM  session window in --tz, default 08:30–10:30
                           (start ≥ end = starts the previous day, e.g. 18:00–17:00 = full Globex day)
  --tz ZONE                IANA zone of start/end, default America/New_York
  --seed N                 default 42; same seed and options → byte-identical files
  --intensity X            activity multiplier, default 1.0 (≈ 3–5 M futures records in the first RTH hour)
  --options-out FILE       ES options MBO (quarterly + weeklies, calls and puts, $5 strikes)
  --definitions-out FILE   instrument definitions (v3) of the future and every option
  --strike-band N          strikes within ±N index points of the underlying, default 100
  --start-price P          opening price in index points (default ≈ 6,500 for ES, seed-dependent)
  --clear                  emit an R (clear book) before the start-of-day snapshot
  --zstd-level N           zstd level for .zst outputs, default 3
  --report                 print statistics of the simulated futures next to the real ESH4 file
  --report-json FILE       write those statistics as JSON
  --real FILE              real MBO file for the comparison (default ../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst,
                           whose mid dynamics are measured over 18:00–19:00 New York; another file: over all of it)
  --json                   print the summary as JSON
`;

const DEFAULT_REAL = '../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst';
/** The mid's dynamics of the default real file are measured over its quiet hour, 18:00–19:00 New York. */
const DEFAULT_REAL_MARKET_WINDOW = { fromSec: Date.UTC(2023, 11, 25, 23) / 1000, toSec: Date.UTC(2023, 11, 26, 0) / 1000 };

function num(v: string | undefined, name: string, integer = false): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) throw new CliError(`--${name} needs ${integer ? 'a whole number' : 'a number'}, got '${v}'`);
  return n;
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1) + ' MB';
}

function printSummary(s: SimulateSummary): void {
  const out = process.stdout;
  const acts = (m: Record<string, number>) =>
    Object.entries(m)
      .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
      .join(' · ');
  out.write(`simulated ${s.symbol} (instrument ${s.instrumentId}) ${s.date} ${s.timeZone}, seed ${s.seed}, intensity ${s.intensity}, simulator v${s.simulatorVersion}\n`);
  out.write(`futures  ${s.futures.path}: ${s.futures.records.toLocaleString('en-US')} records, ${mb(s.futures.bytes)} — ${acts(s.futures.byAction)}\n`);
  out.write(`         ${s.futures.trades.toLocaleString('en-US')} trades, ${s.futures.walls} walls, ${s.futures.flickers} flickering orders, ${s.futures.icebergRefills} iceberg refills; last mid ${s.futures.finalMid.toFixed(2)}\n`);
  if (s.options) out.write(`options  ${s.options.path}: ${s.options.records.toLocaleString('en-US')} records over ${s.options.instruments} instruments, ${mb(s.options.bytes)} — ${acts(s.options.byAction)}\n`);
  if (s.definitions) out.write(`definitions ${s.definitions.path}: ${s.definitions.records} records\n`);
  out.write(`${s.seconds.toFixed(1)} s, ${Math.round(s.eventsPerSecond).toLocaleString('en-US')} records/s, peak RSS ${mb(s.peakRssBytes)}\n`);
}

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const a = parseArgs(argv, {
    strings: ['out', 'symbol', 'date', 'start', 'end', 'tz', 'seed', 'intensity', 'options-out', 'definitions-out', 'strike-band', 'start-price', 'zstd-level', 'report-json', 'real'],
    booleans: ['report', 'json', 'clear'],
  });
  if (a.positional.length > 0) throw new CliError(`unexpected argument '${a.positional[0]}'`, USAGE);
  const out = a.values.out;
  if (!out) throw new CliError('simulate needs --out FILE.dbn or FILE.dbn.zst', USAGE);
  const opts: SimulateOptions = {
    out,
    symbol: a.values.symbol,
    date: a.values.date,
    start: a.values.start,
    end: a.values.end,
    tz: a.values.tz,
    seed: num(a.values.seed, 'seed', true),
    intensity: num(a.values.intensity, 'intensity'),
    optionsOut: a.values['options-out'],
    definitionsOut: a.values['definitions-out'],
    strikeBand: num(a.values['strike-band'], 'strike-band'),
    startPrice: num(a.values['start-price'], 'start-price'),
    zstdLevel: num(a.values['zstd-level'], 'zstd-level', true),
    clearBeforeSnapshot: a.flags.has('clear'),
  };
  const wantReport = a.flags.has('report') || !!a.values['report-json'];
  const realPath = a.values.real ?? DEFAULT_REAL;
  if (wantReport && a.values.real && !existsSync(realPath)) throw new CliError(`--real ${realPath}: no such file`);
  const tty = process.stderr.isTTY;
  opts.onProgress = tty
    ? (p) => process.stderr.write(`\r${(p.fraction * 100).toFixed(0).padStart(3)} %  ${p.futuresRecords.toLocaleString('en-US')} futures + ${p.optionsRecords.toLocaleString('en-US')} options records`)
    : undefined;
  const ac = new AbortController();
  opts.signal = ac.signal;
  const onSig = () => ac.abort();
  process.once('SIGINT', onSig);
  let summary: SimulateSummary;
  try {
    summary = await simulateToFile(opts);
  } finally {
    process.off('SIGINT', onSig);
    if (tty) process.stderr.write('\r\x1b[K');
  }
  if (a.flags.has('json')) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  else printSummary(summary);
  if (wantReport) {
    const sim = await computeMboStats(resolve(out), { instrumentId: summary.instrumentId });
    let real: MboStats | undefined;
    if (existsSync(realPath)) real = await computeMboStats(resolve(realPath), { marketWindow: a.values.real ? undefined : DEFAULT_REAL_MARKET_WINDOW });
    else process.stderr.write(`note: ${realPath} not found; the report shows the simulated day alone\n`);
    if (a.flags.has('report') || !a.values['report-json']) {
      process.stdout.write(`\nstatistics: simulated ${summary.symbol} vs ${real ? realPath : '(no real file)'}\n`);
      process.stdout.write(formatComparison(sim, real));
      if (real && !a.values.real) {
        process.stdout.write('note: the real file is a holiday overnight session (25 Dec 2023, 22:00–24:00 UTC): compare the shape of the feed, not its rates; its mid dynamics are measured over 23:00–24:00 UTC (docs/SIMULATOR.md)\n');
      }
    }
    if (a.values['report-json']) writeFileSync(a.values['report-json'], JSON.stringify({ summary, simulated: sim, real: real ?? null }, null, 2) + '\n');
  }
  return 0;
}
