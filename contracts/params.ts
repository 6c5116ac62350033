// The versioned model parameter file (SPEC §3 gold weights). Gold is computed with one
// parameter set; its hash is part of the dataset key, so changing a weight builds a new
// dataset instead of silently mixing two. The file is JSON: `{ "version": 1, ...fields }`;
// missing fields take the defaults below, unknown fields are rejected.

export const PARAMS_VERSION = 1;

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

export interface ParamsFile extends GoldParams {
  version: number;
}

/**
 * Defaults chosen so each term is of order one on ES: rho ≈ log1p(50) ≈ 4 at the touch,
 * phi_rest ∈ [0, 1), u_ema_32 ∈ roughly [−1, 1].
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
};

export class ParamsError extends Error {
  readonly code = 'params.invalid';
  constructor(
    readonly userMessage: string,
    readonly hint = 'see contracts/params.ts for the fields and their defaults',
  ) {
    super(userMessage);
    this.name = 'ParamsError';
  }
}

const INTEGER_FIELDS = new Set(['walls_top_n', 'voids_top_n', 'front_near_ticks']);

/** Validate a parsed parameter file and fill defaults. Throws ParamsError with a readable message. */
export function resolveParams(input: unknown = {}): ParamsFile {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ParamsError('the parameter file must be a JSON object');
  const obj = input as Record<string, unknown>;
  const version = obj.version ?? PARAMS_VERSION;
  if (version !== PARAMS_VERSION) throw new ParamsError(`parameter file version ${String(version)} is not supported (expected ${PARAMS_VERSION})`);
  const out: ParamsFile = { ...DEFAULT_PARAMS };
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'version') continue;
    if (!(k in DEFAULT_PARAMS)) throw new ParamsError(`unknown parameter '${k}'`);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ParamsError(`parameter '${k}' must be a finite number`);
    if (INTEGER_FIELDS.has(k) && (!Number.isInteger(v) || v < 0)) throw new ParamsError(`parameter '${k}' must be a non-negative integer`);
    (out as unknown as Record<string, number>)[k] = v;
  }
  return out;
}

/** Canonical JSON (sorted keys) used for hashing and for storing the parameters with a dataset. */
export function canonicalParamsJson(p: ParamsFile): string {
  const keys = Object.keys(p).sort();
  return JSON.stringify(Object.fromEntries(keys.map((k) => [k, (p as unknown as Record<string, number>)[k]])));
}
