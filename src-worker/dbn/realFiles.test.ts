// The real CME files decode with the record and action counts of ../shared/data/README.md,
// streamed in bounded batches exactly as in memory.
import { describe, expect, it } from 'vitest';
import { decodeDbnSync, readDbnFile, F_LAST, F_SNAPSHOT, ACTION_CLEAR, type MboBatch, type DbnCounts } from './index';
import { bytesOf, ESH4, ESH4_SNAPSHOT, ESM4, mboRow } from './testing/fixtures';

const ESH4_ACTIONS = { A: 29216, C: 17999, M: 12233, F: 6371, T: 2973 };

function lastRow(b: MboBatch): Record<string, string | number> {
  return mboRow(b, b.count - 1);
}

describe('ESH4 2023-12-25 (v1, zstd)', () => {
  const r = decodeDbnSync(bytesOf(ESH4));

  it('has 68,792 MBO records with the documented action counts', () => {
    expect(r.counts).toEqual({ records: 68792, by_rtype: { mbo: 68792 }, by_action: ESH4_ACTIONS, skipped: 0 });
    expect(r.mbo.count).toBe(68792);
    expect(r.metadata?.version).toBe(1);
    expect(r.metadata?.symbols).toEqual(['ESH4']);
    expect(r.metadata?.mappings[0].intervals[0].symbol).toBe('17077');
  });

  it('starts with the 8,725-add snapshot (flags 40, the last one without F_LAST)', () => {
    const b = r.mbo;
    let notSnapshotAdd = 0;
    for (let i = 0; i < 8725; i++) if (b.action[i] !== 0x41 || (b.flags[i] & F_SNAPSHOT) === 0) notSnapshotAdd++;
    expect(notSnapshotAdd).toBe(0);
    expect(b.flags[8724] & F_LAST).toBe(0);
    expect(b.flags[8725] & F_SNAPSHOT).toBe(0);
    expect(new Set(Array.from(b.instrumentId.subarray(0, b.count)))).toEqual(new Set([17077]));
  });

  it('ends at ts_recv 1703548799446821072, sequence 59585', () => {
    expect(lastRow(r.mbo).ts_recv).toBe('1703548799446821072');
    expect(lastRow(r.mbo).sequence).toBe(59585);
  });

  it('ts_recv seconds/nanos agree with hi/lo for every record and never go backwards', () => {
    const b = r.mbo;
    let prev = -1;
    let splitMismatches = 0;
    let backwards = 0;
    for (let i = 0; i < b.count; i++) {
      const ns = BigInt(b.tsRecvSec[i]) * 1000000000n + BigInt(b.tsRecvNano[i]);
      if (((BigInt(b.tsRecvHi[i]) << 32n) | BigInt(b.tsRecvLo[i])) !== ns) splitMismatches++;
      const t = b.tsRecvSec[i] * 1e9 + b.tsRecvNano[i];
      if (t < prev) backwards++;
      prev = t;
    }
    expect({ splitMismatches, backwards }).toEqual({ splitMismatches: 0, backwards: 0 });
  });

  it('streams in small batches to exactly the same columns', async () => {
    const all = r.mbo;
    let at = 0;
    let counts: DbnCounts | null = null;
    for await (const ev of readDbnFile(ESH4, { batchSize: 1000 })) {
      if (ev.kind === 'end') counts = ev.counts;
      if (ev.kind !== 'mbo') continue;
      const b = ev.batch;
      expect(b.count).toBeLessThanOrEqual(1000);
      for (const k of ['orderIdLo', 'orderIdHi', 'price', 'size', 'tsRecvLo', 'tsRecvNano', 'sequence', 'action', 'side', 'recordIndex'] as const) {
        expect(Array.from(b[k].subarray(0, b.count))).toEqual(Array.from(all[k].subarray(at, at + b.count)));
      }
      at += b.count;
    }
    expect(at).toBe(68792);
    expect(counts).toEqual(r.counts);
  });
});

describe('ESH4 2023-12-24 snapshot alone', () => {
  it('is 8,725 adds at one instant, the last with F_LAST', () => {
    const r = decodeDbnSync(bytesOf(ESH4_SNAPSHOT));
    expect(r.counts.by_action).toEqual({ A: 8725 });
    expect(r.mbo.flags[8724] & F_LAST).toBe(F_LAST);
    expect(new Set(Array.from(r.mbo.tsRecvNano.subarray(0, 8725), (n, i) => `${r.mbo.tsRecvSec[i]}.${n}`)).size).toBe(1);
  });
});

describe('ESM4 2024-05-08 00:00:00–00:00:02 (v1, zstd)', () => {
  const r = decodeDbnSync(bytesOf(ESM4));

  it('is an R clear with undefined price, a 13,600-record snapshot ending with F_LAST, then 195 live records', () => {
    const b = r.mbo;
    expect(r.counts.records).toBe(1 + 13600 + 195);
    expect(b.action[0]).toBe(ACTION_CLEAR);
    expect(Number.isNaN(b.price[0])).toBe(true);
    let notSnapshot = 0;
    for (let i = 1; i <= 13600; i++) if ((b.flags[i] & F_SNAPSHOT) === 0) notSnapshot++;
    expect(notSnapshot).toBe(0);
    expect(b.flags[13600] & F_LAST).toBe(F_LAST);
    expect(b.flags[13601] & F_SNAPSHOT).toBe(0);
    expect(r.counts.by_action).toEqual({ A: 13678, C: 80, F: 5, M: 27, R: 1, T: 5 });
  });

  it('ends at sequence 11051240 on instrument 5602', () => {
    expect(lastRow(r.mbo).sequence).toBe(11051240);
    expect(lastRow(r.mbo).instrument_id).toBe(5602);
  });
});
