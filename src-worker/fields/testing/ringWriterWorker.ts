// Test worker (frameRing.test.ts): writes `windows` synthetic windows into a frame ring as fast
// as it can, each window's every value derived from its index, so a reader on another thread
// can tell a torn copy (values of two windows) from a whole one.
import { parentPort, workerData } from 'node:worker_threads';
import { FrameRingWriter } from '../frameRing';
import { WindowGrid } from '../windowGrid';

const { sab, windows, half } = workerData as { sab: SharedArrayBuffer; windows: number; half: number };
const g = new WindowGrid(half, 4);
const w = new FrameRingWriter(sab, { tickInt: 250_000_000, sessionEndSec: 1_000 + windows, symbol: 'ESH4', timeZone: 'America/New_York' });
g.hasRow.fill(1);
for (let i = 0; i < windows; i++) fillWindow(g, i);
w.finish();
parentPort!.postMessage('done');

function fillWindow(grid: WindowGrid, i: number): void {
  grid.windowSec = 1_000 + i;
  grid.valid = true;
  grid.spotTick = 20_000 + (i % 7);
  grid.bestBidTick = grid.spotTick - 1;
  grid.bestAskTick = grid.spotTick + 1;
  grid.bestBidQty = i;
  grid.bestAskQty = i;
  grid.lastTradePriceInt = NaN;
  grid.buf.fill(i);
  w.onWindow(grid);
}
