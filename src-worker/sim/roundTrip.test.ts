// Round trip through the project's encoder and decoder: every column of every generated record
// comes back exactly (timestamps, order ids and prices included).
import { describe, expect, it } from 'vitest';
import { DbnWriter, decodeDbnSync, memorySink, type MboBatch } from '../dbn';
import { futuresMetadata, makeFuturesSim, planSimulation } from './index';

const COLS = ['publisherId', 'instrumentId', 'tsEventHi', 'tsEventLo', 'tsRecvHi', 'tsRecvLo', 'tsRecvSec', 'tsRecvNano', 'orderIdHi', 'orderIdLo', 'price', 'size', 'flags', 'channelId', 'action', 'side', 'tsInDelta', 'sequence'] as const;

describe('simulator ↔ DBN encoder/decoder round trip', () => {
  it('decodes exactly what was generated', async () => {
    const plan = planSimulation({ start: '09:30', end: '09:30:20', intensity: 0.5, seed: 4, clearBeforeSnapshot: true });
    const sim = makeFuturesSim(plan);
    const sink = memorySink();
    const w = new DbnWriter(sink);
    w.writeMetadata(futuresMetadata(plan));
    const kept: Record<string, number[]> = Object.fromEntries(COLS.map((c) => [c, []]));
    for (const b of sim.batches() as Iterable<MboBatch>) {
      for (const c of COLS) for (let i = 0; i < b.count; i++) kept[c].push((b[c] as ArrayLike<number>)[i]);
      w.writeMboBatch(b);
    }
    await w.close();
    const d = decodeDbnSync(sink.bytes());
    expect(d.error).toBeUndefined();
    expect(d.metadata?.symbols).toEqual(['ESH6']);
    expect(d.mbo.count).toBe(kept.size.length);
    expect(d.mbo.count).toBeGreaterThan(5000);
    // the R before the snapshot: undefined price survives as NaN
    expect(String.fromCharCode(d.mbo.action[0])).toBe('R');
    expect(d.mbo.price[0]).toBeNaN();
    for (const c of COLS) {
      const got = Array.from(d.mbo[c] as ArrayLike<number>).slice(0, d.mbo.count);
      const want = kept[c];
      let firstDiff = -1;
      for (let i = 0; i < want.length; i++) {
        if (!(got[i] === want[i] || (got[i] !== got[i] && want[i] !== want[i]))) {
          firstDiff = i;
          break;
        }
      }
      expect({ column: c, firstDiff }).toEqual({ column: c, firstDiff: -1 });
    }
  });
});
