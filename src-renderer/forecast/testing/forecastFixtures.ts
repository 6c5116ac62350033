// TEST-ONLY: `forecast` and `forecast_inputs` payloads built from the contract schemas
// (contracts/generated/arrow.ts), so decode is checked against the layout the engine writes.
import { Table, tableToIPC, vectorFromArray, type Schema } from 'apache-arrow';
import { FORECAST_FAMILIES, type ForecastFamily } from '../../../contracts/forecast';
import { FORECAST_FRAME_ARROW, FORECAST_INPUTS_FRAME_ARROW } from '../../../contracts/generated/arrow';

function encode(schema: Schema, cols: Record<string, unknown[]>): Uint8Array {
  const vectors = Object.fromEntries(schema.fields.map((f) => [f.name, vectorFromArray(cols[f.name] ?? [], f.type as never)]));
  const t = new Table(vectors);
  // The engine's schema, field for field (names, types, nullability).
  for (const f of schema.fields) if (String(t.schema.fields.find((x) => x.name === f.name)?.type) !== String(f.type)) throw new Error(`fixture column ${f.name} is not ${f.type}`);
  return tableToIPC(t, 'stream');
}

export interface FixturePath {
  windowEndNs: bigint;
  family: ForecastFamily;
  spotTick: number;
  /** predicted tick per horizon 1…n (n = length) */
  predicted: number[];
  /** half-width of the band per horizon */
  halfBand: number[];
  confidence?: number;
  probUp?: number | null;
}

export function forecastBytes(paths: FixturePath[]): Uint8Array {
  const c: Record<string, unknown[]> = { window_end_ts_ns: [], family: [], horizon_s: [], spot_tick: [], predicted_tick: [], band_lo_tick: [], band_hi_tick: [], direction: [], confidence: [], prob_up: [] };
  for (const p of paths) {
    p.predicted.forEach((pred, i) => {
      c.window_end_ts_ns.push(p.windowEndNs);
      c.family.push(FORECAST_FAMILIES.indexOf(p.family));
      c.horizon_s.push(i + 1);
      c.spot_tick.push(p.spotTick);
      c.predicted_tick.push(pred);
      c.band_lo_tick.push(pred - p.halfBand[i]);
      c.band_hi_tick.push(pred + p.halfBand[i]);
      c.direction.push(Math.sign(pred - p.spotTick));
      c.confidence.push(p.confidence ?? 0.5);
      c.prob_up.push(p.probUp === undefined ? null : p.probUp);
    });
  }
  return encode(FORECAST_FRAME_ARROW, c);
}

export function forecastInputsBytes(rows: { windowEndNs: bigint; family: ForecastFamily; name: string; value: number }[]): Uint8Array {
  return encode(FORECAST_INPUTS_FRAME_ARROW, {
    window_end_ts_ns: rows.map((r) => r.windowEndNs),
    family: rows.map((r) => FORECAST_FAMILIES.indexOf(r.family)),
    name: rows.map((r) => r.name),
    value: rows.map((r) => r.value),
  });
}
