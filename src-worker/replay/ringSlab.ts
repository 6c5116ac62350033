// History slab of a session that is still being built (progressive display): the same
// `slab_windows` + `slab_cells` layers as slabBuilder.ts, cut from the live frame ring instead
// of DuckDB, so the window scrubs and zooms over what is built with the loaders it already has.
// Same price axis rule (lowest grid spot − H … highest + H of the range) and the same sums
// (bid + ask at one price), so a slab reads as the committed build's would. Windows the ring has
// already forgotten read as windows without a book (the committed build brings them back).
import { HEATMAP_FIELDS, type HeatmapField } from '../../contracts/protocol';
import { RawFrame } from '../fields/frameRing';
import { clampToWindowEnd, NS_PER_WINDOW } from './replayClock';
import type { RingWindowSource } from './ringWindowSource';
import { encodeSlab, MAX_SLAB_VALUES, SlabRequestError, type SlabResult } from './slabBuilder';
import { emptySnapshotColumns } from './snapshotColumns';

export function buildRingSlab(src: RingWindowSource, fromNs: bigint, toNs: bigint, fields: readonly HeatmapField[]): SlabResult {
  if (fields.length === 0) throw new SlabRequestError('a slab needs at least one field', 'ask for one or more heatmap fields');
  for (const f of fields) if (!HEATMAP_FIELDS.includes(f)) throw new SlabRequestError(`unknown field '${f}'`, `fields: ${HEATMAP_FIELDS.join(', ')}`);
  if (new Set(fields).size !== fields.length) throw new SlabRequestError('a field is requested twice', 'list each field once');
  if (toNs < fromNs) throw new SlabRequestError('the slab range ends before it starts', 'swap from and to');
  const s = src.session;
  // Clamped into the session and onto window ends.
  const clampNs = (ns: bigint) => clampToWindowEnd(s, ns);
  const from = clampNs(fromNs);
  const to = clampNs(toNs);
  const start = Number((from - s.firstWindowEndNs) / NS_PER_WINDOW);
  const nWindows = Number((to - from) / NS_PER_WINDOW) + 1;
  const layout = s.layout;

  // One copy of each window out of the ring (the build may overwrite the slot meanwhile), of
  // the asked fields only.
  const fieldIndex = fields.map((f) => HEATMAP_FIELDS.indexOf(f));
  const raws: (RawFrame | null)[] = [];
  const snaps = emptySnapshotColumns(start, nWindows);
  let lo: bigint | null = null;
  let hi: bigint | null = null;
  for (let i = 0; i < nWindows; i++) {
    snaps.windowEnd[i] = from + BigInt(i) * NS_PER_WINDOW;
    const raw = new RawFrame(layout.half);
    if (!src.readRawFields(start + i, raw, fieldIndex)) {
      raws.push(null);
      continue;
    }
    raws.push(raw);
    const [, spot, bid, ask, lastTrade, gridSpot] = raw.i64;
    const [spotV, bidV, askV, lastV, bookV] = raw.valid;
    snaps.spot[i] = spot;
    snaps.spotValid[i] = spotV;
    snaps.bestBid[i] = bid;
    snaps.bestBidValid[i] = bidV;
    snaps.bestBidQty[i] = raw.qty[0];
    snaps.bestAsk[i] = ask;
    snaps.bestAskValid[i] = askV;
    snaps.bestAskQty[i] = raw.qty[1];
    snaps.lastTrade[i] = lastTrade;
    snaps.lastTradeValid[i] = lastV;
    snaps.bookValid[i] = bookV;
    if (gridSpot !== 0n) {
      // A window without a book keeps the grid spot before it, as the SQL read's does.
      if (lo === null || gridSpot < lo) lo = gridSpot;
      if (hi === null || gridSpot > hi) hi = gridSpot;
    }
  }
  const half = BigInt(layout.half) * s.tickInt;
  const priceMinInt = lo === null ? 0n : lo - half;
  const nPrices = lo === null || hi === null ? 0 : Number((hi + half - priceMinInt) / s.tickInt) + 1;
  if (nWindows * nPrices * fields.length > MAX_SLAB_VALUES) {
    throw new SlabRequestError(`a slab of ${nWindows} windows × ${nPrices} prices × ${fields.length} fields is too large`, 'request a shorter time range or fewer fields');
  }
  const cells = fields.map(() => new Float32Array(nWindows * nPrices));
  const rel = layout.relTicks;
  const tick = s.tickInt;
  for (let i = 0; i < nWindows && nPrices > 0; i++) {
    const raw = raws[i];
    if (!raw || !raw.valid[4]) continue;
    const p0 = Number((raw.gridSpot - priceMinInt) / tick);
    const o = i * nPrices + p0;
    for (let k = 0; k < fields.length; k++) {
      const srcVals = raw.fields[fieldIndex[k]];
      const dst = cells[k];
      for (let r = 0; r < layout.rows; r++) dst[o + rel[r]] += srcVals[r];
    }
  }
  return encodeSlab({ tickInt: s.tickInt, from, to, nWindows, nPrices, priceMinInt, fields, cells, snaps, rowsRead: 0 });
}
