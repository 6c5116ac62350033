import { col, type ColumnDecl, type TableDecl } from '../columns';
import { FORECAST_KS, FORECAST_SIGMAS, NU_SHAPES, type NuShape } from '../params';

// The forecast's per-window feature row (SPEC §4, issue 11; docs/FORECAST.md): everything the
// model families read, computed by the engine as each window closes (ForecastFeatureStep) and
// stored once per session window, so forecasts and calibration re-run over these rows alone —
// never the book or gold. Parameter-weighted sums are stored as their linear components over
// small fixed sets (kernel widths σ, half-widths K, weight shapes): any weights apply at read
// time. Field features read the window's gold rows: a level without a row this window is an
// empty level (rho = phi_rest = 0, kappa = 1, no u_ema terms). Bids count below spot (bid
// levels with rel_ticks ≤ 0), asks above (ask levels with rel_ticks ≥ 0), at distance |rel_ticks|.

/** Components of nu_local = nu0·S₁ + nu_rho·S_ρ + nu_phi·S_φ + nu_s·S_s + λ_opt·S_opt. */
export const NU_COMPONENTS = ['s1', 'rho', 'phi', 's', 'opt'] as const;
export type NuComponent = (typeof NU_COMPONENTS)[number];
/** Levels (per side, from spot) averaged into wave_energy_near. */
export const WAVE_NEAR_TICKS = 5;

export const fColumn = (sigma: number) => `f_s${sigma}`;
export const fSlopeColumn = (sigma: number) => `f_slope_s${sigma}`;
export const nuColumn = (comp: NuComponent, k: number, shape: NuShape) => `nu_${comp}_k${k}${shape === 'flat' ? '' : '_tri'}`;
export const kappaAsymColumn = (k: number) => `kappa_asym_k${k}`;

const SHAPE_MEANING: Record<NuShape, string> = { flat: 'flat weights', triangular: 'triangular weights (K + 1 − d)' };
const COMP_MEANING: Record<NuComponent, string> = {
  s1: 'Σ wν (1 up to rounding)',
  rho: 'Σ wν·rho',
  phi: 'Σ wν·phi_rest',
  s: 'Σ wν·max(0, u_ema_32)',
  opt: 'Σ wν·O_opt_spread (0 until option books exist)',
};

function nuColumns(): ColumnDecl[] {
  const out: ColumnDecl[] = [];
  for (const shape of NU_SHAPES)
    for (const k of FORECAST_KS)
      for (const c of NU_COMPONENTS) out.push(col(nuColumn(c, k, shape), 'f64', '', `nu_local component, |x| ≤ ${k}, ${SHAPE_MEANING[shape]} normalised to sum 1: ${COMP_MEANING[c]}`, true));
  return out;
}

export const goldFutureForecastFeatures1s: TableDecl = {
  stage: 'gold',
  product: 'future_mbo',
  name: 'forecast_features_1s',
  meaning: 'one row per session window: the inputs of every forecast family (spot, BBO, OFI term, pressure sums F per kernel width, nu_local components, kappa asymmetry, wave energy, nearest wall/void); field columns NULL when the book is invalid',
  columns: [
    col('dataset_id', 'u32', '', 'catalog.datasets row'),
    col('window_end_ts_ns', 'ts_ns', 'ns', 'window end (k+1)·1e9, exclusive'),
    col('book_valid', 'bool', '', 'both sides present and best bid < best ask at window start'),
    col('spot_tick', 'i32', 'ticks', 'spot_ref / tick at window start', true),
    col('best_bid_tick', 'i32', 'ticks', 'best bid / tick at window start', true),
    col('best_bid_qty', 'u32', 'contracts', 'resting quantity at the best bid at window start'),
    col('best_ask_tick', 'i32', 'ticks', 'best ask / tick at window start', true),
    col('best_ask_qty', 'u32', 'contracts', 'resting quantity at the best ask at window start'),
    col('last_trade_price_int', 'price_int', '1e-9 USD', 'price of the most recent T before window start', true),
    col('ofi_e', 'f64', 'contracts', 'Cont–Kukanov–Stoikov e_n from the previous to this window-start BBO (0 when either book is invalid)'),
    ...FORECAST_SIGMAS.map((s) => col(fColumn(s), 'f64', '1/s', `F over the ladder with Gaussian weights σ = ${s}: Σ exp(−d²/2σ²)·pressure_grad`, true)),
    ...FORECAST_SIGMAS.map((s) => col(fSlopeColumn(s), 'f64', '1/s²', `slope of F (σ = ${s}) per s: the same sum over the per-window change of u_ema_8, α₈(u − u_ema_8)/(1 − α₈)`, true)),
    ...nuColumns(),
    ...FORECAST_KS.map((k) => col(kappaAsymColumn(k), 'f64', '', `mean kappa of the ${k} ask levels from the best ask − mean kappa of the ${k} bid levels from the best bid`, true)),
    col('wave_energy_near', 'f64', '1/s', `mean u_wave_energy over the levels within ${WAVE_NEAR_TICKS} ticks of spot (bids below, asks above)`, true),
    col('wall_above_ticks', 'i32', 'ticks', 'distance from spot to the nearest wall above (walls_voids_1s rank 1); NULL when none', true),
    col('wall_below_ticks', 'i32', 'ticks', 'distance from spot to the nearest wall below; NULL when none', true),
    col('void_above_ticks', 'i32', 'ticks', 'distance from spot to the nearest void above; NULL when none', true),
    col('void_below_ticks', 'i32', 'ticks', 'distance from spot to the nearest void below; NULL when none', true),
  ],
  key: ['dataset_id', 'window_end_ts_ns'],
  storageNote:
    'Written at ingest by ForecastFeatureStep (src-worker/forecast/featureStep.ts), one row per session window (~75 values: ≈ 20 ms per real hour). Any β, γ, λ, nu weight or baseline setting applies at read time; σ, K and the wν shape are chosen from the stored sets.',
};
