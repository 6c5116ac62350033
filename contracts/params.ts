// The versioned model parameter file: the gold weights (SPEC §3) and the forecast's
// parameters (SPEC §4, issue 11) in one JSON object `{ "version": 2, ...fields }`. Missing
// fields take the defaults below; unknown fields, wrong types and unknown versions are refused
// with a ParamsError that names the field.
//
// Two groups, two lifetimes:
// - gold fields are baked into the stored gold tables: their hash is part of the dataset key
//   (goldParamsJson), so changing one builds a new dataset instead of silently mixing two;
// - forecast fields are applied at read time over the stored feature rows
//   (gold.future_mbo__forecast_features_1s): changing one never rebuilds a dataset.
//
// Version history: 1 held the gold fields only (upgraded on load: the forecast fields take
// their defaults); 2 adds the forecast fields. Docs: docs/FORECAST.md.

export const PARAMS_VERSION = 2;
/** The version the gold hash is computed under: kept at 1 so every existing dataset key stays valid. */
const GOLD_HASH_VERSION = 1;

export interface GoldParams {
  /** Viscosity nu = nu0 + nu_rho·rho + nu_phi·phi_rest + nu_s·max(0, u_ema_32). */
  nu0: number;
  nu_rho: number;
  nu_phi: number;
  nu_s: number;
  /** Wall strength O = rho·(1 + lambda_phi·phi_rest)·(1 + lambda_s·max(0, u_ema_32)). */
  lambda_phi: number;
  lambda_s: number;
  /** Per window: the N nearest walls (and voids) above and below spot are reported. */
  walls_top_n: number;
  voids_top_n: number;
  /** A level counts as a wall when O ≥ wall_min_strength, as a void when V ≥ void_min_strength. */
  wall_min_strength: number;
  void_min_strength: number;
  /** Front: max |du_dx| within front_near_ticks of spot (either side) ≥ front_threshold. */
  front_near_ticks: number;
  front_threshold: number;
}

/** Kernel widths (ticks) whose pressure sums are stored per window: σ_near / σ_far pick from these. */
export const FORECAST_SIGMAS = [2, 4, 8, 16, 32, 64] as const;
/** Half-widths K (ticks) whose viscosity components and kappa asymmetry are stored per window. */
export const FORECAST_KS = [2, 5, 10, 20] as const;
/** Shapes of the viscosity weights wν(d) over 0 ≤ d ≤ K (both normalised to sum 1). */
export const NU_SHAPES = ['flat', 'triangular'] as const;
export type NuShape = (typeof NU_SHAPES)[number];
export const EXTRAPOLATIONS = ['frozen', 'slope'] as const;
export type Extrapolation = (typeof EXTRAPOLATIONS)[number];
/** Same list as contracts/forecast.ts FORECAST_FAMILIES (kept here so params stay self-contained). */
export const PARAM_FAMILIES = ['particle', 'perm_derivative', 'no_change', 'queue_imbalance', 'microprice', 'ofi'] as const;
export type ParamFamily = (typeof PARAM_FAMILIES)[number];

export interface ForecastParams {
  /** Family shown when nothing else is chosen. */
  default_family: ParamFamily;
  // ---- particle (SPEC §4) ----
  /** Thrust: v(t+1) = clamp(1 − γ·nu_local, 0, 1)·v(t) + β·F(t). Ticks/s per unit F. */
  beta: number;
  gamma: number;
  /** F = F_near + λ_far·F_far. */
  lambda_far: number;
  /** Gaussian kernel widths (ticks) of F_near and F_far: one of FORECAST_SIGMAS. */
  sigma_near: number;
  sigma_far: number;
  /** nu_local = Σ_{|x|≤K} wν(|x|)·nu_total(x): K one of FORECAST_KS, wν's shape one of NU_SHAPES. */
  nu_k: number;
  nu_shape: NuShape;
  /** Lower bound of nu_local. */
  nu_min: number;
  /** confidence = |F| / (nu_local + ε). */
  epsilon: number;
  /** nu_total = nu + λ_opt·O_opt_spread (O_opt is 0 until option books exist). */
  lambda_opt: number;
  /** frozen field, or F extrapolated by the slope of u_ema_8 (its kernel sum clipped to ±slope_clip per s). */
  extrapolation: Extrapolation;
  slope_clip: number;
  /** Band half-width at h s: band_ticks·√h·(½ + ½/(1 + confidence)). */
  band_ticks: number;
  // ---- perm_derivative (SPEC §4) ----
  /** Kappa asymmetry within K ticks (one of FORECAST_KS), z-scored over W windows once M are seen. */
  perm_k: number;
  perm_w: number;
  perm_m: number;
  /** score = w1·Δz + w2·Δ²z + w3·Δ³z. */
  perm_w1: number;
  perm_w2: number;
  perm_w3: number;
  /** Predicted move at h s: perm_drift_ticks·tanh(score)·√h. */
  perm_drift_ticks: number;
  // ---- baselines ----
  /** queue_imbalance: predicted move sign(I)·qi_step_ticks, I = (q_bid − q_ask)/(q_bid + q_ask). */
  qi_step_ticks: number;
  /** ofi: sum of e_n over the last ofi_k windows, normalised by the mean touch depth. */
  ofi_k: number;
  /** Predicted move: clamp(ofi_coef·OFI/depth, ±ofi_max_ticks); P(up) = logistic(ofi_prob_scale·OFI/depth). */
  ofi_coef: number;
  ofi_max_ticks: number;
  ofi_prob_scale: number;
}

export type ParamsFile = GoldParams & ForecastParams & { version: number };

type FieldSpec =
  | { group: 'gold' | 'forecast'; kind: 'number'; min?: number; positive?: boolean; doc: string }
  | { group: 'gold' | 'forecast'; kind: 'int'; min: number; max?: number; doc: string }
  | { group: 'forecast'; kind: 'member'; of: readonly number[]; doc: string }
  | { group: 'forecast'; kind: 'enum'; of: readonly string[]; doc: string };

/** Every field: its group, its type and range, one line of meaning (docs/FORECAST.md lists them). */
export const PARAM_FIELDS: Record<Exclude<keyof ParamsFile, 'version'>, FieldSpec> = {
  nu0: { group: 'gold', kind: 'number', doc: 'viscosity constant' },
  nu_rho: { group: 'gold', kind: 'number', doc: 'viscosity weight of density rho' },
  nu_phi: { group: 'gold', kind: 'number', doc: 'viscosity weight of persistence phi_rest' },
  nu_s: { group: 'gold', kind: 'number', doc: 'viscosity weight of max(0, u_ema_32)' },
  lambda_phi: { group: 'gold', kind: 'number', doc: 'wall strength factor of phi_rest' },
  lambda_s: { group: 'gold', kind: 'number', doc: 'wall strength factor of max(0, u_ema_32)' },
  walls_top_n: { group: 'gold', kind: 'int', min: 0, doc: 'walls reported above and below spot' },
  voids_top_n: { group: 'gold', kind: 'int', min: 0, doc: 'voids reported above and below spot' },
  wall_min_strength: { group: 'gold', kind: 'number', doc: 'minimum wall strength O' },
  void_min_strength: { group: 'gold', kind: 'number', doc: 'minimum void strength V' },
  front_near_ticks: { group: 'gold', kind: 'int', min: 0, doc: 'ticks from spot searched for a front' },
  front_threshold: { group: 'gold', kind: 'number', doc: '|du_dx| that flags a front' },
  default_family: { group: 'forecast', kind: 'enum', of: PARAM_FAMILIES, doc: 'family shown by default' },
  beta: { group: 'forecast', kind: 'number', doc: 'particle thrust per unit F (ticks/s²)' },
  gamma: { group: 'forecast', kind: 'number', min: 0, doc: 'particle damping per unit nu_local' },
  lambda_far: { group: 'forecast', kind: 'number', doc: 'weight of F_far in F' },
  sigma_near: { group: 'forecast', kind: 'member', of: FORECAST_SIGMAS, doc: 'kernel width of F_near (ticks)' },
  sigma_far: { group: 'forecast', kind: 'member', of: FORECAST_SIGMAS, doc: 'kernel width of F_far (ticks)' },
  nu_k: { group: 'forecast', kind: 'member', of: FORECAST_KS, doc: 'half-width K of nu_local (ticks)' },
  nu_shape: { group: 'forecast', kind: 'enum', of: NU_SHAPES, doc: 'shape of the nu_local weights wν' },
  nu_min: { group: 'forecast', kind: 'number', min: 0, doc: 'lower bound of nu_local' },
  epsilon: { group: 'forecast', kind: 'number', positive: true, doc: 'ε in confidence = |F| / (nu_local + ε)' },
  lambda_opt: { group: 'forecast', kind: 'number', doc: 'weight of the option obstacle O_opt_spread in nu_total' },
  extrapolation: { group: 'forecast', kind: 'enum', of: EXTRAPOLATIONS, doc: 'field over the 30 steps: frozen, or u_ema_8 extrapolated by its slope' },
  slope_clip: { group: 'forecast', kind: 'number', min: 0, doc: 'clip of the kernel-summed slope of F (per s)' },
  band_ticks: { group: 'forecast', kind: 'number', min: 0, doc: 'particle band half-width at 1 s with zero confidence (ticks)' },
  perm_k: { group: 'forecast', kind: 'member', of: FORECAST_KS, doc: 'kappa asymmetry half-width K (ticks)' },
  perm_w: { group: 'forecast', kind: 'int', min: 2, max: 100_000, doc: 'z-score window W (windows)' },
  perm_m: { group: 'forecast', kind: 'int', min: 2, max: 100_000, doc: 'z-score min periods M (windows)' },
  perm_w1: { group: 'forecast', kind: 'number', doc: 'weight of Δz' },
  perm_w2: { group: 'forecast', kind: 'number', doc: 'weight of Δ²z' },
  perm_w3: { group: 'forecast', kind: 'number', doc: 'weight of Δ³z' },
  perm_drift_ticks: { group: 'forecast', kind: 'number', min: 0, doc: 'perm_derivative move scale (ticks at 1 s)' },
  qi_step_ticks: { group: 'forecast', kind: 'number', min: 0, doc: 'queue_imbalance predicted move (ticks)' },
  ofi_k: { group: 'forecast', kind: 'int', min: 1, max: 3600, doc: 'OFI lookback k (windows = seconds)' },
  ofi_coef: { group: 'forecast', kind: 'number', doc: 'ticks per unit of OFI / mean touch depth' },
  ofi_max_ticks: { group: 'forecast', kind: 'number', min: 0, doc: 'clip of the OFI predicted move (ticks)' },
  ofi_prob_scale: { group: 'forecast', kind: 'number', min: 0, doc: 'slope of the OFI P(up) logistic' },
};

export const GOLD_PARAM_KEYS = (Object.keys(PARAM_FIELDS) as (keyof typeof PARAM_FIELDS)[]).filter((k) => PARAM_FIELDS[k].group === 'gold') as (keyof GoldParams)[];
export const FORECAST_PARAM_KEYS = (Object.keys(PARAM_FIELDS) as (keyof typeof PARAM_FIELDS)[]).filter((k) => PARAM_FIELDS[k].group === 'forecast') as (keyof ForecastParams)[];

/**
 * Gold defaults chosen so each term is of order one on ES: rho ≈ log1p(50) ≈ 4 at the touch,
 * phi_rest ∈ [0, 1), u_ema_32 ∈ roughly [−1, 1]. Forecast defaults: see docs/FORECAST.md
 * (uncalibrated; calibration tunes them).
 */
export const DEFAULT_PARAMS: ParamsFile = {
  version: PARAMS_VERSION,
  nu0: 1,
  nu_rho: 0.25,
  nu_phi: 1,
  nu_s: 1,
  lambda_phi: 1,
  lambda_s: 1,
  walls_top_n: 3,
  voids_top_n: 3,
  wall_min_strength: 4,
  void_min_strength: 0.05,
  front_near_ticks: 5,
  front_threshold: 0.5,
  default_family: 'particle',
  beta: 0.05,
  gamma: 0.3,
  lambda_far: 0.5,
  sigma_near: 8,
  sigma_far: 32,
  nu_k: 5,
  nu_shape: 'flat',
  nu_min: 0.1,
  epsilon: 0.01,
  lambda_opt: 1,
  extrapolation: 'frozen',
  slope_clip: 0.5,
  band_ticks: 1,
  perm_k: 5,
  perm_w: 60,
  perm_m: 20,
  perm_w1: 1,
  perm_w2: 0.5,
  perm_w3: 0.25,
  perm_drift_ticks: 0.5,
  qi_step_ticks: 0.5,
  ofi_k: 5,
  ofi_coef: 1,
  ofi_max_ticks: 4,
  ofi_prob_scale: 2,
};

export class ParamsError extends Error {
  readonly code = 'params.invalid';
  constructor(
    readonly userMessage: string,
    readonly hint = 'see docs/FORECAST.md (parameters) for the fields and their defaults',
    /** The offending field, when there is one. */
    readonly field?: string,
  ) {
    super(userMessage);
    this.name = 'ParamsError';
  }
}

/**
 * Check one value against its field. `fromText`: the value came from a command line or the UI
 * (`--set beta=0.1`), so numbers are parsed from text; an enum field also takes its index
 * (0 = first value) so a numbers-only channel can set it.
 */
export function checkParam(name: string, value: unknown, fromText = false): number | string {
  const spec = (PARAM_FIELDS as Record<string, FieldSpec>)[name];
  if (!spec || !Object.prototype.hasOwnProperty.call(PARAM_FIELDS, name)) throw new ParamsError(`unknown parameter '${name}'`, undefined, name);
  if (spec.kind === 'enum') {
    if (typeof value === 'string' && spec.of.includes(value)) return value;
    const idx = typeof value === 'number' ? value : fromText && typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
    if (Number.isInteger(idx) && idx >= 0 && idx < spec.of.length && (fromText || typeof value === 'number')) return spec.of[idx];
    throw new ParamsError(`parameter '${name}' must be one of ${spec.of.join(', ')} (got ${JSON.stringify(value)})`, undefined, name);
  }
  let v = value;
  if (fromText && typeof v === 'string' && v.trim() !== '') v = Number(v);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ParamsError(`parameter '${name}' must be a finite number (got ${JSON.stringify(value)})`, undefined, name);
  if (spec.kind === 'int') {
    if (!Number.isInteger(v) || v < spec.min || (spec.max !== undefined && v > spec.max))
      throw new ParamsError(`parameter '${name}' must be an integer ${spec.max === undefined ? `≥ ${spec.min}` : `in ${spec.min}…${spec.max}`} (got ${v})`, undefined, name);
  } else if (spec.kind === 'member') {
    if (!spec.of.includes(v)) throw new ParamsError(`parameter '${name}' must be one of ${spec.of.join(', ')} (got ${v}): the feature rows store only these`, undefined, name);
  } else {
    if (spec.min !== undefined && v < spec.min) throw new ParamsError(`parameter '${name}' must be ≥ ${spec.min} (got ${v})`, undefined, name);
    if (spec.positive && !(v > 0)) throw new ParamsError(`parameter '${name}' must be > 0 (got ${v})`, undefined, name);
  }
  return v;
}

/** Validate a parsed parameter file (version 1 or 2) and fill defaults. Throws ParamsError naming the field. */
export function resolveParams(input: unknown = {}): ParamsFile {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ParamsError('the parameter file must be a JSON object');
  const obj = input as Record<string, unknown>;
  const version = obj.version ?? PARAMS_VERSION;
  if (version !== 1 && version !== PARAMS_VERSION)
    throw new ParamsError(`parameter file version ${JSON.stringify(version)} is not supported (expected 1 or ${PARAMS_VERSION})`, 'write "version": 2 (version 1 files hold only the gold weights and are upgraded)', 'version');
  const out: ParamsFile = { ...DEFAULT_PARAMS };
  const rec = out as unknown as Record<string, number | string>;
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'version') continue;
    // A version-1 file held only the gold weights: a forecast field there is a mislabelled file.
    if (version === 1 && Object.prototype.hasOwnProperty.call(PARAM_FIELDS, k) && (PARAM_FIELDS as Record<string, FieldSpec>)[k].group !== 'gold')
      throw new ParamsError(`parameter '${k}' is not a version-1 field (version 1 holds only the gold weights)`, 'set "version": 2 to use forecast parameters', k);
    rec[k] = checkParam(k, v);
  }
  out.version = PARAMS_VERSION;
  return out;
}

/** Apply single-value overrides (`--set name=value`, the UI) to resolved params; values may be text. */
export function applyParamOverrides(p: ParamsFile, set: Record<string, unknown>): ParamsFile {
  const out: ParamsFile = { ...p };
  const rec = out as unknown as Record<string, number | string>;
  for (const [k, v] of Object.entries(set)) {
    if (k === 'version') throw new ParamsError(`'version' cannot be overridden`, undefined, 'version');
    rec[k] = checkParam(k, v, true);
  }
  return out;
}

/** Parse `name=value` override strings into a record (typed error on a malformed one). */
export function parseParamSets(sets: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0 || eq === s.length - 1) throw new ParamsError(`--set '${s}' must look like name=value`, 'e.g. --set beta=0.1 --set extrapolation=slope');
    out[s.slice(0, eq).trim()] = s.slice(eq + 1).trim();
  }
  return out;
}

/** The gold fields of a parameter set (what a dataset is built with). */
export function goldParamsOf(p: ParamsFile): GoldParams {
  return Object.fromEntries(GOLD_PARAM_KEYS.map((k) => [k, p[k]])) as unknown as GoldParams;
}

/**
 * Canonical JSON (sorted keys) of the GOLD fields only, under the gold hash version (1): the
 * dataset key hashes this, so forecast fields never rebuild a dataset, and every dataset built
 * before the forecast fields existed keeps its key (same string as before).
 */
export function goldParamsJson(p: GoldParams): string {
  const g: Record<string, number> = { version: GOLD_HASH_VERSION };
  for (const k of GOLD_PARAM_KEYS) g[k] = p[k];
  const keys = Object.keys(g).sort();
  return JSON.stringify(Object.fromEntries(keys.map((k) => [k, g[k]])));
}

/** Canonical JSON (sorted keys) of the whole parameter set (reports, exported files). */
export function canonicalParamsJson(p: ParamsFile): string {
  const keys = Object.keys(p).sort();
  return JSON.stringify(Object.fromEntries(keys.map((k) => [k, (p as unknown as Record<string, number | string>)[k]])));
}
