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
// plus the runner's six small inputs objects (≈ 0.6 KB): ≈ 16 MB for an hour, ≈ 360 MB for a
// 23-hour Globex day.
//
// Filled straight from the runner's columnar blocks (ForecastRunner.step): no object per
// window or point is made here (the WindowForecast objects of push() cost ~10× the forecast).
import { FORECAST_FAMILIES, FORECAST_MAX_HORIZON_S, type ForecastFamily } from '../../contracts/forecast';
import { FORECAST_FRAME_ARROW, FORECAST_INPUTS_FRAME_ARROW } from '../../contracts/generated/arrow';
import type { FrameLayer } from '../../contracts/protocol';
import type { ForecastBlock } from '../forecast/block';
import { FAMILY_STRIDE, POINT_FIELDS } from '../forecast/families';
import type { WindowForecast } from '../forecast/types';
import { encodeBatch, type ColumnInput } from './arrowBatch';

/** Longest run of forecast work between two yields to the engine's event loop (ms). */
export const FORECAST_SLICE_MS = 8;

export interface ForecastRunnerLike<Row> {
  push(row: Row): WindowForecast;
  /**
   * The window's forecasts, columnar, in a block the next call reuses (ForecastRunner.step).
   * When present the store fills its arrays from it: no object per window or point
   * (push() costs ~1 ms a window under load, step() a few µs).
   */
  step?(row: Row): ForecastBlock;
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

/** The store's arrays (see ForecastStore's fields). */
interface StoreColumns {
  mask: Uint8Array;
  spot: Float64Array;
  predicted: Float32Array;
  bandLo: Float32Array;
  bandHi: Float32Array;
  direction: Int8Array;
  confidence: Float32Array;
  probUp: Float32Array;
  /** [window · F + family]: what drove that forecast (name → value), kept as the runner made it. */
  inputs: (Readonly<Record<string, number>> | undefined)[];
}

/**
 * Fills a session's columns window by window, from a runner's blocks (step) or its objects
 * (push, for runners without step). A window written twice keeps the last write, as a store
 * built from the last forecast per window would.
 */
class StoreBuilder {
  readonly c: StoreColumns;

  constructor(W: number) {
    this.c = {
      mask: new Uint8Array(W),
      spot: new Float64Array(W),
      predicted: new Float32Array(W * F * H),
      bandLo: new Float32Array(W * F * H),
      bandHi: new Float32Array(W * F * H),
      direction: new Int8Array(W * F * H),
      confidence: new Float32Array(W * F * H),
      probUp: new Float32Array(W * F * H),
      inputs: new Array(W * F),
    };
  }

  private begin(w: number, spot: number): void {
    this.c.mask[w] = 0;
    this.c.spot[w] = spot;
    this.c.inputs.fill(undefined, w * F, (w + 1) * F);
  }

  /**
   * A runner's block for window w (every family of a valid window, none of an invalid one).
   * The block's values are copied; its inputs objects are kept as they are: a runner makes new
   * ones every step (ForecastRunner does; copying ~23 entries a window cost more than the
   * whole forecast).
   */
  fromBlock(w: number, b: ForecastBlock): void {
    if (!b.valid) {
      this.begin(w, 0);
      return;
    }
    const spot = b.spotTick;
    const c = this.c;
    c.spot[w] = spot;
    const v = b.values;
    const { predicted, bandLo, bandHi, direction, confidence, probUp } = c;
    let m = 0;
    for (let f = 0; f < F; f++) {
      m |= 1 << f;
      const o = (w * F + f) * H;
      let i = f * FAMILY_STRIDE;
      for (let h = 0; h < H; h++, i += POINT_FIELDS) {
        predicted[o + h] = v[i] - spot;
        bandLo[o + h] = v[i + 1] - spot;
        bandHi[o + h] = v[i + 2] - spot;
        direction[o + h] = v[i + 3];
        confidence[o + h] = v[i + 4];
        probUp[o + h] = v[i + 5];
      }
      c.inputs[w * F + f] = b.inputs[f];
    }
    c.mask[w] = m;
  }

  /** A runner's objects for window w. */
  fromForecast(w: number, wf: WindowForecast): void {
    if (wf.families.length === 0) {
      this.begin(w, 0);
      return;
    }
    const spot = wf.spotTick;
    this.begin(w, spot);
    const c = this.c;
    for (const ff of wf.families) {
      const f = FAMILY_INDEX.get(ff.family);
      if (f === undefined) throw new Error(`unknown forecast family '${ff.family}'`);
      c.mask[w] |= 1 << f;
      for (const p of ff.points) {
        if (p.horizonS < 1 || p.horizonS > H) continue;
        const o = (w * F + f) * H + p.horizonS - 1;
        c.predicted[o] = p.predictedTick - spot;
        c.bandLo[o] = p.bandLoTick - spot;
        c.bandHi[o] = p.bandHiTick - spot;
        c.direction[o] = p.direction;
        c.confidence[o] = p.confidence;
        c.probUp[o] = p.probUp;
      }
      c.inputs[w * F + f] = { ...ff.inputs };
    }
  }
}

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
  /** [window · F + family] → that forecast's inputs. */
  private readonly inputs: (Readonly<Record<string, number>> | undefined)[];

  private constructor(
    readonly firstWindowEndNs: bigint,
    readonly windowCount: number,
    readonly revision: number,
    readonly params: Record<string, number>,
    c: StoreColumns,
  ) {
    this.mask = c.mask;
    this.spot = c.spot;
    this.predicted = c.predicted;
    this.bandLo = c.bandLo;
    this.bandHi = c.bandHi;
    this.direction = c.direction;
    this.confidence = c.confidence;
    this.probUp = c.probUp;
    this.inputs = c.inputs;
  }

  /**
   * Run the model over the rows of a session. A row lands on the window whose start second it
   * carries (windowSec); rows outside the session are ignored.
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
    return new ForecastStore(session.firstWindowEndNs, session.windowCount, revision, model.numericParams(params), run.finish());
  }

  /**
   * The same, yielding to the event loop every `slice` rows so an engine keeps serving frames
   * while a session's forecasts are made (a few µs a window with a columnar runner; ~1 ms with
   * objects). Null when `stale()` says the result is no longer wanted.
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
    let sliceStart = performance.now();
    for (let i = 0; i < rows.length; i++) {
      run.push(rows[i]);
      // Also after FORECAST_SLICE_MS of work: a request the window waits for (a field switch's
      // slab right after a session opens) waits at most that long behind the forecasts.
      if (i % slice === slice - 1 || (i % 8 === 7 && performance.now() - sliceStart > FORECAST_SLICE_MS)) {
        await new Promise((r) => setImmediate(r));
        if (stale()) return null;
        sliceStart = performance.now();
      }
    }
    return new ForecastStore(session.firstWindowEndNs, session.windowCount, revision, model.numericParams(params), run.finish());
  }

  private static runner<Row, P>(model: ForecastModel<Row, P>, params: P, session: { firstWindowEndNs: bigint; windowCount: number }) {
    const runner = model.runner(params);
    const W = session.windowCount;
    const build = new StoreBuilder(W);
    const firstSec = Number(session.firstWindowEndNs / NS) - 1;
    const step = runner.step?.bind(runner);
    return {
      push: step
        ? (row: Row): void => {
            const b = step(row);
            const w = b.windowSec - firstSec;
            if (w >= 0 && w < W) build.fromBlock(w, b);
          }
        : (row: Row): void => {
            const wf = runner.push(row);
            const w = wf.windowSec - firstSec;
            if (w >= 0 && w < W) build.fromForecast(w, wf);
          },
      finish: () => build.c,
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

  /** The `forecast_inputs` batch of window `index`: by family, each in the order its runner gave. */
  encodeInputs(index: number): Uint8Array {
    const family: number[] = [];
    const name: string[] = [];
    const value: number[] = [];
    if (index >= 0 && index < this.windowCount) {
      for (let f = 0; f < F; f++) {
        const inputs = this.inputs[index * F + f];
        if (!inputs || !(this.mask[index] & (1 << f))) continue;
        for (const [k, v] of Object.entries(inputs)) {
          family.push(f);
          name.push(k);
          value.push(v);
        }
      }
    }
    const n = name.length;
    const end = this.firstWindowEndNs + BigInt(index) * NS;
    return encodeBatch(FORECAST_INPUTS_FRAME_ARROW, n, {
      window_end_ts_ns: { values: new BigInt64Array(n).fill(end) },
      family: { values: Uint8Array.from(family) },
      name: { values: name },
      value: { values: Float64Array.from(value) },
    });
  }

  /** The forecast layers of a live frame for window `index`; null when the window has no forecast. */
  layersAt(index: number): { layers: FrameLayer[]; parts: Uint8Array[] } | null {
    if (!this.has(index)) return null;
    return { layers: ['forecast', 'forecast_inputs'], parts: [this.encodeForecasts(index, index), this.encodeInputs(index)] };
  }
}
