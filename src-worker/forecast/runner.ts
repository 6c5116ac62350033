// ForecastRunner: sequential and stateful, push(row) → WindowForecast with every family.
//
// Timing (no look-ahead): the forecast of window t is made at its start (= the end of window
// t − 1). It reads row t's book-at-start fields (spot, BBO, queues, the OFI term from the
// previous start BBO to this one) and the field features of row t − 1 (gold of the window that
// just closed: F, nu_local, kappa asymmetry). The realised move at horizon h is
// spot(t + h) − spot(t), spot as stored (spot_ref at window start). A gap in the window
// sequence or an invalid window resets what spans windows.
import type { ParamsFile } from '../../contracts/params';
import { kIndex, nuIndex, sigmaIndex, type FeatureRow } from './featureRow';
import { newForecastBlock, toWindowForecast, type ForecastBlock } from './block';
import { FAMILY_STRIDE, micropriceForecast, noChangeForecast, ofiForecast, particleForecast, permForecast, queueImbalanceForecast } from './families';
import type { WindowForecast } from './types';

/** Fixed-size ring of numbers (rolling windows). */
class Ring {
  private readonly v: Float64Array;
  private head = 0;
  n = 0;
  constructor(readonly cap: number) {
    this.v = new Float64Array(cap);
  }
  push(x: number): void {
    this.v[this.head] = x;
    this.head = (this.head + 1) % this.cap;
    if (this.n < this.cap) this.n++;
  }
  sum(): number {
    let s = 0;
    for (let i = 0; i < this.n; i++) s += this.v[i];
    return s;
  }
  /** Mean and sample standard deviation (ddof 1) of the held values. */
  meanStd(): [number, number] {
    const n = this.n;
    const m = this.sum() / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (this.v[i] - m) * (this.v[i] - m);
    return [m, n > 1 ? Math.sqrt(ss / (n - 1)) : 0];
  }
  clear(): void {
    this.n = 0;
    this.head = 0;
  }
}

export class ForecastRunner {
  private prev: FeatureRow | null = null;
  private readonly asym: Ring;
  /** The last four z values, newest first (NaN = none yet). */
  private readonly z = [NaN, NaN, NaN, NaN];
  private readonly ofiE: Ring;
  private readonly ofiDepth: Ring;
  private readonly iNear: number;
  private readonly iFar: number;
  private readonly iPermK: number;
  private readonly nuAt: number;
  /** Reused by step(): valid until the next call. */
  private readonly block: ForecastBlock = newForecastBlock();

  constructor(readonly params: ParamsFile) {
    this.iNear = sigmaIndex(params.sigma_near);
    this.iFar = sigmaIndex(params.sigma_far);
    this.iPermK = kIndex(params.perm_k);
    this.nuAt = nuIndex(params.nu_shape, params.nu_k, 's1');
    this.asym = new Ring(params.perm_w);
    this.ofiE = new Ring(params.ofi_k);
    this.ofiDepth = new Ring(params.ofi_k);
  }

  /** The window's forecasts as objects (frames, tooltips, tests). */
  push(row: FeatureRow): WindowForecast {
    return toWindowForecast(this.step(row));
  }

  /** The window's forecasts, columnar, in a block reused by the next call (no allocation per point). */
  step(row: FeatureRow): ForecastBlock {
    const p = this.params;
    const B = this.block;
    B.windowSec = row.windowSec;
    let prev = this.prev;
    if (prev && prev.windowSec !== row.windowSec - 1) {
      // A gap: nothing that spans windows carries over.
      prev = null;
      this.asym.clear();
      this.z.fill(NaN);
      this.ofiE.clear();
      this.ofiDepth.clear();
    }
    this.prev = row;
    // OFI history: this window's term (0 when either book is invalid) and touch depth.
    this.ofiE.push(row.ofiE);
    if (row.valid) this.ofiDepth.push((row.bestBidQty + row.bestAskQty) / 2);
    const fields = prev !== null && prev.valid ? prev : null;
    // Permeability series: the asymmetry of the window that just closed.
    if (fields && fields.kappaAsym[this.iPermK] === fields.kappaAsym[this.iPermK]) {
      this.asym.push(fields.kappaAsym[this.iPermK]);
      if (this.asym.n >= p.perm_m) {
        const [m, sd] = this.asym.meanStd();
        const z = sd > 0 ? (fields.kappaAsym[this.iPermK] - m) / sd : 0;
        this.z[3] = this.z[2];
        this.z[2] = this.z[1];
        this.z[1] = this.z[0];
        this.z[0] = z;
      }
    }
    B.valid = row.valid;
    B.spotTick = row.valid ? row.spotTick : NaN;
    if (!row.valid) return B;

    const s = row.spotTick;
    const out = B.values;
    const inputs = B.inputs;
    // particle
    if (fields) {
      const o = this.nuAt;
      const c = fields.nu;
      inputs[0] = particleForecast(
        {
          spotTick: s,
          v0: prev!.valid ? s - prev!.spotTick : 0,
          fNear: fields.f[this.iNear],
          fFar: fields.f[this.iFar],
          fNearSlope: fields.fSlope[this.iNear],
          fFarSlope: fields.fSlope[this.iFar],
          nuLocalRaw: p.nu0 * c[o] + p.nu_rho * c[o + 1] + p.nu_phi * c[o + 2] + p.nu_s * c[o + 3] + p.lambda_opt * c[o + 4],
        },
        p,
        out,
        0,
      );
    } else {
      inputs[0] = particleForecast({ spotTick: s, v0: 0, fNear: 0, fFar: 0, fNearSlope: 0, fFarSlope: 0, nuLocalRaw: 0 }, p, out, 0);
      inputs[0].warming_up = 1;
    }
    // perm_derivative
    const [z0, z1, z2, z3] = this.z;
    const dz = z0 - z1;
    const d2z = dz - (z1 - z2);
    const d3z = d2z - (z1 - z2 - (z2 - z3));
    inputs[1] = permForecast({ spotTick: s, asym: fields ? fields.kappaAsym[this.iPermK] : NaN, z: z0, dz, d2z, d3z }, p, out, FAMILY_STRIDE);
    // baselines
    const touch = { spotTick: s, bidTick: row.bestBidTick, bidQty: row.bestBidQty, askTick: row.bestAskTick, askQty: row.bestAskQty };
    inputs[2] = noChangeForecast(s, p, out, 2 * FAMILY_STRIDE);
    inputs[3] = queueImbalanceForecast(touch, p, out, 3 * FAMILY_STRIDE);
    inputs[4] = micropriceForecast(touch, p, out, 4 * FAMILY_STRIDE);
    inputs[5] = ofiForecast(s, this.ofiE.sum(), this.ofiDepth.n > 0 ? this.ofiDepth.sum() / this.ofiDepth.n : 0, p, out, 5 * FAMILY_STRIDE);
    return B;
  }
}

/** Every window's forecast as objects, in order (tests, small spans; sessions: use step()). */
export function runForecasts(rows: readonly FeatureRow[], params: ParamsFile): WindowForecast[] {
  const r = new ForecastRunner(params);
  return rows.map((row) => r.push(row));
}

/** Run a session window by window, handing each columnar block to `each` (reused: copy what you keep). */
export function forEachForecast(rows: readonly FeatureRow[], params: ParamsFile, each: (b: ForecastBlock) => void): void {
  const r = new ForecastRunner(params);
  for (const row of rows) each(r.step(row));
}
