// The report's replay is checked on the real ESH4 file against values published with it
// (../shared/data/README.md): action counts and the final book.
import { describe, expect, it } from 'vitest';
import { computeMboStats } from './report';

const REAL = '../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst';

describe('trader statistics on the real ESH4 file', () => {
  it('match the published counts and the final book', async () => {
    const s = await computeMboStats(REAL);
    expect(s.instrumentId).toBe(17077);
    expect(s.snapshotRecords).toBe(8725);
    expect(s.records).toBe(68792 - 8725);
    const live = (a: string) => Math.round((s.actionMix[a] ?? 0) * s.records);
    expect([live('A'), live('C'), live('M'), live('F'), live('T')]).toEqual([29216 - 8725, 17999, 12233, 6371, 2973]);
    expect(s.bookAtEnd).toEqual({ bidLevels: 922, askLevels: 565, orders: 11217 });
    expect(s.trades.count).toBe(2973);
    expect(s.spreadTicks.shareOneTick).toBeGreaterThan(0.5);
  });
});
