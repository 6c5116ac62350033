// Golden: the engine's whole output over the real ESH4 hour (18:00–19:00 New York, 3,600
// windows × 802 cells, every silver and gold array and scalar) hashes to the value recorded
// before the compute path was optimised (commit e5a59bf). Speed work must not change one bit;
// a deliberate change of semantics must re-record it and say why.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../../contracts/params';
import { readDbnFile } from '../dbn/reader';
import { FuturesEngine } from './futuresEngine';
import { hashGridOutput } from '../fields/windowGrid';

const FILE = '../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst';
const START = 1703545200; // 2023-12-25 23:00 UTC = 18:00 New York

describe('engine output is pinned', () => {
  it('real ESH4 hour: every window of silver and gold hashes to the recorded digest', async () => {
    const h = createHash('sha256');
    const engine = new FuturesEngine(
      { instrumentId: 17077, tickInt: 250_000_000, sessionStartSec: START, sessionEndSec: START + 3600, gridHalfWidthTicks: 200, restThresholdMs: 500, params: DEFAULT_PARAMS },
      (g) => hashGridOutput(g, (d) => h.update(d)),
    );
    for await (const ev of readDbnFile(FILE)) {
      if (ev.kind !== 'mbo') continue;
      engine.pushBatch(ev.batch);
      if (engine.done) break;
    }
    engine.finish();
    expect([engine.events, engine.windows, engine.book.orderCount]).toEqual([68_792, 3600, 11_217]);
    h.update(`events=${engine.events};windows=${engine.windows};valid=${engine.validWindows};orders=${engine.book.orderCount}`);
    expect(h.digest('hex')).toBe('74ee9cb39f8d5df7df6371e3833a207d9ddc8b8f62cffbd962c0c0157ec476d9');
  }, 60_000);
});
