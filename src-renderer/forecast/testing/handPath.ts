import type { ForecastPath } from '../forecastData';

/** A hand-made particle forecast for the margin's tests: moves and band half-widths per horizon (1 s, 2 s, …), in ticks from `spot`. */
export function handPath(spot: number, moves: number[], half: number[]): ForecastPath {
  return {
    windowIndex: 0,
    family: 'particle',
    spotTick: spot,
    points: moves.map((m, i) => ({ horizonS: i + 1, predictedTick: spot + m, bandLoTick: spot + m - half[i], bandHiTick: spot + m + half[i], direction: Math.sign(m), confidence: 1, probUp: NaN })),
  };
}
