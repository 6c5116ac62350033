// Deterministic pseudo-random numbers for the simulator: sfc32 (small, fast, 32-bit state
// only, passes PractRand to 2^42) so the same seed gives the same day on every machine.
// No Math.random anywhere in the simulator: byte-identical output depends on it.

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // splitmix32 expands one number into four well-mixed state words.
    let s = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
    const mix = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard exponential. */
  exp(): number {
    return -Math.log(1 - this.u32() / 4294967296);
  }

  /**
   * Standard normal from a 4096-entry quantile table, linearly interpolated with the low bits
   * (one lookup instead of log/sqrt/cos; 32 KB stays in cache). Tails are cut near ±3.7σ; the
   * heavy tails the model needs come from its Pareto and log-normal mixtures anyway.
   */
  normal(): number {
    const u = this.u32();
    const i = u >>> 20;
    const f = (u & 0xfffff) / 0x100000;
    return NORMAL_Q[i] + f * (NORMAL_Q[i + 1] - NORMAL_Q[i]);
  }

  /** Pareto(xm, alpha): heavy tail, P(X > x) = (xm / x)^alpha. */
  pareto(xm: number, alpha: number): number {
    return xm * Math.pow(1 - this.u32() / 4294967296, -1 / alpha);
  }

  /** Log-normal with the given median and log-space sigma. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
}

/** Inverse standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
function invNorm(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

const NORMAL_Q = new Float64Array(4097);
for (let i = 0; i <= 4096; i++) NORMAL_Q[i] = invNorm(Math.min(1 - 1e-4, Math.max(1e-4, i / 4096)));
