// The forecast model as the engine host serves it (issue 11): the dataset's stored feature
// rows (gold.future_mbo__forecast_features_1s) through ForecastRunner, with the parameter file
// the engine was launched with; `set_params` overrides forecast fields only — gold fields are
// baked into the stored build (part of its dataset key) and are refused with a hint.
import { applyParamOverrides, GOLD_PARAM_KEYS, PARAM_FIELDS, ParamsError, type ParamsFile } from '../../contracts/params';
import { readFeatureRows } from '../forecast/featureRows';
import type { FeatureRow } from '../forecast/featureRow';
import { ForecastRunner } from '../forecast/runner';
import type { ForecastModel } from '../replay/forecastStore';
import type { Database } from '../store/database';

const GOLD = new Set<string>(GOLD_PARAM_KEYS);

export function forecastModel(db: Database, initial: ParamsFile): ForecastModel<FeatureRow, ParamsFile> {
  return {
    readRows: (datasetId) => readFeatureRows(db, datasetId),
    initialParams: () => initial,
    applyParams(p, set) {
      for (const k of Object.keys(set)) {
        if (GOLD.has(k)) throw new ParamsError(`'${k}' is a gold parameter: it is part of the stored build and cannot change while replaying`, 'ingest the file again with --params / --set to change it', k);
      }
      return applyParamOverrides(p, set);
    },
    numericParams: paramsAsNumbers,
    runner: (p) => new ForecastRunner(p),
  };
}

/**
 * The parameters in force as the protocol's `params` event carries them: numbers, an enum field
 * as the index of its value in the declaration (the window shows the name), `version` left out.
 * (Before, enum fields were dropped, so the window showed their defaults whatever was in force.)
 */
export function paramsAsNumbers(p: ParamsFile): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(p)) {
    if (k === 'version') continue;
    if (typeof v === 'number') out[k] = v;
    else if (typeof v === 'string') {
      const spec = (PARAM_FIELDS as Record<string, { kind: string; of?: readonly string[] }>)[k];
      const i = spec?.kind === 'enum' && spec.of ? spec.of.indexOf(v) : -1;
      if (i >= 0) out[k] = i;
    }
  }
  return out;
}
