// A session's forecasts, computed once when the session opens and kept columnar (issue 11,
// PARALLEL-SEAMS.md): the stored feature rows (gold.future_mbo__forecast_features_1s) run
// through a ForecastRunner in window order — the runner is sequential (rolling z-scores, OFI
// history, previous velocity), so forecasts cannot be made for one window on its own — and
// live frames and history (`fetch_forecasts`) slice the result. New parameters (`set_params`)
// re-run the runner over the same rows: no book or gold re-run.
//
// What is forecast and how is the model's business (src-worker/forecast/): replay sees it
// through ForecastModel, so this file knows rows only as opaque values.
//
// Memory: per window 6 families × 30 horizons; the tick columns are kept as Float32 offsets
// from the window's spot (≤ 1e-6 tick off for moves under 16 ticks), ≈ 3.8 KB per window
// (≈ 14 MB for an hour, ≈ 310 MB for a 23-hour Globex day).
import { FORECAST_FAMILIES, FORECAST_MAX_HORIZON_S, type ForecastFamily } from '../../contracts/forecast';
import { FORECAST_FRAME_ARROW, FORECAST_INPUTS_FRAME_ARROW } from '../../contracts/generated/arrow';
import type { FrameLayer } from '../../contracts/protocol';
import type { WindowForecast } from '../forecast/types';
import { encodeBatch, type ColumnInput } from './arrowBatch';

export interface ForecastRunnerLike<Row> {
  push(row: Row): WindowForecast;
}

/** The forecast model as replay uses it (the host builds one from src-worker/forecast/). */
export interface ForecastModel<Row = unknown, Params = unknown> {
  /** A dataset's feature rows in window order (one per session window, invalid ones included). */
  readRows(datasetId: number): Promise<Row[]>;
  /** The parameters a session starts with. */
  initialParams(): Params;
  /** Parameters with `set` applied; throws a typed error naming the field for a bad value. */
  applyParams(current: Params, set: Record<string, number>): Params;
  /** The numeric parameters in force, for the window (`params` event). */
  numericParams(p: Params): Record<string, number>;
  runner(p: Params): ForecastRunnerLike<Row>;
}

const F = FORECAST_FAMILIES.length;
const H = FORECAST_MAX_HORIZON_S;
const FAMILY_INDEX = new Map<ForecastFamily, number>(FORECAST_FAMILIES.map((f, i) => [f, i]));
const NS = 1_000_000_000n;

export class ForecastStore {
  /** Per window: bit f set when family f has a forecast. */
  private readonly mask: Uint8Array;
  private readonly spot: Float64Array;
  /** [window · F + family] · H + (horizon − 1) */
  private readonly predicted: Float32Array;
  private readonly bandLo: Float32Array;
  private readonly bandHi: Float32Array;
  private readonly direction: Int8Array;
  private readonly confidence: Float32Array;
  private readonly probUp: Float32Array;
  /** Inputs of window w: entries [inputStart[w], inputStart[w + 1]). */
  private readonly inputStart: Uint32Array;
  private readonly inputFamily: Uint8Array;
  private readonly inputName: string[];
  private readonly inputValue: Float64Array;

  private constructor(
    readonly firstWindowEndNs: bigint,
    readonly windowCount: number,
    readonly revision: number,
    readonly params: Record<string, number>,
    forecasts: (WindowForecast | undefined)[],
  ) {
    const W = windowCount;
    this.mask = new Uint8Array(W);
    this.spot = new Float64Array(W);
    this.predicted = new Float32Array(W * F * H);
    this.bandLo = new Float32Array(W * F * H);
    this.bandHi = new Float32Array(W * F * H);
    this.direction = new Int8Array(W * F * H);
    this.confidence = new Float32Array(W * F * H);
    this.probUp = new Float32Array(W * F * H);
    this.inputStart = new Uint32Array(W + 1);
    const fam: number[] = [];
    const names: string[] = [];
    const values: number[] = [];
    for (let w = 0; w < W; w++) {
      this.inputStart[w] = names.length;
      const wf = forecasts[w];
      if (!wf || wf.families.length === 0) continue;
      const spot = wf.spotTick;
      this.spot[w] = spot;
      for (const ff of wf.families) {
        const f = FAMILY_INDEX.get(ff.family);
        if (f === undefined) throw new Error(`unknown forecast family '${ff.family}'`);
        this.mask[w] |= 1 << f;
        for (const p of ff.points) {
          if (p.horizonS < 1 || p.horizonS > H) continue;
          const o = (w * F + f) * H + p.horizonS - 1;
          this.predicted[o] = p.predictedTick - spot;
          this.bandLo[o] = p.bandLoTick - spot;
          this.bandHi[o] = p.bandHiTick - spot;
          this.direction[o] = p.direction;
          this.confidence[o] = p.confidence;
          this.probUp[o] = p.probUp;
        }
        for (const [name, value] of Object.entries(ff.inputs)) {
          fam.push(f);
          names.push(name);
          values.push(value);
        }
      }
    }
    this.inputStart[W] = names.length;
    this.inputFamily = Uint8Array.from(fam);
    this.inputName = names;
    this.inputValue = Float64Array.from(values);
  }

  /**
   * Run the model over the rows of a session. A row lands on the window whose start second it
   * carries (WindowForecast.windowSec); rows outside the session are ignored.
   */
  static compute<Row, P>(
    model: ForecastModel<Row, P>,
    rows: readonly Row[],
    params: P,
    session: { firstWindowEndNs: bigint; windowCount: number },
    revision: number,
  ): ForecastStore {
    const run = ForecastStore.runner(model, params, session);
    for (const row of rows) run.push(row);
    return new ForecastStore(session.firstWindowEndNs, session.windowCount, revision, model.numericParams(params), run.out);
  }

  /**
   * The same, yielding to the event loop every `slice` rows so an engine keeps serving frames
   * while a session's forecasts are made (the runner costs ~0.1–1 ms a window: seconds for a
   * long session). Null when `stale()` says the result is no longer wanted.
   */
  static async computeInSlices<Row, P>(
    model: ForecastModel<Row, P>,
    rows: readonly Row[],
    params: P,
    session: { firstWindowEndNs: bigint; windowCount: number },
    revision: number,
    stale: () => boolean = () => false,
    slice = 200,
  ): Promise<ForecastStore | null> {
    const run = ForecastStore.runner(model, params, session);
    for (let i = 0; i < rows.length; i++) {
      run.push(rows[i]);
      if (i % slice === slice - 1) {
        await new Promise((r) => setImmediate(r));
        if (stale()) return null;
      }
    }
    return new ForecastStore(session.firstWindowEndNs, session.windowCount, revision, model.numericParams(params), run.out);
  }

  private static runner<Row, P>(model: ForecastModel<Row, P>, params: P, session: { firstWindowEndNs: bigint; windowCount: number }) {
    const runner = model.runner(params);
    const out: (WindowForecast | undefined)[] = new Array(session.windowCount);
    const firstSec = Number(session.firstWindowEndNs / NS) - 1;
    return {
      out,
      push(row: Row): void {
        const wf = runner.push(row);
        const w = wf.windowSec - firstSec;
        if (w >= 0 && w < session.windowCount) out[w] = wf;
      },
    };
  }

  has(index: number): boolean {
    return index >= 0 && index < this.windowCount && this.mask[index] !== 0;
  }

  private rowsOf(from: number, to: number): number {
    let n = 0;
    for (let w = from; w <= to; w++) for (let m = this.mask[w]; m; m &= m - 1) n += H;
    return n;
  }

  /** The `forecast` batch of windows [from, to] (indexes, clamped), ordered by window, family, horizon. */
  encodeForecasts(from: number, to: number): Uint8Array {
    from = Math.max(0, from);
    to = Math.min(this.windowCount - 1, to);
    const n = to >= from ? this.rowsOf(from, to) : 0;
    const c = {
      end: new BigInt64Array(n),
      family: new Uint8Array(n),
      horizon: new Uint8Array(n),
      spot: new Float64Array(n),
      predicted: new Float64Array(n),
      lo: new Float64Array(n),
      hi: new Float64Array(n),
      direction: new Int8Array(n),
      confidence: new Float32Array(n),
      probUp: new Float32Array(n),
      probValid: new Uint8Array(n),
    };
    let r = 0;
    for (let w = from; w <= to; w++) {
      const m = this.mask[w];
      if (!m) continue;
      const end = this.firstWindowEndNs + BigInt(w) * NS;
      const spot = this.spot[w];
      for (let f = 0; f < F; f++) {
        if (!(m & (1 << f))) continue;
        const o = (w * F + f) * H;
        for (let h = 0; h < H; h++, r++) {
          c.end[r] = end;
          c.family[r] = f;
          c.horizon[r] = h + 1;
          c.spot[r] = spot;
          c.predicted[r] = spot + this.predicted[o + h];
          c.lo[r] = spot + this.bandLo[o + h];
          c.hi[r] = spot + this.bandHi[o + h];
          c.direction[r] = this.direction[o + h];
          c.confidence[r] = this.confidence[o + h];
          const p = this.probUp[o + h];
          c.probUp[r] = p;
          c.probValid[r] = p === p ? 1 : 0;
        }
      }
    }
    const columns: Record<string, ColumnInput> = {
      window_end_ts_ns: { values: c.end },
      family: { values: c.family },
      horizon_s: { values: c.horizon },
      spot_tick: { values: c.spot },
      predicted_tick: { values: c.predicted },
      band_lo_tick: { values: c.lo },
      band_hi_tick: { values: c.hi },
      direction: { values: c.direction },
      confidence: { values: c.confidence },
      prob_up: { values: c.probUp, valid: c.probValid },
    };
    return encodeBatch(FORECAST_FRAME_ARROW, n, columns);
  }

  /** The `forecast_inputs` batch of window `index`. */
  encodeInputs(index: number): Uint8Array {
    const a = this.inputStart[index];
    const b = this.inputStart[index + 1];
    const n = b - a;
    const end = this.firstWindowEndNs + BigInt(index) * NS;
    return encodeBatch(FORECAST_INPUTS_FRAME_ARROW, n, {
      window_end_ts_ns: { values: new BigInt64Array(n).fill(end) },
      family: { values: this.inputFamily.subarray(a, b) },
      name: { values: this.inputName.slice(a, b) },
      value: { values: this.inputValue.subarray(a, b) },
    });
  }

  /** The forecast layers of a live frame for window `index`; null when the window has no forecast. */
  layersAt(index: number): { layers: FrameLayer[]; parts: Uint8Array[] } | null {
    if (!this.has(index)) return null;
    return { layers: ['forecast', 'forecast_inputs'], parts: [this.encodeForecasts(index, index), this.encodeInputs(index)] };
  }
}
