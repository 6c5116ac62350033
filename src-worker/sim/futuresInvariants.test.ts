// The futures day obeys Databento's CME conventions, checked by an independent book replay
// (replayCheck.ts shares no code with the generator): live orders only, no negative sizes,
// never crossed after F_LAST, ts_recv monotone, trades as T → F… → C/M in one event.
import { describe, expect, it } from 'vitest';
import type { MboBatch } from '../dbn/mboBatch';
import { simulateFuturesBatches } from './index';
import { ReplayChecker } from './replayCheck';

interface Seen {
  actions: Map<string, number>;
  snapshotFlags: Set<number>;
  lastSnapshotFlags: number;
  liveLastFlags: Set<number>;
  records: number;
  maxEventLen: number;
  prices: number[];
  channel: Set<number>;
  maxDelta: number;
  minDelta: number;
  maxLatencyNs: number;
}

function run(opts: Parameters<typeof simulateFuturesBatches>[0]) {
  const check = new ReplayChecker();
  const seen: Seen = { actions: new Map(), snapshotFlags: new Set(), lastSnapshotFlags: 0, liveLastFlags: new Set(), records: 0, maxEventLen: 0, prices: [], channel: new Set(), maxDelta: 0, minDelta: Infinity, maxLatencyNs: 0 };
  let evLen = 0;
  for (const b of simulateFuturesBatches(opts) as Iterable<MboBatch>) {
    check.push(b);
    for (let i = 0; i < b.count; i++) {
      seen.records++;
      const a = String.fromCharCode(b.action[i]);
      seen.actions.set(a, (seen.actions.get(a) ?? 0) + 1);
      seen.channel.add(b.channelId[i]);
      if (b.flags[i] & 0x20) {
        seen.snapshotFlags.add(b.flags[i] & 0x7f);
        seen.lastSnapshotFlags = b.flags[i];
      } else {
        evLen++;
        if (b.flags[i] & 0x80) {
          seen.liveLastFlags.add(b.flags[i]);
          seen.maxEventLen = Math.max(seen.maxEventLen, evLen);
          evLen = 0;
        } else expect(b.flags[i]).toBe(0);
        seen.maxDelta = Math.max(seen.maxDelta, b.tsInDelta[i]);
        seen.minDelta = Math.min(seen.minDelta, b.tsInDelta[i]);
        const lat = (b.tsRecvHi[i] - b.tsEventHi[i]) * 4294967296 + (b.tsRecvLo[i] - b.tsEventLo[i]);
        seen.maxLatencyNs = Math.max(seen.maxLatencyNs, lat);
        if (b.action[i] === 0x54) seen.prices.push(b.price[i]);
      }
    }
  }
  return { rep: check.finish(), seen };
}

describe('simulated futures day', () => {
  it('passes the independent replay across the 09:30 open (snapshot, pre-open, open)', () => {
    const { rep, seen } = run({ start: '09:28', end: '09:31', intensity: 0.4, seed: 3 });
    expect(rep.violations).toEqual([]);
    expect(rep.records).toBe(seen.records);
    // every action of a CME MBO feed appears, in proportions like the real ESH4 file
    for (const a of ['A', 'C', 'M', 'T', 'F']) expect(seen.actions.get(a) ?? 0).toBeGreaterThan(100);
    expect(seen.actions.get('A')! / seen.records).toBeGreaterThan(0.25);
    expect(seen.actions.get('T')! / seen.records).toBeLessThan(0.1);
    // snapshot: F_SNAPSHOT|F_BAD_TS_RECV (0x28), the last one with F_LAST
    expect([...seen.snapshotFlags]).toEqual([0x28]);
    expect(seen.lastSnapshotFlags).toBe(0xa8);
    // live events end with F_LAST (+ the publisher bit real files carry), others have no flags
    expect([...seen.liveLastFlags]).toEqual([0x82]);
    expect(seen.channel).toEqual(new Set([0]));
    // ts_in_delta of ~10–30 µs, ts_recv − ts_event from ~80 µs to a few ms
    expect(seen.minDelta).toBeGreaterThan(5_000);
    expect(seen.maxDelta).toBeLessThan(200_000);
    expect(seen.maxLatencyNs).toBeLessThan(30_000_000);
    // ES prices on the 0.25 grid near the chosen level
    for (const p of seen.prices) {
      expect(p % 250_000_000).toBe(0);
      expect(p / 1e9).toBeGreaterThan(6000);
      expect(p / 1e9).toBeLessThan(7000);
    }
    const book = [...rep.books.values()][0];
    expect(book.bestBid).toBeLessThan(book.bestAsk);
    expect(book.orders).toBeGreaterThan(1000);
  });

  it('is several times busier after the 09:30 open than before it', () => {
    let pre = 0;
    let post = 0;
    const openSec = Date.UTC(2026, 0, 6, 14, 30) / 1000;
    for (const b of simulateFuturesBatches({ start: '09:25', end: '09:35', intensity: 0.2, seed: 5 })) {
      for (let i = 0; i < b.count; i++) {
        if (b.flags[i] & 0x20) continue;
        if (b.tsRecvSec[i] < openSec) pre++;
        else post++;
      }
    }
    expect(post).toBeGreaterThan(2.5 * pre);
  });

  it('runs a full Globex day (18:00–17:00) with bounded state and a silent 17:00 halt', () => {
    const check = new ReplayChecker();
    let records = 0;
    let inHalt = 0;
    let reopened = 0;
    for (const b of simulateFuturesBatches({ start: '16:50', end: '18:10', intensity: 0.05, seed: 9 })) {
      check.push(b);
      for (let i = 0; i < b.count; i++) {
        records++;
        const ny = ((b.tsRecvSec[i] - 5 * 3600) % 86400) / 3600; // EST in January
        if (ny >= 17.001 && ny < 18 && !(b.flags[i] & 0x20)) inHalt++;
        if (ny >= 18) reopened++;
      }
    }
    expect(check.finish().violations).toEqual([]);
    expect(records).toBeGreaterThan(1000);
    expect(inHalt).toBe(0);
    expect(reopened).toBeGreaterThan(100); // the 18:00 reopen is busy again
  });

  it('handles a 23-hour session at low intensity', () => {
    const check = new ReplayChecker();
    let first = 0;
    let last = 0;
    for (const b of simulateFuturesBatches({ start: '18:00', end: '17:00', intensity: 0.004, seed: 1 })) {
      check.push(b);
      if (b.count > 0) {
        if (!first) first = b.tsRecvSec[0];
        last = b.tsRecvSec[b.count - 1];
      }
    }
    const rep = check.finish();
    expect(rep.violations).toEqual([]);
    expect(last - first).toBeGreaterThan(22 * 3600);
  });
});
