// Progressive display on the real ESH4 hour: an ingest given a frame ring (`liveFrames`) shows
// its windows while it builds, and every frame read from the ring is the frame replayed from
// the committed build, byte for byte — with the build on the ingest worker and inline. A slab
// cut from the ring (scrubbing a session that is still being built) is the committed build's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEATMAP_FIELDS } from '../../contracts/protocol';
import { createFrameRing, frameRingBytes } from '../fields/frameRing';
import { ingestFile } from '../pipeline/ingest';
import { closeDatabase, openDatabase, type Database } from '../store/database';
import { encodeFrame } from './frameEncoder';
import { RingWindowSource } from './ringWindowSource';
import { buildRingSlab } from './ringSlab';
import { loadReplaySession } from './sessionInfo';
import { buildSlab } from './slabBuilder';
import { REAL_ESH4_FILE } from './testing/realEsh4Session';
import { loadWindowChunk } from './windowChunk';

let dir: string;
let db: Database;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spymaster-ring-ingest-'));
  db = await openDatabase(join(dir, 'esh4.duckdb'));
});
afterAll(async () => {
  await closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

describe.each(['worker', 'inline'] as const)('an ingest with liveFrames (%s)', (threads) => {
  it('shows windows before COMMIT, and its frames are the committed build’s, byte for byte', async () => {
    const sab = createFrameRing(frameRingBytes(200, 3_700));
    const live = new RingWindowSource(sab, { sourcePath: REAL_ESH4_FILE, isDemo: false, pollMs: 20 });
    let seenBeforeCommit = 0;
    let grownEvents = 0;
    live.onGrow(() => grownEvents++);
    const summary = await ingestFile({
      file: REAL_ESH4_FILE,
      dbPath: db.path,
      db,
      start: '18:00',
      end: '19:00',
      tz: 'America/New_York',
      force: true,
      threads,
      liveFrames: sab,
      onProgress: (p) => {
        if (p.stage === 'commit' && live.hasWindows) seenBeforeCommit = live.session.windowCount;
      },
    });
    expect(summary.threads).toBe(threads);
    live.poll();
    const session = await loadReplaySession(db.conn, summary.datasetId, { timeZone: summary.timeZone, isDemo: false });
    // The session was showable (and growing) while the build ran.
    expect(seenBeforeCommit).toBeGreaterThan(3_000);
    expect(grownEvents).toBeGreaterThan(0);
    expect(live.growing).toBe(false);
    expect(live.session.windowCount).toBe(session.windowCount);
    expect(live.session.firstWindowEndNs).toBe(session.firstWindowEndNs);
    expect(live.session.info.symbol).toBe('ESH4');
    expect(live.session.info.plannedLastWindowEndNs).toBe(summary.sessionEndNs);
    expect(live.firstAvailable).toBe(0);

    let mismatches = 0;
    for (let start = 0; start < session.windowCount; start += 60) {
      const chunk = await loadWindowChunk(db.conn, session, start, 60);
      for (let j = 0; j < chunk.count; j++) {
        const want = encodeFrame(chunk, j, session.tickInt);
        const got = await live.frame(start + j);
        if (got.windowEndNs !== want.windowEndNs || !Buffer.from(got.parts[0]).equals(Buffer.from(want.parts[0])) || !Buffer.from(got.parts[1]).equals(Buffer.from(want.parts[1]))) mismatches++;
      }
    }
    expect(mismatches).toBe(0);

    // Scrubbing while the build runs: a slab from the ring equals the committed build's.
    const from = session.firstWindowEndNs + 1_200n * 1_000_000_000n;
    const to = from + 299n * 1_000_000_000n;
    const fields = [HEATMAP_FIELDS[0], 'rho' as const, 'pressure_grad' as const];
    const a = buildRingSlab(live, from, to, fields);
    const b = await buildSlab(db.conn, session, from, to, fields);
    expect(a.nPrices).toBe(b.nPrices);
    expect(a.priceMinInt).toBe(b.priceMinInt);
    expect(Buffer.from(a.parts[0]).equals(Buffer.from(b.parts[0]))).toBe(true);
    expect(Buffer.from(a.parts[1]).equals(Buffer.from(b.parts[1]))).toBe(true);
    live.dispose();
  }, 300_000);
});
