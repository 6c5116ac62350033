// One window's forecasts for every family, columnar (what the runner fills without allocating),
// and its conversion to the seam's objects (types.ts: WindowForecast) for frames and tooltips.
import { FORECAST_FAMILIES, FORECAST_MAX_HORIZON_S } from '../../contracts/forecast';
import { FAMILY_STRIDE, POINT_FIELDS, type Inputs } from './families';
import type { FamilyForecast, ForecastPoint, WindowForecast } from './types';

export interface ForecastBlock {
  windowSec: number;
  /** spot tick of the window (NaN when invalid: then the values are stale and must not be read). */
  spotTick: number;
  valid: boolean;
  /** Family f (FORECAST_FAMILIES order), horizon h: values at f·FAMILY_STRIDE + (h − 1)·POINT_FIELDS + P_*. */
  values: Float64Array;
  /** Per family; each step puts new objects here (never mutated later): ForecastStore keeps them. */
  inputs: Inputs[];
}

export function newForecastBlock(): ForecastBlock {
  return { windowSec: 0, spotTick: NaN, valid: false, values: new Float64Array(FORECAST_FAMILIES.length * FAMILY_STRIDE), inputs: FORECAST_FAMILIES.map(() => ({})) };
}

export function toWindowForecast(b: ForecastBlock): WindowForecast {
  if (!b.valid) return { windowSec: b.windowSec, spotTick: NaN, families: [] };
  const v = b.values;
  const families: FamilyForecast[] = FORECAST_FAMILIES.map((family, f) => {
    const points: ForecastPoint[] = [];
    for (let h = 1; h <= FORECAST_MAX_HORIZON_S; h++) {
      const o = f * FAMILY_STRIDE + (h - 1) * POINT_FIELDS;
      points.push({ horizonS: h, predictedTick: v[o], bandLoTick: v[o + 1], bandHiTick: v[o + 2], direction: v[o + 3] as -1 | 0 | 1, confidence: v[o + 4], probUp: v[o + 5] });
    }
    return { family, points, inputs: { ...b.inputs[f] } };
  });
  return { windowSec: b.windowSec, spotTick: b.spotTick, families };
}
