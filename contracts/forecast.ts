// The forecast's vocabulary (SPEC §4, issue 11), shared by the engine, the frames and the
// window. Families are the two explainable models and the baselines every model must beat;
// they are computed in one pass and sent in one `forecast` frame per window.

/** In frame order (the frame's `family` column is the index into this list). */
export const FORECAST_FAMILIES = [
  'particle',
  'perm_derivative',
  'no_change',
  'queue_imbalance',
  'microprice',
  'ofi',
] as const;
export type ForecastFamily = (typeof FORECAST_FAMILIES)[number];

export const FORECAST_FAMILY_INFO: Record<ForecastFamily, { label: string; baseline: boolean; meaning: string }> = {
  particle: { label: 'Particle (physics)', baseline: false, meaning: 'price particle pushed by pressure gradient, damped by viscosity (SPEC §4)' },
  perm_derivative: { label: 'Permeability derivative', baseline: false, meaning: 'z-scored near-spot permeability asymmetry and its derivatives (SPEC §4)' },
  no_change: { label: 'No change (baseline)', baseline: true, meaning: 'spot stays where it is' },
  queue_imbalance: { label: 'Queue imbalance (baseline)', baseline: true, meaning: 'up if the best-bid queue is larger than the best-ask queue (Gould & Bonart 2016)' },
  microprice: { label: 'Micro-price (baseline)', baseline: true, meaning: 'imbalance-weighted mid minus mid (Stoikov 2018)' },
  ofi: { label: 'Order-flow imbalance (baseline)', baseline: true, meaning: 'order-flow imbalance at the touch over the last seconds → drift (Cont, Kukanov & Stoikov 2014)' },
};

/** Horizons of the path: 1…30 s, one row per second. */
export const FORECAST_MAX_HORIZON_S = 30;
/** Horizons reported by evaluation and labelled in the margin. */
export const FORECAST_EVAL_HORIZONS_S = [1, 2, 5, 10, 30] as const;
export const FORECAST_LABEL_HORIZONS_S = [1, 5, 10, 30] as const;
