// Hand-computed cases for every family on tiny synthetic grids and rows, the nu_local / F
// decomposition identity (stored components × any weights = the direct formula over the
// cells), and the evaluation's definitions on a hand-made sequence.
import { describe, expect, it } from 'vitest';
import { applyParamOverrides, DEFAULT_PARAMS, FORECAST_KS, FORECAST_SIGMAS, type ParamsFile } from '../../contracts/params';
import { WindowGrid } from '../fields/windowGrid';
import { emptyFeatureRow, kIndex, nuIndex, sigmaIndex, type FeatureRow } from './featureRow';
import { ForecastFeatureStep, nuWeight, ofiTerm } from './featureStep';
import { evaluateForecasts, ForecastEvaluator } from './evaluate';
import { ForecastRunner } from './runner';
import type { WindowForecast } from './types';

const P = (set: Record<string, unknown>): ParamsFile => applyParamOverrides(DEFAULT_PARAMS, set);

/** half = 3: bid cells c = 0…6 (rel −3…3), ask cells c = 7…13. */
function tinyGrid(windowSec: number): WindowGrid {
  const g = new WindowGrid(3, 1);
  g.windowSec = windowSec;
  g.valid = true;
  g.spotTick = 100;
  g.bestBidTick = 100;
  g.bestAskTick = 101;
  g.bestBidQty = 30;
  g.bestAskQty = 10;
  g.kappa.fill(1);
  const cell = (c: number, v: { ema8: number; u: number; rho: number; phi: number; ema32: number; kappa?: number; bid: boolean }) => {
    g.hasRow[c] = 1;
    g.ema8[c] = v.ema8;
    g.pressureGrad[c] = v.bid ? v.ema8 : -v.ema8;
    g.u[c] = v.u;
    g.rho[c] = v.rho;
    g.phiRest[c] = v.phi;
    g.ema32[c] = v.ema32;
    g.kappa[c] = v.kappa ?? 1 / (1 + v.rho);
  };
  cell(3, { bid: true, ema8: 0.5, u: 1, rho: 2, phi: 0.5, ema32: 0.2, kappa: 1 / 3 }); // bid, d = 0
  cell(1, { bid: true, ema8: 0.2, u: 0, rho: 1, phi: 0, ema32: -0.1 }); // bid, d = 2
  cell(11, { bid: false, ema8: -0.4, u: -1, rho: 3, phi: 1, ema32: 0.3, kappa: 0.25 }); // ask, d = 1
  cell(9, { bid: false, ema8: 5, u: 5, rho: 0, phi: 0, ema32: 0, kappa: 1 }); // ask below spot: not counted
  g.ema8[2] = 7; // bid d = 1 without a row: not counted
  g.pressureGrad[2] = 7;
  g.wallsAbove[0] = 11;
  g.wallsBelow[0] = 1;
  return g;
}

describe('feature row on a tiny grid (hand-computed)', () => {
  const step = new ForecastFeatureStep();
  step.onWindow(tinyGrid(10));
  const r = step.last!;
  it('F per σ and its slope', () => {
    expect(r.f[sigmaIndex(2)]).toBeCloseTo(0.5 + 0.4 * Math.exp(-1 / 8) + 0.2 * Math.exp(-4 / 8), 12);
    expect(r.f[sigmaIndex(4)]).toBeCloseTo(0.5 + 0.4 * Math.exp(-1 / 32) + 0.2 * Math.exp(-4 / 32), 12);
    const a = 1 - Math.exp(-1 / 8);
    const k = a / (1 - a);
    // bid d0: +k(1 − 0.5); ask d1: −k(−1 + 0.4); bid d2: +k(0 − 0.2)
    expect(r.fSlope[sigmaIndex(2)]).toBeCloseTo(k * 0.5 + 0.6 * k * Math.exp(-1 / 8) - 0.2 * k * Math.exp(-4 / 8), 12);
  });
  it('nu_local components, K = 2', () => {
    expect(r.nu[nuIndex('flat', 2, 's1')]).toBeCloseTo(1, 12);
    expect(r.nu[nuIndex('flat', 2, 'rho')]).toBeCloseTo((2 + 1 + 3) / 6, 12);
    expect(r.nu[nuIndex('flat', 2, 'phi')]).toBeCloseTo(1.5 / 6, 12);
    expect(r.nu[nuIndex('flat', 2, 's')]).toBeCloseTo(0.5 / 6, 12);
    expect(r.nu[nuIndex('flat', 2, 'opt')]).toBe(0);
    expect(r.nu[nuIndex('triangular', 2, 'rho')]).toBeCloseTo((2 * 3 + 3 * 2 + 1 * 1) / 12, 12);
    expect(r.nu[nuIndex('triangular', 2, 's1')]).toBeCloseTo(1, 12);
  });
  it('kappa asymmetry, wave energy, walls, OFI term', () => {
    // asks from 101: rel 1 (0.25), rel 2 (1); bids from 100: rel 0 (1/3), rel −1 (1)
    expect(r.kappaAsym[kIndex(2)]).toBeCloseTo((0.25 + 1) / 2 - (1 / 3 + 1) / 2, 12);
    expect(r.wallAboveTicks).toBe(1);
    expect(r.wallBelowTicks).toBe(2);
    expect(r.voidAboveTicks).toBeNaN();
    expect(r.ofiE).toBe(0); // first window
    // bid 100×20 / ask 101×15 → bid 101×5 / ask 102×8: e = 5 − 0 − 0 + 15
    expect(ofiTerm(100, 20, 101, 15, 101, 5, 102, 8)).toBe(20);
    expect(ofiTerm(100, 20, 101, 15, 100, 25, 101, 15)).toBe(5);
  });
});

describe('particle (SPEC §4), hand-computed', () => {
  const run = (p: ParamsFile) => {
    const step = new ForecastFeatureStep();
    step.onWindow(tinyGrid(10));
    const g = tinyGrid(11);
    g.spotTick = 101; // moved up one tick: v0 = 1
    step.onWindow(g);
    const rows = [];
    const s2 = new ForecastFeatureStep();
    s2.onWindow(tinyGrid(10));
    rows.push(s2.last!);
    rows.push(step.last!);
    const runner = new ForecastRunner(p);
    runner.push(rows[0]);
    return runner.push(rows[1]).families.find((f) => f.family === 'particle')!;
  };
  const F2 = 0.5 + 0.4 * Math.exp(-1 / 8) + 0.2 * Math.exp(-4 / 8);
  const F4 = 0.5 + 0.4 * Math.exp(-1 / 32) + 0.2 * Math.exp(-4 / 32);
  const F = F2 + 0.5 * F4;
  const nuLocal = 1 * 1 + 0.25 * 1 + 1 * 0.25 + 1 * (0.5 / 6); // nu0·S1 + nu_rho·Sρ + nu_phi·Sφ + nu_s·Ss
  it('frozen field: v(h) = clamp(1 − γ·nu_local)·v(h−1) + β·F, x(h) = x(h−1) + v(h)', () => {
    const p = P({ sigma_near: 2, sigma_far: 4, lambda_far: 0.5, nu_k: 2, gamma: 0.3, beta: 0.05, band_ticks: 1, epsilon: 0.01 });
    const f = run(p);
    const damp = 1 - 0.3 * nuLocal;
    const v1 = damp * 1 + 0.05 * F;
    const v2 = damp * v1 + 0.05 * F;
    expect(f.points[0].predictedTick).toBeCloseTo(101 + v1, 12);
    expect(f.points[1].predictedTick).toBeCloseTo(101 + v1 + v2, 12);
    expect(f.points[0].direction).toBe(1);
    const conf = F / (nuLocal + 0.01);
    expect(f.points[0].confidence).toBeCloseTo(conf, 12);
    expect(f.points[3].bandHiTick - f.points[3].predictedTick).toBeCloseTo(2 * (0.5 + 0.5 / (1 + conf)), 12);
    expect(f.points).toHaveLength(30);
    expect(f.inputs.nu_local).toBeCloseTo(nuLocal, 12);
    // Heavy damping clamps at 0: the velocity is β·F each step.
    const g = run(P({ sigma_near: 2, sigma_far: 4, lambda_far: 0.5, nu_k: 2, gamma: 10, beta: 0.05 }));
    expect(g.points[2].predictedTick).toBeCloseTo(101 + 3 * 0.05 * F, 12);
    // nu_min bounds nu_local from below.
    expect(run(P({ sigma_near: 2, sigma_far: 4, nu_k: 2, nu_min: 5 })).inputs.nu_local).toBe(5);
  });
  it('slope extrapolation: F(h−1) = F + (h−1)·clip(slope)', () => {
    const p = P({ sigma_near: 2, sigma_far: 4, lambda_far: 0.5, nu_k: 2, gamma: 0.3, beta: 0.05, extrapolation: 'slope', slope_clip: 0.01 });
    const f = run(p);
    const a = 1 - Math.exp(-1 / 8);
    const k = a / (1 - a);
    const slope = (s: number) => k * 0.5 + 0.6 * k * Math.exp(-1 / (2 * s * s)) - 0.2 * k * Math.exp(-4 / (2 * s * s));
    const raw = slope(2) + 0.5 * slope(4);
    expect(raw).toBeGreaterThan(0.01); // the clip is active
    const damp = 1 - 0.3 * nuLocal;
    const v1 = damp * 1 + 0.05 * F;
    const v2 = damp * v1 + 0.05 * (F + 0.01);
    expect(f.points[1].predictedTick).toBeCloseTo(101 + v1 + v2, 12);
    expect(f.inputs.F_slope).toBe(0.01);
  });
});

function row(windowSec: number, set: Partial<FeatureRow> & { asym?: number }): FeatureRow {
  const r = emptyFeatureRow(windowSec);
  Object.assign(r, { valid: true, spotTick: 100, bestBidTick: 100, bestAskTick: 101, bestBidQty: 30, bestAskQty: 10 }, set);
  r.f.fill(0);
  r.fSlope.fill(0);
  r.nu.fill(0);
  r.kappaAsym.fill(set.asym ?? 0);
  return r;
}

describe('perm_derivative, hand-computed', () => {
  it('rolling z over W = 4 (min periods 3), Δz, Δ²z, Δ³z, score → drift', () => {
    const p = P({ perm_k: 5, perm_w: 4, perm_m: 3, perm_w1: 1, perm_w2: 0.5, perm_w3: 0.25, perm_drift_ticks: 0.5 });
    const runner = new ForecastRunner(p);
    const asym = [0, 1, 0, 1, 2, 0, 9];
    let last!: WindowForecast;
    asym.forEach((a, i) => (last = runner.push(row(i, { asym: a }))));
    const f = last.families.find((x) => x.family === 'perm_derivative')!;
    // z of the windows 2…5 (the series a0…a5, sample sd over the last ≤ 4):
    // [0,1,0] → −0.577350; [0,1,0,1] → 0.866025; [1,0,1,2] → 1.224745; [0,1,2,0] → −0.783349
    expect(f.inputs.z).toBeCloseTo(-0.783349, 5);
    expect(f.inputs.dz).toBeCloseTo(-2.008094, 5);
    expect(f.inputs.d2z).toBeCloseTo(-2.366814, 5);
    expect(f.inputs.d3z).toBeCloseTo(-1.282158, 5);
    expect(f.inputs.score).toBeCloseTo(-3.512041, 5);
    expect(f.points[3].predictedTick).toBeCloseTo(100 + 0.5 * Math.tanh(-3.512041) * 2, 5);
    expect(f.points[0].direction).toBe(-1);
    // Warming up: no direction.
    const r2 = new ForecastRunner(p);
    r2.push(row(0, { asym: 0 }));
    const w = r2.push(row(1, { asym: 1 })).families[1];
    expect(w.inputs.warming_up).toBe(1);
    expect(w.points[0].direction).toBe(0);
  });
});

describe('baselines on a hand-made book (bid 100 × 30, ask 101 × 10, spot 100)', () => {
  const p = P({ qi_step_ticks: 0.5, ofi_k: 2, ofi_coef: 1, ofi_prob_scale: 2, band_ticks: 1 });
  const runner = new ForecastRunner(p);
  runner.push(row(0, { ofiE: 0 }));
  runner.push(row(1, { ofiE: 10 }));
  runner.push(row(2, { ofiE: -4 }));
  const w = runner.push(row(3, { ofiE: 6 }));
  const fam = (name: string) => w.families.find((f) => f.family === name)!;
  it('no_change', () => {
    expect(fam('no_change').points[8]).toMatchObject({ predictedTick: 100, direction: 0, bandLoTick: 97, bandHiTick: 103 });
  });
  it('queue_imbalance: I = 0.5 → up 0.5 tick, P(up) 0.75', () => {
    expect(fam('queue_imbalance').points[0]).toMatchObject({ predictedTick: 100.5, direction: 1, probUp: 0.75, confidence: 0.5 });
  });
  it('microprice: (100·10 + 101·30)/40 = 100.75 vs mid 100.5 → +0.25', () => {
    expect(fam('microprice').points[29].predictedTick).toBeCloseTo(100.25, 12);
    expect(fam('microprice').points[29].probUp).toBeNaN();
  });
  it('ofi: last 2 terms −4 + 6 = 2 over mean depth 20 → +0.1 tick, P(up) = logistic(0.2)', () => {
    const f = fam('ofi').points[4];
    expect(f.predictedTick).toBeCloseTo(100.1, 12);
    expect(f.probUp).toBeCloseTo(1 / (1 + Math.exp(-0.2)), 12);
  });
  it('an invalid window has no forecast; a gap resets the history', () => {
    expect(runner.push({ ...row(4, {}), valid: false, spotTick: NaN }).families).toEqual([]);
    const g = runner.push(row(9, { ofiE: 3 }));
    expect(g.families.find((f) => f.family === 'ofi')!.inputs.ofi).toBe(3);
  });
});

describe('decomposition identity: stored components × random weights = the direct formula', () => {
  it('nu_local and F on a random grid, every K, shape and σ', () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const g = new WindowGrid(30, 1);
    g.windowSec = 5;
    g.valid = true;
    g.spotTick = 1000;
    g.bestBidTick = 999;
    g.bestAskTick = 1001;
    for (let c = 0; c < g.cells; c++) {
      if (rnd() < 0.3) continue;
      g.hasRow[c] = 1;
      g.rho[c] = 5 * rnd();
      g.phiRest[c] = rnd();
      g.ema32[c] = rnd() - 0.5;
      g.ema8[c] = rnd() - 0.5;
      g.u[c] = rnd() - 0.5;
      g.pressureGrad[c] = g.sideOf(c) === 0 ? g.ema8[c] : -g.ema8[c];
    }
    const step = new ForecastFeatureStep();
    step.onWindow(g);
    const r = step.last!;
    for (let trial = 0; trial < 20; trial++) {
      const w = { nu0: rnd() * 3, nu_rho: rnd(), nu_phi: rnd() * 2, nu_s: rnd() * 2, lambda_opt: rnd() };
      for (const shape of ['flat', 'triangular'] as const)
        for (const K of FORECAST_KS) {
          let direct = 0;
          for (let c = 0; c < g.cells; c++) {
            const rel = g.relOf(c);
            const bid = g.sideOf(c) === 0;
            const d = bid ? -rel : rel;
            if (d < 0 || d > K) continue;
            const s = g.hasRow[c] ? Math.max(0, g.ema32[c]) : 0;
            direct += nuWeight(shape, K, d) * (w.nu0 + w.nu_rho * g.rho[c] + w.nu_phi * g.phiRest[c] + w.nu_s * s + w.lambda_opt * 0);
          }
          const o = nuIndex(shape, K, 's1');
          const fromComponents = w.nu0 * r.nu[o] + w.nu_rho * r.nu[o + 1] + w.nu_phi * r.nu[o + 2] + w.nu_s * r.nu[o + 3] + w.lambda_opt * r.nu[o + 4];
          expect(fromComponents).toBeCloseTo(direct, 10);
        }
      const lam = rnd() * 2 - 0.5;
      for (const sn of FORECAST_SIGMAS)
        for (const sf of FORECAST_SIGMAS) {
          let direct = 0;
          for (let c = 0; c < g.cells; c++) {
            const rel = g.relOf(c);
            const d = g.sideOf(c) === 0 ? -rel : rel;
            if (d < 0 || !g.hasRow[c]) continue;
            direct += (Math.exp(-(d * d) / (2 * sn * sn)) + lam * Math.exp(-(d * d) / (2 * sf * sf))) * g.pressureGrad[c];
          }
          expect(r.f[sigmaIndex(sn)] + lam * r.f[sigmaIndex(sf)]).toBeCloseTo(direct, 10);
        }
    }
  });
});

describe('evaluation', () => {
  it('n, hit rate, coverage, MAE and Brier on a hand-made sequence', () => {
    const p = DEFAULT_PARAMS;
    // spots 100, 101, 101, 99 at windows 0…3; queue imbalance says up at 0 and 1, nothing at 2.
    const spots = [100, 101, 101, 99];
    const qty: [number, number][] = [[30, 10], [30, 10], [10, 10], [10, 30]];
    const runner = new ForecastRunner(p);
    const fc = spots.map((s, i) => runner.push(row(i, { spotTick: s, bestBidTick: s, bestAskTick: s + 1, bestBidQty: qty[i][0], bestAskQty: qty[i][1] })));
    const e = evaluateForecasts(fc, [1], ['queue_imbalance', 'no_change']);
    // h = 1: moves +1 (window 0, up, P 0.75), 0 (window 1), −2 (window 2, no direction, P 0.5)
    expect(e.queue_imbalance!['1']).toEqual({
      n: 3,
      hit_rate: 1,
      coverage: 0.5,
      mae_ticks: (Math.abs(100.5 - 101) + Math.abs(101.5 - 101) + Math.abs(101 - 99)) / 3,
      mae_no_change_ticks: (1 + 0 + 2) / 3,
      brier: ((0.75 - 1) ** 2 + (0.5 - 0) ** 2) / 2,
    });
    expect(e.no_change!['1']).toMatchObject({ n: 3, hit_rate: null, coverage: 0, brier: null, mae_ticks: 1 });
  });
  it('the streaming evaluator over columnar blocks equals the evaluation of the objects', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const rows = Array.from({ length: 400 }, (_, i) => {
      const s = 100 + Math.round(6 * Math.sin(i / 17) + 2 * rnd());
      const r = row(i, { spotTick: s, bestBidTick: s, bestAskTick: s + 1, bestBidQty: 1 + Math.floor(40 * rnd()), bestAskQty: 1 + Math.floor(40 * rnd()), ofiE: Math.round(20 * rnd() - 10), asym: rnd() - 0.5, valid: i % 37 !== 5 });
      r.f.fill(rnd() - 0.5);
      r.nu.fill(0.3);
      return r;
    });
    const objects = new ForecastRunner(DEFAULT_PARAMS);
    const blocks = new ForecastRunner(DEFAULT_PARAMS);
    const ev = new ForecastEvaluator();
    const fc = rows.map((r) => {
      ev.addBlock(blocks.step(r));
      return objects.push(r);
    });
    expect(ev.result()).toEqual(evaluateForecasts(fc));
    expect(ev.result().particle!['5'].n).toBeGreaterThan(300);
  });
});
