// Golden: the book rebuilt from real Databento files matches the reference states in
// ../shared/data/real (final states asserted by nautilus_trader, checkpoints every N records).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { replayBookFile } from '../pipeline/replayBookFile';

const REAL = '../shared/data/real';

interface Checkpoint {
  record: number;
  seq: number;
  tsRecv: string;
  bestBid: string | null;
  bestAsk: string | null;
  bidLevels: number;
  askLevels: number;
  orders: number;
}

function readCheckpoints(file: string): Checkpoint[] {
  const out: Checkpoint[] = [];
  const re = /after record #(\d+) .*ts_recv=(\d+) seq=(\d+) best_bid=(\S+) best_ask=(\S+) bid_levels=(\d+) ask_levels=(\d+) orders=(\d+)/;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = re.exec(line);
    if (!m) continue;
    const px = (s: string) => (s === 'None' ? null : String(Number(s)));
    out.push({ record: +m[1], tsRecv: m[2], seq: +m[3], bestBid: px(m[4]), bestAsk: px(m[5]), bidLevels: +m[6], askLevels: +m[7], orders: +m[8] });
  }
  return out;
}

async function checkFile(dbn: string, checkpointsFile: string) {
  const expected = readCheckpoints(`${REAL}/${checkpointsFile}`);
  expect(expected.length).toBeGreaterThan(10);
  const r = await replayBookFile(`${REAL}/${dbn}`, { atRecords: expected.map((c) => c.record) });
  expect(r.checkpoints.map((c) => c.record)).toEqual(expected.map((c) => c.record));
  r.checkpoints.forEach((got, k) => {
    const e = expected[k];
    expect({
      record: got.record,
      tsRecv: got.lastTsRecv,
      seq: got.lastSequence,
      bestBid: got.bestBid ? String(Number(got.bestBid.price)) : null,
      bestAsk: got.bestAsk ? String(Number(got.bestAsk.price)) : null,
      bidLevels: got.bidLevels,
      askLevels: got.askLevels,
      orders: got.restingOrders,
    }).toEqual(e);
  });
  return r;
}

describe('order book on real CME data', () => {
  it('ESH4 2023-12-25: every checkpoint and the final state match', async () => {
    const r = await checkFile('esh4-glbx-mdp3-20231225.mbo.dbn.zst', 'esh4-glbx-mdp3-20231225.book-checkpoints.txt');
    expect(r.final.record).toBe(68_792);
    expect(r.final.bestBid).toEqual({ price: '4810', size: 22, orders: 22 });
    expect(r.final.bestAsk).toEqual({ price: '4810.25', size: 28, orders: 18 });
    expect([r.final.bidLevels, r.final.askLevels, r.final.restingOrders]).toEqual([922, 565, 11_217]);
    expect(r.final.lastTsRecv).toBe('1703548799446821072');
    expect(r.final.lastSequence).toBe(59_585);
    expect(r.book.topLevels(0, 5).map(([t, q, c]) => [t * 0.25, q, c])).toEqual([
      [4810.0, 22, 22],
      [4809.75, 47, 22],
      [4809.5, 50, 23],
      [4809.25, 60, 30],
      [4809.0, 85, 33],
    ]);
    expect(r.book.topLevels(1, 5).map(([t, q, c]) => [t * 0.25, q, c])).toEqual([
      [4810.25, 28, 18],
      [4810.5, 40, 27],
      [4810.75, 41, 24],
      [4811.0, 60, 29],
      [4811.25, 65, 36],
    ]);
    expect(r.final.crossed).toBe(false);
  });

  it('ESM4 2024-05-08 (R clear then snapshot): every checkpoint and the final state match', async () => {
    const r = await checkFile('orderbooks_mbo_2024-05-08T00-00-00_2024-05-08T00-00-02.dbn.zst', 'orderbooks_mbo_2024-05-08.book-checkpoints.txt');
    expect(r.final.record).toBe(13_796);
    expect(r.final.bestBid).toEqual({ price: '5214', size: 28, orders: 22 });
    expect(r.final.bestAsk).toEqual({ price: '5214.25', size: 17, orders: 11 });
    expect([r.final.bidLevels, r.final.askLevels, r.final.restingOrders]).toEqual([976, 571, 13_598]);
    expect(r.final.lastSequence).toBe(11_051_240);
    expect(r.final.skipped).toEqual({});
  });
});
