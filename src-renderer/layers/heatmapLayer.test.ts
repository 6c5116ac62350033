import { afterEach, describe, expect, it } from 'vitest';
import { decodeEnvelope } from '../../contracts/envelope';
import type { Request, SessionInfo } from '../../contracts/protocol';
import { EngineClient } from '../engine/client';
import { forecastStore } from '../forecast/forecastStore';
import { chartStore, closeSession, openSession } from '../state/chartStore';
import type { Transport } from '../transport/transport';

// The heatmap's loader asks again for a chunk held only in part, even when its two ends are
// held: a fresh session plays window 0 (a live frame) before it opens 15 minutes in, so
// chunk 0 holds window 0 and its then-visible windows, with a hole between them.

const FIRST = 1_767_709_500_000_000_000n;
const info: SessionInfo = {
  datasetId: 1,
  sourcePath: 'demo',
  symbol: 'ESH6',
  timeZone: 'America/New_York',
  firstWindowEndNs: FIRST.toString(),
  lastWindowEndNs: (FIRST + 1199n * 1_000_000_000n).toString(),
  windowCount: 1200,
  tickInt: 250_000_000,
  priceMinInt: '6400000000000',
  priceMaxInt: '6500000000000',
  gridHalfWidthTicks: 200,
  isDemo: true,
  growing: false,
};

afterEach(() => {
  closeSession();
  forecastStore.setState({ enabled: true });
});

describe('heatmap loader', () => {
  it('asks again for a chunk whose ends are held but not the windows between them', () => {
    forecastStore.setState({ enabled: false });
    const sent: Request[] = [];
    const t: Transport = { kind: 'browser', send: (b) => sent.push(decodeEnvelope<Request>(b).message), onMessage: () => {}, onStatus: () => {}, close: () => {} };
    const c = new EngineClient();
    c.start(t);
    openSession(info);
    const data = chartStore.getState().data!;
    // Window 0 from its live frame, windows 108…299 from the first view's slab: chunk 0 "loaded".
    data.ring.claim(0);
    for (let w = 108; w < 300; w++) data.ring.claim(w);
    data.chunks.set('liquidity_velocity', new Map([[0, 'loaded']]));
    c.seekIndex(360);
    const slabs = sent.filter((m): m is Extract<Request, { kind: 'fetch_slab' }> => m.kind === 'fetch_slab');
    const firstWindows = slabs.map((m) => Number((BigInt(m.fromWindowEndNs) - FIRST) / 1_000_000_000n));
    expect(firstWindows).toContain(0);
    expect(c.visibleLoaded()).toBe(false);
  });
});
