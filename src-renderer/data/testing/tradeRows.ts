import type { Trades } from '../overlayData';

/** Aggressor side codes as the trades overlay carries them (B = buy, A = sell, N = none). */
export const B = 66;
export const A = 65;
export const N = 78;

/** Decoded trade rows (window, price row, aggressor, volume) written by hand, one trade each. */
export function trades(rows: [wi: number, row: number, side: number, volume: number][]): Trades {
  return {
    n: rows.length,
    wi: Int32Array.from(rows.map((r) => r[0])),
    row: Float32Array.from(rows.map((r) => r[1])),
    side: Uint8Array.from(rows.map((r) => r[2])),
    volume: Uint32Array.from(rows.map((r) => r[3])),
    count: Uint32Array.from(rows.map(() => 1)),
  };
}
