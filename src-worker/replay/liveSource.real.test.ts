// A session that grows: the engine runs over the real ESH4 file (the build's configuration),
// a LiveWindowSource keeps its windows, and the replay engine plays them while the file is
// still being read — at the live edge it waits for the next window instead of stopping,
// windows arrive once and in order (skipping to the ring's oldest when the build outruns it), `grown` announces each new end, and the frames
// are the stored build's frames byte for byte. Then the committed build takes over.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../../contracts/params';
import type { PlaybackState } from '../../contracts/protocol';
import { driveEngineFromFile, engineConfigOfBuild } from '../pipeline/driveEngine';
import { FuturesEngine } from '../pipeline/futuresEngine';
import { queryRows, type Database } from '../store/database';
import { encodeFrame } from './frameEncoder';
import { LiveWindowSource } from './liveWindowSource';
import { ReplayEngine } from './replayEngine';
import { SessionDataError, type ReplaySession } from './sessionInfo';
import { REAL_ESH4_FILE, useRealEsh4Session } from './testing/realEsh4Session';
import { loadWindowChunk } from './windowChunk';

let db: Database;
let stored: ReplaySession;
useRealEsh4Session('spymaster-live-', (r) => ({ db, session: stored } = r));

describe('a growing session from the running engine', () => {
  it('plays while the file is read, waits at the live edge, and hands over to the committed build', async () => {
    const [row] = await queryRows(db, `SELECT config_json FROM catalog.datasets WHERE dataset_id = ${stored.datasetId}`);
    const cfg = engineConfigOfBuild(JSON.parse(String(row.config_json)), DEFAULT_PARAMS);
    const live = new LiveWindowSource({ sourcePath: REAL_ESH4_FILE, symbol: 'ESH4', timeZone: 'America/New_York', tickInt: cfg.tickInt, isDemo: false }, 600);
    const engine = new FuturesEngine(cfg, [live]);

    const frames: { index: number; seq: number; snap: Uint8Array; grid: Uint8Array; at: number }[] = [];
    const states: PlaybackState[] = [];
    const grown: { count: number; growing: boolean }[] = [];
    let replay!: ReplayEngine;
    replay = new ReplayEngine(
      {
        frame: (seq, ns, _layers, parts) => {
          frames.push({ index: Number((ns - live.session.firstWindowEndNs) / 1_000_000_000n), seq, snap: parts[0], grid: parts[1], at: live.windowCount });
          queueMicrotask(() => replay.ack(seq)); // the window draws at once
        },
        playback: (state) => states.push(state),
        alert: (a) => {
          throw new Error(`unexpected alert ${a.code}: ${a.message}`);
        },
        grown: (_end, count, growing) => {
          if (replay.waitingForWindows) edgeWaits++; // this growth wakes a player that waited at the edge
          grown.push({ count, growing });
        },
      },
      { maxInFlightFrames: 4 },
    );
    expect(replay.beginIngest()).toBe(true);
    let attached: Promise<void> | null = null;
    let edgeWaits = 0;
    let stalled = false;
    const playheadIndex = () => Number((replay.playheadNs! - live.session.firstWindowEndNs) / 1_000_000_000n);
    await driveEngineFromFile(engine, REAL_ESH4_FILE, {
      afterBatch: async () => {
        if (!attached && live.hasWindows) {
          attached = replay.attachGrowing(live);
          await attached;
          expect(replay.machine).toMatchObject({ state: 'ready', building: true });
          expect(replay.currentSession!.info.growing).toBe(true);
          replay.setSpeed('max');
          replay.play();
        }
        await new Promise((r) => setImmediate(r)); // the decoder yields; playback gets its turn
        // Paced like a live feed that the player keeps up with: never more than 400 windows ahead
        // of the playhead (a build that runs further ahead makes playback skip to the ring's oldest window).
        while (attached && replay.state === 'playing' && live.windowCount - 1 - playheadIndex() > 400) await new Promise((r) => setTimeout(r, 2));
        // The feed stalls once: playback catches up with the live edge and must wait there, playing.
        if (!stalled && live.windowCount >= 1000) {
          stalled = true;
          for (let i = 0; i < 1000 && !replay.waitingForWindows; i++) await new Promise((r) => setTimeout(r, 5));
          expect(replay.waitingForWindows).toBe(true);
          expect(replay.state).toBe('playing');
        }
      },
    });
    expect(live.growing).toBe(false);
    expect(live.windowCount).toBe(stored.windowCount);
    // Playback reached the live edge while the file was still being read, and did not stop there.
    expect(edgeWaits).toBeGreaterThan(0);
    const changes = states.filter((x, i) => i === 0 || x !== states[i - 1]);
    expect(changes.slice(0, 3)).toEqual(['ingesting', 'ready', 'playing']);
    for (let i = 0; i < 500 && replay.state === 'playing'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(states.at(-1)).toBe('paused'); // the end of the finished session
    expect(states.filter((s) => s === 'paused')).toHaveLength(1);
    // Windows in order, each once, to the last one; many sent before the build had finished.
    // The quiet Christmas hour closes up to ~10 minutes of empty windows on one event, more
    // than the 600-window ring: playback then skips exactly to the ring's oldest window.
    expect(frames[0].index).toBe(0);
    expect(frames.at(-1)!.index).toBe(stored.windowCount - 1);
    const jumps = frames.filter((f, i) => i > 0 && f.index !== frames[i - 1].index + 1);
    for (const f of jumps) expect(f.index).toBe(f.at - 600);
    expect(frames.every((f, i) => i === 0 || f.index > frames[i - 1].index)).toBe(true);
    expect(frames.length).toBeGreaterThan(stored.windowCount / 2);
    expect(frames.filter((f) => f.at < stored.windowCount).length).toBeGreaterThan(stored.windowCount / 4);
    expect(grown.at(-1)).toEqual({ count: stored.windowCount, growing: false });
    expect(grown.slice(0, -1).every((g, i) => g.growing && (i === 0 || g.count >= grown[i - 1].count))).toBe(true);
    // The same bytes as the stored build.
    const byIndex = new Map(frames.map((f) => [f.index, f]));
    for (const i of [0, 1, 1100, 3599, frames[frames.length >> 1].index]) {
      const want = encodeFrame(await loadWindowChunk(db.conn, stored, i, 1), 0, stored.tickInt);
      const f = byIndex.get(i)!;
      expect(Buffer.from(f.snap).equals(Buffer.from(want.parts[0])), `snap ${i}`).toBe(true);
      expect(Buffer.from(f.grid).equals(Buffer.from(want.parts[1])), `grid ${i}`).toBe(true);
    }
    // The ring keeps the last 600 windows; older ones answer a typed error until the commit.
    await expect(live.frame(0)).rejects.toBeInstanceOf(SessionDataError);
    await expect(live.frame(3599)).resolves.toBeTruthy();
    // The build ends (COMMIT), then the committed build takes over at the playhead.
    replay.buildDone();
    expect(replay.machine.building).toBeUndefined();
    expect(replay.state).toBe('paused');
    await replay.attach(db.conn, stored);
    expect(replay.machine.building).toBeUndefined();
    expect(replay.playheadNs).toBe(stored.firstWindowEndNs + 3599n * 1_000_000_000n);
    replay.seek(stored.firstWindowEndNs.toString());
    for (let i = 0; i < 200 && replay.state !== 'paused'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(frames.at(-1)!.index).toBe(0);
    replay.dispose();
  }, 240_000);
});
