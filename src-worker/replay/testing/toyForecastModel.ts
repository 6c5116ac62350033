// TEST-ONLY: a hand-written forecast model whose every value can be worked out in a test, so
// the store, the frames, the history answer and set_params are checked without the real
// models (src-worker/forecast/). Stateful like the real runner: `seen` counts the rows pushed.
//   particle:  predicted = spot + beta·h, band ± h/8, direction sign(beta), confidence = beta,
//              no probability; inputs { beta, seen }
//   no_change: predicted = spot, band ± 0, direction 0, confidence 0, prob_up 0.5; inputs {}
// An invalid row (spot NaN) gets no forecast.
import type { FamilyForecast, WindowForecast } from '../../forecast/types';
import type { ForecastModel } from '../forecastStore';
import { SYN, synSpot } from './syntheticStore';

export interface ToyRow {
  windowSec: number;
  spotTick: number;
}
export interface ToyParams {
  beta: number;
}

export class ToyParamError extends Error {
  readonly code = 'params.invalid';
  constructor(readonly userMessage: string, readonly hint: string) {
    super(userMessage);
  }
}

export const TOY_FIRST_SEC = Number(SYN.firstEnd / 1_000_000_000n) - 1;

/** One row per synthetic window (the invalid one has spot NaN). */
export function toyRows(): ToyRow[] {
  return Array.from({ length: SYN.windows }, (_, w) => {
    const s = synSpot(w);
    return { windowSec: TOY_FIRST_SEC + w, spotTick: s === null ? NaN : Number(s / SYN.tickInt) };
  });
}

export function toyModel(rows: ToyRow[] = toyRows()): ForecastModel<ToyRow, ToyParams> & { reads: number } {
  const model = {
    reads: 0,
    async readRows(datasetId: number) {
      if (datasetId !== SYN.datasetId) throw new Error(`no feature rows for dataset ${datasetId}`);
      model.reads++;
      return rows;
    },
    initialParams: () => ({ beta: 0.5 }),
    applyParams(p: ToyParams, set: Record<string, number>): ToyParams {
      const next = { ...p };
      for (const [k, v] of Object.entries(set)) {
        if (k !== 'beta') throw new ToyParamError(`unknown parameter '${k}'`, 'the toy model has only beta');
        if (!(typeof v === 'number' && v >= 0 && v <= 4)) throw new ToyParamError(`beta must be in [0, 4], got ${v}`, 'choose a beta between 0 and 4');
        next.beta = v;
      }
      return next;
    },
    numericParams: (p: ToyParams) => ({ beta: p.beta }),
    runner(p: ToyParams) {
      let seen = 0;
      return {
        push(row: ToyRow): WindowForecast {
          seen++;
          if (row.spotTick !== row.spotTick) return { windowSec: row.windowSec, spotTick: NaN, families: [] };
          const s = row.spotTick;
          const h = Array.from({ length: 30 }, (_, i) => i + 1);
          const particle: FamilyForecast = {
            family: 'particle',
            points: h.map((k) => ({ horizonS: k, predictedTick: s + p.beta * k, bandLoTick: s + p.beta * k - k / 8, bandHiTick: s + p.beta * k + k / 8, direction: p.beta > 0 ? 1 : 0, confidence: p.beta, probUp: NaN })),
            inputs: { beta: p.beta, seen },
          };
          const none: FamilyForecast = {
            family: 'no_change',
            points: h.map((k) => ({ horizonS: k, predictedTick: s, bandLoTick: s, bandHiTick: s, direction: 0, confidence: 0, probUp: 0.5 })),
            inputs: {},
          };
          return { windowSec: row.windowSec, spotTick: s, families: [particle, none] };
        },
      };
    },
  };
  return model;
}
