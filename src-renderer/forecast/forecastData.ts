import { tableFromIPC, type Table } from 'apache-arrow';
import { FORECAST_FAMILIES, FORECAST_MAX_HORIZON_S, type ForecastFamily } from '../../contracts/forecast';
import { PayloadError } from '../data/decode';
import { windowIndexOf, type SessionGeom } from '../data/sessionGeom';

// `forecast` and `forecast_inputs` payloads (contracts/frames.ts) → typed arrays in window-index
// units, and the look-ups the margin and the past-forecast path need. A batch holds the
// forecasts made at one window (live frame) or at many (history), ordered by window, family,
// horizon; rows are indexed once per batch so a look-up is one Map get.

export interface ForecastRows {
  n: number;
  /** Window at whose close the forecast was made (its spot is the origin). */
  wi: Int32Array;
  family: Uint8Array;
  horizon: Uint8Array;
  spotTick: Float64Array;
  predictedTick: Float64Array;
  bandLoTick: Float64Array;
  bandHiTick: Float64Array;
  direction: Int8Array;
  confidence: Float32Array;
  /** NaN where the family gives no probability. */
  probUp: Float32Array;
  /** (window, family) → first row of its path. */
  start: Map<number, number>;
}

/** One family's forecast made at one window: horizons 1…30 s. */
export interface ForecastPath {
  windowIndex: number;
  family: ForecastFamily;
  spotTick: number;
  points: ForecastPoint[];
}

export interface ForecastPoint {
  horizonS: number;
  predictedTick: number;
  bandLoTick: number;
  bandHiTick: number;
  direction: number;
  confidence: number;
  /** NaN when the family gives none. */
  probUp: number;
}

/** Inputs behind each family's forecast at a window: (window, family) → [name, value] pairs. */
export type ForecastInputs = Map<number, [string, number][]>;

const key = (wi: number, family: number) => wi * 8 + family;

export function familyIndex(f: ForecastFamily): number {
  return FORECAST_FAMILIES.indexOf(f);
}

function column<T>(t: Table, layer: string, name: string): T {
  const c = t.getChild(name);
  if (!c) throw new PayloadError(`${layer} payload has no column ${name}`);
  return c.toArray() as T;
}

export function decodeForecast(g: SessionGeom, bytes: Uint8Array): ForecastRows {
  const t = tableFromIPC(bytes);
  const n = t.numRows;
  const win = column<BigInt64Array>(t, 'forecast', 'window_end_ts_ns');
  const family = column<Uint8Array>(t, 'forecast', 'family');
  const wi = new Int32Array(n);
  const start = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    // 180 rows share a window: one BigInt conversion per window, not per row.
    wi[i] = i > 0 && win[i] === win[i - 1] ? wi[i - 1] : windowIndexOf(g, win[i]);
    if (family[i] >= FORECAST_FAMILIES.length) throw new PayloadError(`forecast row ${i}: family ${family[i]} is not one of ${FORECAST_FAMILIES.length}`);
    const k = key(wi[i], family[i]);
    if (!start.has(k)) start.set(k, i);
  }
  // prob_up is null for families without a probability: read the values and the validity
  // bits chunk by chunk (a per-row get() cost ~20 ms for a 300-window history chunk).
  const probCol = t.getChild('prob_up');
  const probUp = new Float32Array(n).fill(NaN);
  if (probCol) {
    let o = 0;
    for (const d of probCol.data) {
      const values = d.values as Float32Array;
      for (let i = 0; i < d.length; i++) if (d.nullCount === 0 || d.getValid(i)) probUp[o + i] = values[i];
      o += d.length;
    }
  }
  return {
    n,
    wi,
    family,
    horizon: column<Uint8Array>(t, 'forecast', 'horizon_s'),
    spotTick: column<Float64Array>(t, 'forecast', 'spot_tick'),
    predictedTick: column<Float64Array>(t, 'forecast', 'predicted_tick'),
    bandLoTick: column<Float64Array>(t, 'forecast', 'band_lo_tick'),
    bandHiTick: column<Float64Array>(t, 'forecast', 'band_hi_tick'),
    direction: column<Int8Array>(t, 'forecast', 'direction'),
    confidence: column<Float32Array>(t, 'forecast', 'confidence'),
    probUp,
    start,
  };
}

export function decodeForecastInputs(g: SessionGeom, bytes: Uint8Array): ForecastInputs {
  const t = tableFromIPC(bytes);
  const win = column<BigInt64Array>(t, 'forecast_inputs', 'window_end_ts_ns');
  const family = column<Uint8Array>(t, 'forecast_inputs', 'family');
  const names = t.getChild('name');
  const values = column<Float64Array>(t, 'forecast_inputs', 'value');
  if (!names) throw new PayloadError('forecast_inputs payload has no column name');
  const out: ForecastInputs = new Map();
  for (let i = 0; i < t.numRows; i++) {
    const k = key(windowIndexOf(g, win[i]), family[i]);
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push([String(names.get(i)), values[i]]);
  }
  return out;
}

export function inputsOf(inputs: ForecastInputs | undefined, windowIndex: number, family: ForecastFamily): [string, number][] {
  return inputs?.get(key(windowIndex, familyIndex(family))) ?? [];
}

/** Predicted tick for horizon h of the forecast made at window wi (NaN when not held). */
export function predictedTickAt(rows: ForecastRows, wi: number, familyIdx: number, h: number): number {
  const s = rows.start.get(key(wi, familyIdx));
  if (s === undefined) return NaN;
  // Rows are ordered by horizon from 1: the usual case is a direct hit.
  const i = s + h - 1;
  if (i < rows.n && rows.wi[i] === wi && rows.family[i] === familyIdx && rows.horizon[i] === h) return rows.predictedTick[i];
  for (let j = s; j < rows.n && rows.wi[j] === wi && rows.family[j] === familyIdx; j++) if (rows.horizon[j] === h) return rows.predictedTick[j];
  return NaN;
}

export function pathOf(rows: ForecastRows, wi: number, family: ForecastFamily): ForecastPath | null {
  const f = familyIndex(family);
  const s = rows.start.get(key(wi, f));
  if (s === undefined) return null;
  const points: ForecastPoint[] = [];
  for (let i = s; i < rows.n && rows.wi[i] === wi && rows.family[i] === f; i++) {
    const h = rows.horizon[i];
    if (h < 1 || h > FORECAST_MAX_HORIZON_S) continue;
    points.push({
      horizonS: h,
      predictedTick: rows.predictedTick[i],
      bandLoTick: rows.bandLoTick[i],
      bandHiTick: rows.bandHiTick[i],
      direction: rows.direction[i],
      confidence: rows.confidence[i],
      probUp: rows.probUp[i],
    });
  }
  points.sort((a, b) => a.horizonS - b.horizonS);
  return { windowIndex: wi, family, spotTick: rows.spotTick[s], points };
}
