import { FIELD_INFO, type HeatmapField } from '../../contracts/protocol';
import { goldFuturePhysicsSurface1s } from '../../contracts/tables/gold';

// What each heatmap field means to a trader: a plain-language name first, the physics name
// (FIELD_INFO's label) second, one line of meaning, and the unit from the gold declaration
// (contracts/tables/gold.ts), so the selector, legend and tooltip say the same thing.

export interface FieldGloss {
  /** Plain-language name, e.g. "Resting depth". */
  plain: string;
  /** The physics name (FIELD_INFO label without its gloss), e.g. "Density ρ". */
  physics: string;
  /** One line for the selector's description. */
  description: string;
  /** Unit of the stored value ('' dimensionless). */
  unit: string;
}

const PLAIN: Record<HeatmapField, [string, string]> = {
  liquidity_velocity: ['Liquidity building / eroding', 'Size added minus pulled and filled per second, relative to the level’s depth: green builds, red erodes.'],
  add_intensity: ['Adds', 'Size added to the level per second, relative to its depth.'],
  pull_intensity: ['Pulls (cancels)', 'Size cancelled from the level per second, relative to its depth.'],
  fill_intensity: ['Fills', 'Size traded at the level per second, relative to its depth.'],
  rho: ['Resting depth', 'How much size rests at the level (log of 1 + lots): the classic liquidity heatmap.'],
  phi_rest: ['Staying power', 'Share of the level’s size that has rested since before this second.'],
  kappa: ['Thinness', 'How easily price passes the level: high where little size rests.'],
  nu: ['Stickiness', 'How strongly the level resists being traded through.'],
  u_wave_energy: ['Flow churn', 'How much building/eroding changes across time scales (2–128 s).'],
  pressure_grad: ['Pressure toward price', 'Recent building on bids and eroding on asks push up (green); the reverse pushes down (red).'],
  u_ema_2: ['Building / eroding, 2 s', 'Liquidity velocity smoothed over about 2 seconds.'],
  u_ema_8: ['Building / eroding, 8 s', 'Liquidity velocity smoothed over about 8 seconds.'],
  u_ema_32: ['Building / eroding, 32 s', 'Liquidity velocity smoothed over about 32 seconds.'],
  u_ema_128: ['Building / eroding, 2 min', 'Liquidity velocity smoothed over about 2 minutes.'],
  u_band_fast: ['Flow change, fast', 'The 2 s flow minus the 8 s flow: a level that just turned.'],
  u_band_mid: ['Flow change, medium', 'The 8 s flow minus the 32 s flow.'],
  u_band_slow: ['Flow change, slow', 'The 32 s flow minus the 2 min flow.'],
  du_dt: ['Flow acceleration', 'How fast building/eroding at the level is changing.'],
  d2u_dt2: ['Flow jerk', 'Change of the flow acceleration.'],
  du_dx: ['Flow edge', 'Change of building/eroding from one price to the next: fronts show up here.'],
  d2u_dx2: ['Flow curvature', 'Second difference of building/eroding across prices.'],
  dnu_dx: ['Stickiness edge', 'Change of stickiness from one price to the next.'],
  d2nu_dx2: ['Stickiness curvature', 'Second difference of stickiness across prices.'],
  wall_strength: ['Walls', 'Large, persistent resting size that holds price: high where a wall stands.'],
  void_strength: ['Voids', 'Levels that are being emptied: price tends to travel through them.'],
};

const UNITS = new Map(goldFuturePhysicsSurface1s.columns.map((c) => [c.name, c.unit]));

export function fieldGloss(f: HeatmapField): FieldGloss {
  const [plain, description] = PLAIN[f] ?? [FIELD_INFO[f]?.label ?? f, ''];
  // The physics name without its gloss: "Liquidity velocity u (building / eroding)" → "Liquidity velocity u".
  const physics = (FIELD_INFO[f]?.label ?? f).replace(/\s*\(.*\)$/, '').replace(/\s*=.*$/, '');
  return { plain, physics, description, unit: UNITS.get(f) ?? '' };
}

/** "Resting depth (Density ρ)": the selector's label. */
export function fieldTitle(f: HeatmapField): string {
  const g = fieldGloss(f);
  return `${g.plain} (${g.physics})`;
}
