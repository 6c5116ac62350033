// The forecast model as the engine host serves it (issue 11): the dataset's stored feature
// rows (gold.future_mbo__forecast_features_1s) through ForecastRunner, with the parameter file
// the engine was launched with; `set_params` overrides forecast fields only — gold fields are
// baked into the stored build (part of its dataset key) and are refused with a hint.
import { applyParamOverrides, GOLD_PARAM_KEYS, ParamsError, type ParamsFile } from '../../contracts/params';
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
    numericParams: (p) => Object.fromEntries(Object.entries(p).filter(([k, v]) => k !== 'version' && typeof v === 'number')) as Record<string, number>,
    runner: (p) => new ForecastRunner(p),
  };
}
