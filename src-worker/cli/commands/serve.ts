// `npm run cli -- serve [--port 5174] [--db PATH] [FILE]`: the workstation in a browser.
// Serves the built window on 127.0.0.1 (building it first when missing or stale) and
// bridges the engine protocol over ws://…/engine to one engine child process. With no FILE
// the window opens the embedded demo.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError, parseArgs } from '../cliError';
import { PARAMS_HELP, paramsFromArgs } from '../paramsArgs';
import { canonicalParamsJson } from '../../../contracts/params';
import { PARAMS_ENV } from '../../forecast/paramsFile';
import type { InitialOpen } from '../../host/engineHost';
import { ensureRendererBuilt } from '../../serve/rendererBuild';
import { startWorkstationServer } from '../../serve/workstationServer';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

const HELP = `usage: npm run cli -- serve [--port 5174] [--db PATH] [--no-demo] [--params FILE] [--set name=value …] [FILE]
  FILE       a .dbn or .dbn.zst MBO file to open (default: the embedded demo)
  --port N   HTTP port on 127.0.0.1 (default 5174; 0 = any free port)
  --db PATH  DuckDB database (default ~/.cache/spymaster/spymaster.duckdb or $SPYMASTER_CACHE_DIR)
  --no-demo  start with no session instead of the demo
${PARAMS_HELP}`;
export const help = HELP;

export async function run(argv: string[]): Promise<number> {
  const { positional, values, flags, lists } = parseArgs(argv, { strings: ['port', 'db', 'params'], booleans: ['no-demo', 'help'], multi: ['set'] });
  if (flags.has('help')) {
    process.stdout.write(HELP);
    return 0;
  }
  // Validated here (a bad file or value stops before anything starts); the engine child reads them from its environment.
  const params = paramsFromArgs(values.params, lists.set);
  if (positional.length > 1) throw new CliError('serve opens at most one file', HELP);
  const port = values.port === undefined ? 5174 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port ${values.port} is not a port number`, 'use 0–65535 (0 picks a free port)');
  const initial: InitialOpen = positional[0]
    ? { kind: 'file', path: resolve(positional[0]) }
    : flags.has('no-demo')
      ? { kind: 'none' }
      : { kind: 'demo' };
  const log = (l: string) => process.stderr.write(`[serve] ${l}\n`);
  const staticDir = await ensureRendererBuilt(ROOT, log);
  let server;
  try {
    server = await startWorkstationServer({ port, staticDir, dbPath: values.db ? resolve(values.db) : undefined, initial, log, env: { [PARAMS_ENV]: canonicalParamsJson(params) } });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new CliError(`port ${port} is already in use`, 'pass another --port, or --port 0 for any free port');
    throw e;
  }
  process.stdout.write(`Spymaster is running in browser mode: ${server.url}\n(open it in a browser; Ctrl+C stops the server)\n`);
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().finally(done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
