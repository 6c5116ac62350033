// The dense grid of one window as the `grid` frame lays it out (contracts/frames.ts):
// 2·(2·H+1) rows, bids first then asks, rel_ticks ascending −H … +H within each side. This is
// also WindowGrid's cell order (fields/windowGrid.ts), so an engine grid maps row for row.
// H is the build's grid half-width (catalog config_json gridHalfWidthTicks, default 200).

import { SESSION_DEFAULTS } from '../../contracts/instruments';
export const SIDE_BID = 66; // 'B'
export const SIDE_ASK = 65; // 'A'

export interface GridLayout {
  half: number;
  /** 2·half + 1 */
  levelsPerSide: number;
  /** 2·levelsPerSide */
  rows: number;
  /** Constant columns of every grid (side and rel_ticks never change): built once per half-width. */
  side: Uint8Array;
  relTicks: Int16Array;
}

const layouts = new Map<number, GridLayout>();

export function gridLayout(half: number): GridLayout {
  let l = layouts.get(half);
  if (l) return l;
  if (!Number.isInteger(half) || half < 0 || half > 16_000) throw new RangeError(`grid half-width ${half} is not a whole number of ticks in 0…16000`);
  const levelsPerSide = 2 * half + 1;
  const rows = 2 * levelsPerSide;
  const side = new Uint8Array(rows);
  const relTicks = new Int16Array(rows);
  for (let r = 0; r < rows; r++) {
    side[r] = r < levelsPerSide ? SIDE_BID : SIDE_ASK;
    relTicks[r] = (r % levelsPerSide) - half;
  }
  l = { half, levelsPerSide, rows, side, relTicks };
  layouts.set(half, l);
  return l;
}

/** Row of (side, rel_ticks) in a grid of half-width `half`, or −1 outside ±half. */
export function gridRowOf(half: number, sideAscii: number, relTicks: number): number {
  if (relTicks < -half || relTicks > half) return -1;
  return (sideAscii === SIDE_BID ? 0 : 2 * half + 1) + relTicks + half;
}

// The default build's layout (SESSION_DEFAULTS.gridHalfWidthTicks); sessions built with another
// half-width carry theirs (ReplaySession.gridHalfWidth).
const DEFAULT = gridLayout(SESSION_DEFAULTS.gridHalfWidthTicks);
export const GRID_HALF_WIDTH = DEFAULT.half;
export const LEVELS_PER_SIDE = DEFAULT.levelsPerSide; // 401
export const GRID_ROWS = DEFAULT.rows; // 802
export const GRID_SIDE = DEFAULT.side;
export const GRID_REL_TICKS = DEFAULT.relTicks;

/** Row of (side, rel_ticks) in the default grid, or −1 outside ±H. */
export function gridRow(sideAscii: number, relTicks: number): number {
  return gridRowOf(GRID_HALF_WIDTH, sideAscii, relTicks);
}
