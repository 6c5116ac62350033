// Loading the parameter file for the command line and the engine: `--params FILE` (JSON,
// version 1 or 2, see contracts/params.ts) plus `--set name=value` overrides, every problem a
// ParamsError that names the file or the field.
import { readFileSync } from 'node:fs';
import { applyParamOverrides, DEFAULT_PARAMS, ParamsError, parseParamSets, resolveParams, type ParamsFile } from '../../contracts/params';

export interface ParamsSource {
  /** Path of a JSON parameter file; defaults when absent. */
  file?: string;
  /** `name=value` overrides, applied in order after the file. */
  sets?: readonly string[];
}

/** Read, validate and override: the parameters a run uses. */
export function loadParams(src: ParamsSource = {}): ParamsFile {
  let p: ParamsFile = DEFAULT_PARAMS;
  if (src.file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(src.file, 'utf8'));
    } catch (e) {
      throw new ParamsError(`cannot read the parameter file ${src.file}: ${(e as Error).message}`, 'it must be a JSON object such as {"version": 2, "beta": 0.05}');
    }
    try {
      p = resolveParams(parsed);
    } catch (e) {
      if (e instanceof ParamsError) throw new ParamsError(`${src.file}: ${e.userMessage}`, e.hint, e.field);
      throw e;
    }
  }
  if (src.sets?.length) p = applyParamOverrides(p, parseParamSets(src.sets));
  return p;
}

/**
 * How a launcher hands resolved parameters to an engine process it starts (serve → engine
 * child): the canonical JSON of the parameter file in this environment variable.
 */
export const PARAMS_ENV = 'SPYMASTER_PARAMS_JSON';

/** The parameters an engine process was launched with (defaults when the variable is unset). */
export function paramsFromEnv(env: NodeJS.ProcessEnv = process.env): ParamsFile {
  const raw = env[PARAMS_ENV];
  if (!raw) return DEFAULT_PARAMS;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw new ParamsError(`${PARAMS_ENV} is not valid JSON: ${(e as Error).message}`);
  }
  return resolveParams(parsed);
}
