// Forecast evaluation (issue 11; calibration reuses it): per family and horizon h, over the
// windows t whose forecast exists and whose window t + h has a reference value:
//   n                    windows with a realised outcome (zero moves included)
//   hit_rate             sign of predicted move = sign of realised move, over the non-zero
//                        realised moves the family gave a direction for (null when none)
//   coverage             share of non-zero realised moves the family gave a direction for
//   mae_ticks            mean |predicted tick − realised tick|
//   mae_no_change_ticks  mean |realised move| (the no-change error on the same windows)
//   brier                mean (P(up) − 1{up})² over non-zero realised moves, for families that
//                        give P(up); null otherwise
// The realised series is the spot (default: the forecast's origin is the spot) or any other
// per-window reference such as the mid: then the predicted move (predicted − spot) is added to
// the reference at t and compared with the reference at t + h. Spot moves include the
// bid–ask bounce of the last trade; mid moves do not (docs/FORECAST.md).
// Pure and streaming: ForecastEvaluator keeps 3 numbers per family × horizon per window.
import { FORECAST_EVAL_HORIZONS_S, FORECAST_FAMILIES, type ForecastFamily } from '../../contracts/forecast';
import type { ForecastBlock } from './block';
import { FAMILY_STRIDE, POINT_FIELDS, P_DIR, P_PRED, P_PROB } from './families';
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

export class ForecastEvaluator {
  private readonly secs: number[] = [];
  private readonly spots: number[] = [];
  private readonly refs: number[] = [];
  /** Per window: family × horizon × (predicted, direction, P(up)). */
  private readonly vals: number[] = [];
  private readonly per: number;

  constructor(
    readonly horizons: readonly number[] = FORECAST_EVAL_HORIZONS_S,
    readonly families: readonly ForecastFamily[] = FORECAST_FAMILIES,
  ) {
    this.per = families.length * horizons.length * 3;
  }

  /** One window: a valid forecast block and its reference value (default: its spot). */
  addBlock(b: ForecastBlock, reference = b.spotTick): void {
    if (!b.valid) {
      this.addInvalid(b.windowSec, reference);
      return;
    }
    this.secs.push(b.windowSec);
    this.spots.push(b.spotTick);
    this.refs.push(reference);
    const v = b.values;
    for (const fam of this.families) {
      const f = FORECAST_FAMILIES.indexOf(fam) * FAMILY_STRIDE;
      for (const h of this.horizons) {
        const o = f + (h - 1) * POINT_FIELDS;
        this.vals.push(v[o + P_PRED], v[o + P_DIR], v[o + P_PROB]);
      }
    }
  }

  addForecast(w: WindowForecast, reference = w.spotTick): void {
    if (w.families.length === 0) {
      this.addInvalid(w.windowSec, reference);
      return;
    }
    this.secs.push(w.windowSec);
    this.spots.push(w.spotTick);
    this.refs.push(reference);
    for (const fam of this.families) {
      const ff = w.families.find((x) => x.family === fam);
      for (const h of this.horizons) {
        const pt = ff?.points[h - 1];
        this.vals.push(pt ? pt.predictedTick : NaN, pt ? pt.direction : NaN, pt ? pt.probUp : NaN);
      }
    }
  }

  /** A window without a forecast: it can still be the target of an earlier one (when its reference exists). */
  private addInvalid(windowSec: number, reference: number): void {
    this.secs.push(windowSec);
    this.spots.push(NaN);
    this.refs.push(reference);
    for (let i = 0; i < this.per; i++) this.vals.push(NaN);
  }

  result(): Evaluation {
    const idx = new Map<number, number>();
    this.secs.forEach((s, i) => idx.set(s, i));
    const out: Evaluation = {};
    const H = this.horizons.length;
    this.families.forEach((fam, fi) => {
      const per: Record<string, HorizonStats> = {};
      this.horizons.forEach((h, hi) => {
        let n = 0;
        let nonZero = 0;
        let covered = 0;
        let hits = 0;
        let absErr = 0;
        let absMove = 0;
        let brierSum = 0;
        let brierN = 0;
        for (let i = 0; i < this.secs.length; i++) {
          const spot = this.spots[i];
          const origin = this.refs[i];
          if (spot !== spot || origin !== origin) continue;
          const j = idx.get(this.secs[i] + h);
          if (j === undefined) continue;
          const target = this.refs[j];
          if (target !== target) continue;
          const o = i * this.per + (fi * H + hi) * 3;
          const pred = this.vals[o];
          const dir = this.vals[o + 1];
          const prob = this.vals[o + 2];
          if (pred !== pred) continue;
          const moved = target - origin;
          n++;
          absErr += Math.abs(origin + (pred - spot) - target);
          absMove += Math.abs(moved);
          if (moved === 0) continue;
          nonZero++;
          if (dir !== 0) {
            covered++;
            if (dir === Math.sign(moved)) hits++;
          }
          if (prob === prob) {
            const up = moved > 0 ? 1 : 0;
            brierSum += (prob - up) * (prob - up);
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
      });
      out[fam] = per;
    });
    return out;
  }
}

/** Evaluate object forecasts (tests, small spans); `reference` by window second (default: spot). */
export function evaluateForecasts(
  forecasts: readonly WindowForecast[],
  horizons: readonly number[] = FORECAST_EVAL_HORIZONS_S,
  families: readonly ForecastFamily[] = FORECAST_FAMILIES,
  reference?: ReadonlyMap<number, number>,
): Evaluation {
  const e = new ForecastEvaluator(horizons, families);
  for (const w of forecasts) e.addForecast(w, reference ? (reference.get(w.windowSec) ?? NaN) : w.spotTick);
  return e.result();
}
