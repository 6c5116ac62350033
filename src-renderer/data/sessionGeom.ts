import type { SessionInfo } from '../../contracts/protocol';

// Integer geometry of an open session: window index ↔ window_end ns, price row ↔ price_int.
// i64 values stay BigInt at the edges; inside the window everything is small numbers
// (window index 0…windowCount−1, price row 0…nPrices−1).

export interface SessionGeom {
  info: SessionInfo;
  firstNs: bigint;
  windowCount: number;
  tickInt: bigint;
  priceMinInt: bigint;
  nPrices: number;
  /** ms since epoch of window 0's end, for clocks and axes. */
  firstMs: number;
}

export const NS_PER_WINDOW = 1_000_000_000n;

export function sessionGeom(info: SessionInfo): SessionGeom {
  const firstNs = BigInt(info.firstWindowEndNs);
  const lastNs = BigInt(info.lastWindowEndNs);
  const tickInt = BigInt(info.tickInt);
  const priceMinInt = BigInt(info.priceMinInt);
  const priceMaxInt = BigInt(info.priceMaxInt);
  const windowCount = Math.max(info.windowCount, Number((lastNs - firstNs) / NS_PER_WINDOW) + 1);
  return {
    info,
    firstNs,
    windowCount,
    tickInt,
    priceMinInt,
    nPrices: Number((priceMaxInt - priceMinInt) / tickInt) + 1,
    firstMs: Number(firstNs / 1_000_000n),
  };
}

export function windowIndexOf(g: SessionGeom, windowEndNs: string | bigint): number {
  return Number((BigInt(windowEndNs) - g.firstNs) / NS_PER_WINDOW);
}

export function windowEndNsOf(g: SessionGeom, index: number): string {
  return (g.firstNs + BigInt(Math.round(index)) * NS_PER_WINDOW).toString();
}

export function msOfIndex(g: SessionGeom, index: number): number {
  return g.firstMs + index * 1000;
}

/** Price row (0 = priceMinInt) of an absolute price; may be fractional only if off-tick. */
export function rowOfPrice(g: SessionGeom, priceInt: bigint): number {
  return Number(priceInt - g.priceMinInt) / Number(g.tickInt);
}

/** Price in USD of a (possibly fractional) row, for axes and tooltips. */
export function priceOfRow(g: SessionGeom, row: number): number {
  return (Number(g.priceMinInt) + row * Number(g.tickInt)) / 1e9;
}

/** Decimals needed to print prices on this tick grid (0.25 → 2, 0.01 → 2, 1 → 0). */
export function priceDecimals(g: SessionGeom): number {
  const tick = Number(g.tickInt) / 1e9;
  for (let d = 0; d <= 6; d++) if (Math.abs(Math.round(tick * 10 ** d) - tick * 10 ** d) < 1e-9) return d;
  return 6;
}
