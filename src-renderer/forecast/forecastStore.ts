import { createStore } from 'zustand/vanilla';
import { FORECAST_LABEL_HORIZONS_S, type ForecastFamily } from '../../contracts/forecast';

// What the trader chose for the forecast (toolbar): shown or not, which model, the
// past-forecast path and its horizon; and the parameters the engine says are in force.
// The forecast rows themselves live in the forecast layer (layers/forecastLayer.ts).

export interface ForecastSettings {
  /** The prediction margin shows the model's path and band. */
  enabled: boolean;
  family: ForecastFamily;
  /** Past forecasts: a dotted path of what the model predicted `pastHorizonS` seconds before each time. */
  showPast: boolean;
  pastHorizonS: (typeof FORECAST_LABEL_HORIZONS_S)[number];
  /** Parameters in force (the engine's `params` event) and their revision; null before any. */
  params: Record<string, number> | null;
  revision: number;
  /** A `set_params` is on its way (the Parameters… popover waits for `params` or a refusal). */
  paramsPending: boolean;
  /** The engine's refusal of the last `set_params` (alert params.invalid), shown in the popover. */
  paramsRefusal: { message: string; hint?: string } | null;
}

export const forecastStore = createStore<ForecastSettings>()(() => ({
  enabled: true,
  family: 'particle',
  showPast: false,
  pastHorizonS: 10,
  params: null,
  revision: 0,
  paramsPending: false,
  paramsRefusal: null,
}));
