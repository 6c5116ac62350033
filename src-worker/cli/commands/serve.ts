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
import { isLoopbackHost, isStrongToken } from '../../serve/accessGuard';
import { ensureRendererBuilt } from '../../serve/rendererBuild';
import { startWorkstationServer } from '../../serve/workstationServer';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

const HELP = `usage: npm run cli -- serve [--port 5174] [--db PATH] [--no-demo] [--host ADDR --expose] [--params FILE] [--set name=value …] [FILE]
  FILE       a .dbn or .dbn.zst MBO file to open (default: the embedded demo)
  --port N   HTTP port on 127.0.0.1 (default 5174; 0 = any free port)
  --db PATH  DuckDB database (default ~/.cache/spymaster/spymaster.duckdb or $SPYMASTER_CACHE_DIR)
  --no-demo  start with no session instead of the demo
  --host ADDR  listen on ADDR (default 127.0.0.1); a non-loopback address also needs --expose
  The printed address carries a per-run token (?token=…): only a page opened with it reaches
  the engine. SPYMASTER_SERVE_TOKEN (≥ 32 characters) fixes the token (tests).
${PARAMS_HELP}`;
export const help = HELP;

export async function run(argv: string[]): Promise<number> {
  const { positional, values, flags, lists } = parseArgs(argv, { strings: ['port', 'db', 'params', 'host'], booleans: ['no-demo', 'help', 'expose'], multi: ['set'] });
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
  const host = values.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && !flags.has('expose')) throw new CliError(`--host ${host} is not a loopback address`, 'other machines could then try to reach the engine; add --expose if that is really meant');
  if (!isLoopbackHost(host)) log(`WARNING: listening on ${host}: anyone who can reach this address and learns the token can read any DBN file this account can read.`);
  const token = process.env.SPYMASTER_SERVE_TOKEN || undefined;
  if (token !== undefined && !isStrongToken(token)) throw new CliError('SPYMASTER_SERVE_TOKEN is too weak', 'use at least 32 letters, digits, - or _ (or unset it for a random token)');
  const staticDir = await ensureRendererBuilt(ROOT, log);
  let server;
  try {
    server = await startWorkstationServer({ port, host, exposed: flags.has('expose'), token, staticDir, dbPath: values.db ? resolve(values.db) : undefined, initial, log, env: { [PARAMS_ENV]: canonicalParamsJson(params) } });
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
