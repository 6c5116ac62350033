#!/usr/bin/env node
// Command-line entry: `npm run cli -- <command> …`. Each command lives in its own module
// under ./commands and is loaded lazily so one command's dependencies never slow another.
import { CliError, formatCliError } from './cliError';

/** `help`: the usage text printed for `<command> --help` (commands may also handle it themselves). */
type CommandModule = { run(argv: string[]): Promise<number | void>; help?: string };

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  inspect: { summary: 'decode a DBN file: metadata, counts, records (--json, --csv)', load: () => import('./commands/inspect') },
  simulate: { summary: 'write a simulated CME MBO day as DBN', load: () => import('./commands/simulate') },
  book: { summary: 'rebuild the order book and print its state', load: () => import('./commands/book') },
  ingest: { summary: 'run Bronze → Silver → Gold into DuckDB', load: () => import('./commands/ingest') },
  query: { summary: 'run read-only SQL against a Spymaster database', load: () => import('./commands/query') },
  serve: { summary: 'serve the workstation in a browser over 127.0.0.1', load: () => import('./commands/serve') },
  forecast: { summary: 'forecasts per window from a dataset (--csv) and their evaluation (--json)', load: () => import('./commands/forecast') },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: npm run cli -- <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const cmd = COMMANDS[name];
  if (!cmd) throw new CliError(`unknown command '${name}'`, usage());
  const mod = await cmd.load();
  if (mod.help && (rest.includes('--help') || rest.includes('-h'))) {
    process.stdout.write(mod.help.endsWith('\n') ? mod.help : mod.help + '\n');
    return 0;
  }
  return (await mod.run(rest)) ?? 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(formatCliError(err));
    process.exitCode = err instanceof CliError ? err.exitCode : 1;
  },
);
