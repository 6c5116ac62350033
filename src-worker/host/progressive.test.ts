// Progressive display through the host: a build (a test double that writes windows into the
// frame ring the host hands it, as the real engine does) opens a growing session as soon as a
// window with a book closes, grows it (throttled), serves frames and slabs from the ring while
// the build runs, and hands over to the committed build where the window is. A cancelled
// build closes its growing session and the previous session opens again.
import { describe, expect, it } from 'vitest';
import { FrameRingWriter } from '../fields/frameRing';
import { WindowGrid } from '../fields/windowGrid';
import type { IngestOptions, IngestSummary } from '../pipeline/ingestApi';
import { SYN } from '../replay/testing/syntheticStore';
import { hostHarness } from './testing/hostHarness';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'spymaster-progressive-'));
const file = join(dir, 'day.dbn.zst');
writeFileSync(file, 'placeholder: the ingest is a test double');
const summary = { datasetId: SYN.datasetId, cacheHit: false, timeZone: 'America/New_York', sessionDate: '2024-01-02' } as IngestSummary;
const firstSec = Number(SYN.firstEnd / 1_000_000_000n) - 1;

/**
 * A build that writes `windows` windows into the host's ring, then waits for `release`. Like the
 * real ingest it reports 'ingest' progress once its transaction runs (past the cache lookup);
 * `lookupOnly`: it writes windows (the eager worker starts before the lookup) but reports only
 * the lookup's 'hash' progress, then comes back as a cache hit.
 */
function fakeBuild(o: IngestOptions, windows: number, release: Promise<void>, lookupOnly = false): Promise<IngestSummary> {
  if (!o.liveFrames) throw new Error('the host gave the build no frame ring');
  const w = new FrameRingWriter(o.liveFrames, { tickInt: Number(SYN.tickInt), sessionEndSec: firstSec + SYN.windows, symbol: 'ESH4', timeZone: 'America/New_York' });
  const g = new WindowGrid(200, 4);
  g.hasRow.fill(1);
  return new Promise((resolve, reject) => {
    let i = 0;
    const tick = setInterval(() => {
      if (i < windows) {
        g.windowSec = firstSec + i;
        g.valid = true;
        g.spotTick = Number(SYN.baseSpot / SYN.tickInt);
        g.bestBidTick = g.spotTick - 1;
        g.bestAskTick = g.spotTick + 1;
        g.buf.fill(i);
        w.onWindow(g);
        i++;
        o.onProgress?.({ stage: lookupOnly ? 'hash' : 'ingest', bytesRead: i, bytesTotal: windows, events: i, eventsPerSec: 0, etaSec: null, fraction: lookupOnly ? 0 : i / windows });
      }
    }, 5);
    o.signal?.addEventListener('abort', () => {
      clearInterval(tick);
      reject(Object.assign(new Error('cancelled'), { name: 'AbortError' }));
    });
    void release.then(() => {
      clearInterval(tick);
      w.finish();
      resolve(lookupOnly ? { ...summary, cacheHit: true } : summary);
    });
  });
}

const harness = (ingest: (o: IngestOptions) => Promise<IngestSummary>) => hostHarness({ ingest });

describe('progressive display (host)', () => {
  it('opens a growing session during the build, plays and scrubs it, and hands over at COMMIT', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const { events, parts, send, until } = harness((o) => fakeBuild(o, 60, released));
    send({ kind: 'open_file', path: file, start: '09:30', end: '09:32' });
    const ready = await until<'session_ready'>((e) => e.kind === 'session_ready');
    expect(ready.session).toMatchObject({ growing: true, datasetId: -1, symbol: 'ESH4', firstWindowEndNs: SYN.firstEnd.toString(), gridHalfWidthTicks: 200 });
    expect(ready.session.plannedLastWindowEndNs).toBe((SYN.firstEnd + BigInt(SYN.windows - 1) * 1_000_000_000n).toString());
    // It grows, at most ~10 times a second.
    const t0 = Date.now();
    await until((e) => e.kind === 'session_grown' && e.windowCount >= 40);
    const grown = events.filter((e) => e.kind === 'session_grown');
    expect(grown.length).toBeLessThanOrEqual(Math.ceil((Date.now() - t0) / 100) + 2);
    // Play, seek and scrub over what is built.
    send({ kind: 'seek', windowEndNs: (SYN.firstEnd + 20n * 1_000_000_000n).toString() });
    const f20 = await until<'frame'>((e) => e.kind === 'frame' && e.windowEndNs === (SYN.firstEnd + 20n * 1_000_000_000n).toString());
    expect(f20.layers).toEqual(['snap', 'grid']);
    send({ kind: 'fetch_slab', requestId: 9, fromWindowEndNs: SYN.firstEnd.toString(), toWindowEndNs: (SYN.firstEnd + 29n * 1_000_000_000n).toString(), fields: ['rho'] });
    const slab = await until<'slab'>((e) => e.kind === 'slab' && e.requestId === 9);
    expect(slab.toWindowEndNs).toBe((SYN.firstEnd + 29n * 1_000_000_000n).toString());
    expect(parts[events.indexOf(slab)]).toHaveLength(2);
    send({ kind: 'fetch_overlays', requestId: 10, fromWindowEndNs: SYN.firstEnd.toString(), toWindowEndNs: SYN.firstEnd.toString(), kinds: ['trades'] });
    expect(events.some((e) => e.kind === 'alert' && e.alert.code === 'overlays.building')).toBe(true);
    send({ kind: 'play' });
    await until((e) => e.kind === 'playback' && e.state === 'playing');
    // COMMIT: the committed build takes over without the playhead going back to the start.
    const before = events.length;
    release();
    const committed = await until<'session_ready'>((e) => e.kind === 'session_ready', before);
    expect(committed.session).toMatchObject({ growing: false, datasetId: SYN.datasetId, firstWindowEndNs: SYN.firstEnd.toString() });
    const pb = await until<'playback'>((e) => e.kind === 'playback', before);
    expect(Number((BigInt(pb.playheadWindowEndNs!) - SYN.firstEnd) / 1_000_000_000n)).toBeGreaterThanOrEqual(20);
    expect(pb.state).toBe('playing');
    expect(events.filter((e) => e.kind === 'alert' && e.alert.severity !== 'info')).toEqual([]);
    // (The host is left open, as in engineHost.test.ts: closing DuckDB under a read in flight is not this test's subject.)
    send({ kind: 'pause' });
  }, 30_000);

  it('a cancelled build closes its growing session and the previous session opens again', async () => {
    let builds = 0;
    let release!: () => void;
    const { events, send, until } = harness((o) => {
      builds++;
      if (builds === 1) return Promise.resolve(summary); // the previous session, committed
      return fakeBuild(o, 30, new Promise<void>((r) => (release = r)));
    });
    send({ kind: 'open_file', path: file });
    await until((e) => e.kind === 'session_ready' && !e.session.growing);
    await until((e) => e.kind === 'playback' && e.state === 'ready');
    const before = events.length;
    send({ kind: 'open_file', path: file, start: '09:30', end: '09:32', force: true });
    await until((e) => e.kind === 'session_ready' && e.session.growing, before);
    send({ kind: 'cancel_ingest' });
    await until((e) => e.kind === 'ingest_cancelled', before);
    const closed = await until((e) => e.kind === 'session_closed', before);
    const back = await until<'session_ready'>((e) => e.kind === 'session_ready' && events.indexOf(e) > events.indexOf(closed), before);
    expect(back.session).toMatchObject({ growing: false, datasetId: SYN.datasetId });
    // The previous session is back before the cancellation is announced (the window keeps
    // alerts that come after the session they are about).
    const cancelled = events.findIndex((e, i) => i >= before && e.kind === 'ingest_cancelled');
    expect(cancelled).toBeGreaterThan(events.indexOf(back));
    await until((e) => e.kind === 'playback' && e.state === 'ready' && events.indexOf(e) > events.indexOf(back), before);
    send({ kind: 'play' });
    await until((e) => e.kind === 'playback' && e.state === 'playing' && events.indexOf(e) > events.indexOf(back), before);
    send({ kind: 'pause' });
    release?.();
  }, 30_000);

  it('a cache hit never shows a growing session, even when windows were built before the lookup', async () => {
    let release!: () => void;
    const { events, send, until } = harness((o) => fakeBuild(o, 40, new Promise<void>((r) => (release = r)), true));
    send({ kind: 'open_file', path: file });
    // The worker has written windows (the ring is ready) while the lookup confirms the hit.
    for (let k = 0; k < 400 && !release; k++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 400));
    expect(events.some((e) => e.kind === 'session_ready')).toBe(false);
    release();
    const ready = await until<'session_ready'>((e) => e.kind === 'session_ready');
    expect(ready.session.growing).toBeFalsy();
    expect(ready.cacheHit).toBe(true);
    expect(events.filter((e) => e.kind === 'session_ready')).toHaveLength(1);
  }, 30_000);
});
