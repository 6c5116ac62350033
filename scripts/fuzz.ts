// `npm run fuzz -- --seconds N --seed S [--replay I] [--out FILE]`: the fuzz campaign (issue 14,
// docs/SECURITY.md). Mutated real and simulated DBN files, parameter files and protocol
// envelopes are fed to the decoder, the order book, the real ingest (DuckDB in a temp dir) and
// a real engine host; counts typed errors, correct results, wrong results, crashes, hangs
// (> 5 s) and unhandled rejections. Writes bench/results/fuzz.json; exits 1 on any finding.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { runFuzz } from './fuzz/supervisor';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const seconds = Number(arg('seconds') ?? 60);
const seed = Number(arg('seed') ?? 1);
const replay = arg('replay') === undefined ? undefined : Number(arg('replay'));
const out = resolve(arg('out') ?? 'bench/results/fuzz.json');
if (!(seconds > 0) || !Number.isInteger(seed) || (replay !== undefined && !Number.isInteger(replay))) {
  process.stderr.write('usage: npm run fuzz -- --seconds N --seed S [--replay INDEX] [--out FILE]\n');
  process.exit(2);
}

const startedAt = new Date().toISOString();
const report = await runFuzz({ seconds, seed, replay, keepDir: replay !== undefined, log: (l) => process.stderr.write(`[fuzz] ${l}\n`) });
const result = { startedAt, ...report, node: process.version };
if (replay === undefined) {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
}
process.stdout.write(
  `fuzz seed ${seed}: ${report.inputs} inputs in ${report.seconds} s — ${report.correctResults} correct, ${report.typedErrors} typed errors, ` +
    `${report.wrongResults} wrong, ${report.crashes} crashes, ${report.hangs} hangs, ${report.unhandledRejections} unhandled rejections` +
    `${replay === undefined ? ` → ${out}` : ''}\n`,
);
process.exitCode = report.crashes + report.hangs + report.wrongResults + report.unhandledRejections > 0 ? 1 : 0;
