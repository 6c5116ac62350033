// Frames cut from the running engine (GridFrameEncoder over the engine's WindowGrid) are the
// same bytes as frames cut from the stored build of the same windows (encodeFrame over a
// DuckDB chunk): the real ESH4 hour, run through the engine from the file with the build's own
// configuration. This is what lets a growing session play windows before they are committed.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../../contracts/params';
import { stepOf } from '../fields/windowStep';
import { driveEngineFromFile, engineConfigOfBuild } from '../pipeline/driveEngine';
import { FuturesEngine } from '../pipeline/futuresEngine';
import { queryRows, type Database } from '../store/database';
import { encodeFrame, GridFrameEncoder, type EncodedFrame } from './frameEncoder';
import type { ReplaySession } from './sessionInfo';
import { REAL_ESH4_FILE, useRealEsh4Session } from './testing/realEsh4Session';
import { loadWindowChunk } from './windowChunk';

let db: Database;
let session: ReplaySession;
useRealEsh4Session('spymaster-engine-frames-', (r) => ({ db, session } = r));

describe('frames from the engine', () => {
  it('equal the frames read back from DuckDB, byte for byte (real ESH4 hour, sampled windows)', async () => {
    const [row] = await queryRows(db, `SELECT config_json FROM catalog.datasets WHERE dataset_id = ${session.datasetId}`);
    const cfg = engineConfigOfBuild(JSON.parse(String(row.config_json)), DEFAULT_PARAMS);
    const sample = new Set<number>([0, 1, 2, 3, 599, 1799, 1800, 1801, 3598, 3599]);
    for (let i = 0; i < 3600; i += 173) sample.add(i);
    const enc = new GridFrameEncoder(session.tickInt);
    const got = new Map<number, EncodedFrame>();
    let index = 0;
    const engine = new FuturesEngine(cfg, [
      stepOf('frame_tap', (g) => {
        // Every window is encoded (the encoder carries the last valid spot); a sample is kept.
        const f = enc.encode(g);
        if (sample.has(index)) got.set(index, f);
        index++;
      }),
    ]);
    await driveEngineFromFile(engine, REAL_ESH4_FILE);
    expect(index).toBe(session.windowCount);
    expect(engine.validWindows).toBeGreaterThan(3000);
    for (const i of [...sample].sort((a, b) => a - b)) {
      const chunk = await loadWindowChunk(db.conn, session, i, 1);
      const want = encodeFrame(chunk, 0, session.tickInt);
      const f = got.get(i)!;
      expect(f.windowEndNs).toBe(want.windowEndNs);
      expect(f.layers).toEqual(['snap', 'grid']);
      expect(Buffer.from(f.parts[0]).equals(Buffer.from(want.parts[0])), `snap of window ${i}`).toBe(true);
      expect(Buffer.from(f.parts[1]).equals(Buffer.from(want.parts[1])), `grid of window ${i}`).toBe(true);
    }
  }, 240_000);
});
