// `--params FILE` and `--set name=value …` for every command that runs the engine (ingest,
// forecast, serve): one parser, one error shape (a CliError naming the file or field).
import { ParamsError, type ParamsFile } from '../../contracts/params';
import { loadParams } from '../forecast/paramsFile';
import { CliError } from './cliError';

export const PARAMS_HELP = `  --params FILE      parameter file (JSON, version 2; version-1 files are upgraded), see docs/FORECAST.md
  --set name=value   override one parameter (repeatable), e.g. --set beta=0.1 --set extrapolation=slope
`;

export function paramsFromArgs(file: string | undefined, sets: readonly string[] | undefined): ParamsFile {
  try {
    return loadParams({ file, sets });
  } catch (e) {
    if (e instanceof ParamsError) throw new CliError(e.userMessage, `hint: ${e.hint}`);
    throw e;
  }
}
