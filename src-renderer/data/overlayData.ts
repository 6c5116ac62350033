import { tableFromIPC } from 'apache-arrow';
import type { OverlayKind } from '../../contracts/protocol';
import { rowOfPrice, windowIndexOf, type SessionGeom } from './sessionGeom';

// Overlay payloads (contracts/frames.ts `walls_voids`, `trades`) → typed arrays in window-index
// and price-row units, kept per history chunk. Pure code: decode and look-ups for the tooltip.

export const KIND_WALL = 87; // 'W'
export const KIND_VOID = 86; // 'V'
export const DIR_UP = 85; // 'U'
export const SIDE_BUY_AGGRESSOR = 66; // 'B': a buy order lifted the ask
export const SIDE_SELL_AGGRESSOR = 65; // 'A': a sell order hit the bid

export interface WallsVoids {
  n: number;
  /** Window index of each row (column i spans [i−1, i] on the time axis). */
  wi: Int32Array;
  /** Price row (0 = session priceMinInt). */
  row: Float32Array;
  kind: Uint8Array;
  direction: Uint8Array;
  rank: Uint8Array;
  relTicks: Int32Array;
  strength: Float64Array;
}

export interface Trades {
  n: number;
  wi: Int32Array;
  row: Float32Array;
  /** Aggressor side byte: 66 'B' buy, 65 'A' sell, 78 'N' unknown. */
  side: Uint8Array;
  volume: Uint32Array;
  count: Uint32Array;
}

export interface DecodedOverlays {
  walls_voids?: WallsVoids;
  trades?: Trades;
}

function rowsAndWindows(g: SessionGeom, win: BigInt64Array, price: BigInt64Array): { wi: Int32Array; row: Float32Array } {
  const wi = new Int32Array(win.length);
  const row = new Float32Array(win.length);
  for (let i = 0; i < win.length; i++) {
    wi[i] = windowIndexOf(g, win[i]);
    row[i] = rowOfPrice(g, price[i]);
  }
  return { wi, row };
}

export function decodeOverlays(g: SessionGeom, kinds: readonly OverlayKind[], parts: Uint8Array[]): DecodedOverlays {
  if (parts.length !== kinds.length) throw new Error(`overlays: ${kinds.length} kinds but ${parts.length} payload parts`);
  const out: DecodedOverlays = {};
  kinds.forEach((k, i) => {
    const t = tableFromIPC(parts[i]);
    const col = <T>(name: string) => {
      const c = t.getChild(name);
      if (!c) throw new Error(`overlay ${k}: no column ${name}`);
      return c.toArray() as T;
    };
    const { wi, row } = rowsAndWindows(g, col<BigInt64Array>('window_end_ts_ns'), col<BigInt64Array>('price_int'));
    if (k === 'walls_voids') {
      out.walls_voids = {
        n: t.numRows,
        wi,
        row,
        kind: col<Uint8Array>('kind'),
        direction: col<Uint8Array>('direction'),
        rank: col<Uint8Array>('rank'),
        relTicks: col<Int32Array>('rel_ticks'),
        strength: col<Float64Array>('strength'),
      };
    } else {
      out.trades = { n: t.numRows, wi, row, side: col<Uint8Array>('side'), volume: col<Uint32Array>('volume'), count: col<Uint32Array>('trade_count') };
    }
  });
  return out;
}

export interface WallVoidAt {
  kind: 'wall' | 'void';
  direction: 'above' | 'below';
  rank: number;
  relTicks: number;
  strength: number;
}

/** Walls/voids of window `wi` at price row `row` (the tooltip of the hovered cell). */
export function wallsVoidsAt(d: WallsVoids | undefined, wi: number, row: number): WallVoidAt[] {
  const out: WallVoidAt[] = [];
  if (!d) return out;
  for (let i = lowerBound(d.wi, d.n, wi); i < d.n && d.wi[i] === wi; i++) {
    if (Math.round(d.row[i]) !== row) continue;
    out.push({
      kind: d.kind[i] === KIND_WALL ? 'wall' : 'void',
      direction: d.direction[i] === DIR_UP ? 'above' : 'below',
      rank: d.rank[i],
      relTicks: d.relTicks[i],
      strength: d.strength[i],
    });
  }
  return out;
}

/** Traded volume and count at window `wi`, price row `row`, by aggressor side. */
export function tradesAt(d: Trades | undefined, wi: number, row: number): { buy: number; sell: number; other: number; buyCount: number; sellCount: number } {
  const r = { buy: 0, sell: 0, other: 0, buyCount: 0, sellCount: 0 };
  if (!d) return r;
  for (let i = lowerBound(d.wi, d.n, wi); i < d.n && d.wi[i] === wi; i++) {
    if (Math.round(d.row[i]) !== row) continue;
    if (d.side[i] === SIDE_BUY_AGGRESSOR) {
      r.buy += d.volume[i];
      r.buyCount += d.count[i];
    } else if (d.side[i] === SIDE_SELL_AGGRESSOR) {
      r.sell += d.volume[i];
      r.sellCount += d.count[i];
    } else r.other += d.volume[i];
  }
  return r;
}

/** First index with a[i] ≥ x (rows are ordered by window). */
export function lowerBound(a: Int32Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (a[m] < x) lo = m + 1;
    else hi = m;
  }
  return lo;
}
