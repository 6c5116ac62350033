// The dense grid of one window as the `grid` frame lays it out (contracts/frames.ts):
// 2·(2·H+1) rows, bids first then asks, rel_ticks ascending −H … +H within each side.
export const GRID_HALF_WIDTH = 200;
export const LEVELS_PER_SIDE = 2 * GRID_HALF_WIDTH + 1; // 401
export const GRID_ROWS = 2 * LEVELS_PER_SIDE; // 802
export const SIDE_BID = 66; // 'B'
export const SIDE_ASK = 65; // 'A'

/** Row of (side, rel_ticks) in the grid, or −1 outside ±H. */
export function gridRow(sideAscii: number, relTicks: number): number {
  if (relTicks < -GRID_HALF_WIDTH || relTicks > GRID_HALF_WIDTH) return -1;
  return (sideAscii === SIDE_BID ? 0 : LEVELS_PER_SIDE) + relTicks + GRID_HALF_WIDTH;
}

/** Constant columns of every grid: side and rel_ticks never change, so they are built once. */
export const GRID_SIDE = new Uint8Array(GRID_ROWS);
export const GRID_REL_TICKS = new Int16Array(GRID_ROWS);
for (let r = 0; r < GRID_ROWS; r++) {
  GRID_SIDE[r] = r < LEVELS_PER_SIDE ? SIDE_BID : SIDE_ASK;
  GRID_REL_TICKS[r] = (r % LEVELS_PER_SIDE) - GRID_HALF_WIDTH;
}
