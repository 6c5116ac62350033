// Forecast evaluation (issue 11; calibration reuses it): per family and horizon h, over the
// windows t whose forecast exists and whose window t + h has a valid spot:
//   n                    windows with a realised outcome (zero moves included)
//   hit_rate             sign of predicted move = sign of realised move, over the non-zero
//                        realised moves the family gave a direction for (null when none)
//   coverage             share of non-zero realised moves the family gave a direction for
//   mae_ticks            mean |predicted tick − realised tick|
//   mae_no_change_ticks  mean |realised move| (the no-change error on the same windows)
//   brier                mean (P(up) − 1{up})² over non-zero realised moves, for families that
//                        give P(up); null otherwise
// The realised series is the spot (default, as the forecast's origin is the spot) or any other
// per-window reference such as the mid: then the predicted move (predicted − spot) is added to
// the reference at t and compared with the reference at t + h. Spot moves include the
// bid–ask bounce of the last trade; mid moves do not (docs/FORECAST.md).
// Pure: forecasts in, numbers out.
import { FORECAST_EVAL_HORIZONS_S, FORECAST_FAMILIES, type ForecastFamily } from '../../contracts/forecast';
import type { WindowForecast } from './types';

export interface HorizonStats {
  n: number;
  hit_rate: number | null;
  coverage: number | null;
  mae_ticks: number | null;
  mae_no_change_ticks: number | null;
  brier: number | null;
}

export type Evaluation = Partial<Record<ForecastFamily, Record<string, HorizonStats>>>;

export function evaluateForecasts(
  forecasts: readonly WindowForecast[],
  horizons: readonly number[] = FORECAST_EVAL_HORIZONS_S,
  families: readonly ForecastFamily[] = FORECAST_FAMILIES,
  /** Realised series by window second (default: each forecast's spot tick). */
  reference?: ReadonlyMap<number, number>,
): Evaluation {
  let refAt = reference;
  if (!refAt) {
    const spots = new Map<number, number>();
    for (const f of forecasts) if (f.spotTick === f.spotTick) spots.set(f.windowSec, f.spotTick);
    refAt = spots;
  }
  const out: Evaluation = {};
  for (const fam of families) {
    const per: Record<string, HorizonStats> = {};
    for (const h of horizons) {
      let n = 0;
      let nonZero = 0;
      let covered = 0;
      let hits = 0;
      let absErr = 0;
      let absMove = 0;
      let brierSum = 0;
      let brierN = 0;
      for (const f of forecasts) {
        const target = refAt.get(f.windowSec + h);
        const origin = refAt.get(f.windowSec);
        if (target === undefined || origin === undefined) continue;
        const ff = f.families.find((x) => x.family === fam);
        if (!ff) continue;
        const pt = ff.points[h - 1];
        const moved = target - origin;
        n++;
        absErr += Math.abs(origin + (pt.predictedTick - f.spotTick) - target);
        absMove += Math.abs(moved);
        if (moved === 0) continue;
        nonZero++;
        if (pt.direction !== 0) {
          covered++;
          if (pt.direction === Math.sign(moved)) hits++;
        }
        if (pt.probUp === pt.probUp) {
          const up = moved > 0 ? 1 : 0;
          brierSum += (pt.probUp - up) * (pt.probUp - up);
          brierN++;
        }
      }
      per[String(h)] = {
        n,
        hit_rate: covered > 0 ? hits / covered : null,
        coverage: nonZero > 0 ? covered / nonZero : null,
        mae_ticks: n > 0 ? absErr / n : null,
        mae_no_change_ticks: n > 0 ? absMove / n : null,
        brier: brierN > 0 ? brierSum / brierN : null,
      };
    }
    out[fam] = per;
  }
  return out;
}
