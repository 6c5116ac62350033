// The forecast's seam (SPEC §4, issue 11): what the engine computes per window and what
// replay, frames, the CLI and calibration consume.
//
//   engine (FuturesEngine steps) ──► ForecastFeatureStep ──► FeatureRow per window
//        (stored as gold.future_mbo__forecast_features_1s, one row per session window)
//   FeatureRow sequence ──► ForecastRunner.push(row) ──► WindowForecast (every family)
//
// The runner is sequential and stateful (rolling z-scores, OFI history, previous velocity),
// so replay computes a session's forecasts once, in window order, from the stored feature
// rows (≤ 50 µs per window), and slices frames and history slabs from that. Calibration
// re-runs the runner over stored rows with other parameters: no book or gold re-run.
import type { ForecastFamily } from '../../contracts/forecast';

export interface ForecastPoint {
  horizonS: number;
  /** Absolute tick, fractional. */
  predictedTick: number;
  bandLoTick: number;
  bandHiTick: number;
  direction: -1 | 0 | 1;
  confidence: number;
  /** P(up) where the family gives one, else NaN. */
  probUp: number;
}

export interface FamilyForecast {
  family: ForecastFamily;
  /** horizons 1…FORECAST_MAX_HORIZON_S, in order. */
  points: ForecastPoint[];
  /** What drove it, for the tooltip (F_near, F_far, nu_local; z, dz, d2z, d3z; imbalance …). */
  inputs: Record<string, number>;
}

export interface WindowForecast {
  /** Window start second k (window_end_ts_ns = (k + 1)·1e9). */
  windowSec: number;
  /** spot_ref / tick of the window (the forecast's origin); NaN for an invalid window. */
  spotTick: number;
  /** Empty for an invalid window (no forecast is made without a book). */
  families: FamilyForecast[];
}
