// Where each field the window can show (HEATMAP_FIELDS, named as gold's columns) lives in the
// engine's WindowGrid, so a live frame can be cut from the engine without a DuckDB read.
import type { HeatmapField } from '../../contracts/protocol';
import { GRID_FIELD } from './windowGrid';

export type GridFieldKey = keyof typeof GRID_FIELD;

export const HEATMAP_GRID_FIELD: Record<HeatmapField, GridFieldKey> = {
  liquidity_velocity: 'u',
  u_wave_energy: 'waveEnergy',
  nu: 'nu',
  pressure_grad: 'pressureGrad',
  rho: 'rho',
  kappa: 'kappa',
  phi_rest: 'phiRest',
  add_intensity: 'addIntensity',
  pull_intensity: 'pullIntensity',
  fill_intensity: 'fillIntensity',
  u_ema_2: 'ema2',
  u_ema_8: 'ema8',
  u_ema_32: 'ema32',
  u_ema_128: 'ema128',
  u_band_fast: 'bandFast',
  u_band_mid: 'bandMid',
  u_band_slow: 'bandSlow',
  du_dt: 'duDt',
  d2u_dt2: 'd2uDt2',
  du_dx: 'duDx',
  d2u_dx2: 'd2uDx2',
  dnu_dx: 'dnuDx',
  d2nu_dx2: 'd2nuDx2',
  wall_strength: 'wallStrength',
  void_strength: 'voidStrength',
};
