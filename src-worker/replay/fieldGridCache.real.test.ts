// Session grids of the real ESH4 hour: when every field fits, the cache builds them all after
// the first (a few fields per scan of gold) and keeps them; each is identical, bit for bit, to
// the grid built alone by the per-field query. Issue 13: a first switch to any field is a copy.
import { describe, expect, it } from 'vitest';
import { HEATMAP_FIELDS, type HeatmapField } from '../../contracts/protocol';
import type { Database } from '../store/database';
import { FieldGridCache } from './fieldGridCache';
import type { ReplaySession } from './sessionInfo';
import { buildSlab } from './slabBuilder';
import { useRealEsh4Session } from './testing/realEsh4Session';

let db: Database;
let session: ReplaySession;
useRealEsh4Session('spymaster-grids-', (r) => ({ db, session } = r));

/** Cells whose bits differ (toEqual on 1.6 M-element arrays takes minutes). */
function differing(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.max(a.length, b.length);
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  let n = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) n++;
  return n;
}

describe('field grid cache on the real ESH4 hour', () => {
  it('builds every field after the first, in shared scans, identical to per-field grids', async () => {
    const all = new FieldGridCache(db.conn, session);
    expect(all.keepsAll).toBe(true);
    const first = await all.grid('liquidity_velocity');
    // The rest are queued at once (their promises held), then built in the background.
    await new Promise((r) => setTimeout(r, 0));
    for (const f of HEATMAP_FIELDS) expect(all.has(f)).toBe(true);
    // A field asked for before its turn is loaded on its own and is the same grid.
    const late: HeatmapField = HEATMAP_FIELDS[HEATMAP_FIELDS.length - 1];
    const grids = await Promise.all(HEATMAP_FIELDS.map((f) => all.grid(f)));
    expect(all.pendingFields).toBe(0);
    expect(grids[0]).toBe(first);

    const alone = new FieldGridCache(db.conn, session, { allFieldsMaxCells: 0, maxFields: 1 });
    expect(alone.keepsAll).toBe(false);
    let nonZeroFields = 0;
    for (let k = 0; k < HEATMAP_FIELDS.length; k++) {
      const f = HEATMAP_FIELDS[k];
      const ref = await alone.grid(f);
      expect(differing(grids[k], ref), f).toBe(0);
      if (ref.some((v) => v !== 0)) nonZeroFields++;
    }
    expect(nonZeroFields).toBeGreaterThan(20);
    expect(all.has(late)).toBe(true);
    // Nothing was dropped: a slab of six fields is served from memory (no SQL rows read).
    const from = session.firstWindowEndNs + 600n * 1_000_000_000n;
    const slab = await buildSlab(db.conn, session, from, from + 899n * 1_000_000_000n, HEATMAP_FIELDS.slice(0, 6), all);
    expect(slab.rowsRead).toBe(0);
    expect(slab.nWindows).toBe(900);
  }, 240_000);

  it('a slab of a field whose grid is not built yet reads only its windows at once, bit-identical to the grid copy', async () => {
    const c = new FieldGridCache(db.conn, session);
    await c.grid('liquidity_velocity'); // the rest is queued for the background scans
    await new Promise((r) => setTimeout(r, 0));
    const late: HeatmapField = HEATMAP_FIELDS[HEATMAP_FIELDS.length - 1];
    const from = session.firstWindowEndNs + 2600n * 1_000_000_000n;
    const to = from + 899n * 1_000_000_000n;
    const early = await buildSlab(db.conn, session, from, to, [late], c);
    // Answered before the background scans reached the field (issue 13: a switch right after
    // a session opens waits for one slice of them, not for all of them).
    expect(c.ready(late)).toBe(false);
    await c.grid(late);
    expect(c.ready(late)).toBe(true);
    const copied = await buildSlab(db.conn, session, from, to, [late], c);
    expect(copied.rowsRead).toBe(0);
    expect(Buffer.from(early.parts[1]).equals(Buffer.from(copied.parts[1]))).toBe(true);
    expect(Buffer.from(early.parts[0]).equals(Buffer.from(copied.parts[0]))).toBe(true);
  }, 240_000);

  it('a session too large for every field keeps the bounded per-field cache', () => {
    const c = new FieldGridCache(db.conn, session, { allFieldsMaxCells: session.windowCount * 10 });
    expect(c.enabled).toBe(true);
    expect(c.keepsAll).toBe(false);
  });
});
