import { afterEach, describe, expect, it } from 'vitest';
import { decodeEnvelope } from '../../contracts/envelope';
import type { Request, SessionInfo } from '../../contracts/protocol';
import { chartStore, closeSession, openSession } from '../state/chartStore';
import type { Transport } from '../transport/transport';
import { EngineClient } from './client';
import { perf } from './perf';

// A cold seek keeps the last picture while its slab is on its way (drawing the empty view
// would keep software GL busy and delay the slab), and asks for a draw at once when the
// visible view is held. The render loop follows drawHoldMs() and seekReady().

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

function client(): { c: EngineClient; sent: Request[] } {
  const sent: Request[] = [];
  const t: Transport = { kind: 'browser', send: (b) => sent.push(decodeEnvelope<Request>(b).message), onMessage: () => {}, onStatus: () => {}, close: () => {} };
  const c = new EngineClient();
  c.start(t);
  return { c, sent };
}

afterEach(() => closeSession());

describe('seek hold', () => {
  it('holds drawing while the sought view is missing, then asks for a draw once its windows are held', () => {
    const { c, sent } = client();
    openSession(info);
    c.seekIndex(800);
    const st = chartStore.getState();
    expect(st.nowIndex).toBe(800);
    // The view's chunks were asked for at once, and drawing waits for them.
    expect(sent.some((m) => m.kind === 'fetch_slab')).toBe(true);
    expect(c.visibleLoaded()).toBe(false);
    expect(c.drawHoldMs()).toBeGreaterThan(0);
    expect(c.seekReady()).toBe(false);
    // The slab lands: every visible window up to now is held.
    const v = st.view;
    for (let w = Math.max(0, Math.floor(v.t0)); w <= Math.min(800, Math.ceil(v.t1)); w++) st.data!.ring.claim(w);
    expect(c.visibleLoaded()).toBe(true);
    expect(c.drawHoldMs()).toBe(0);
    expect(c.seekReady()).toBe(true);
  });

  it('never holds without a seek in flight', () => {
    const { c } = client();
    openSession(info);
    expect(c.drawHoldMs()).toBe(0);
    expect(c.seekReady()).toBe(false);
  });

  it('a field switch whose view is not held keeps the last picture until it is, without a seek mark', () => {
    // A finished seek schedules its "presented" mark on the next animation frame (none in Node).
    (globalThis as { requestAnimationFrame?: (cb: () => void) => number }).requestAnimationFrame ??= () => 0;
    const { c, sent } = client();
    openSession(info);
    c.seekIndex(800);
    const st = chartStore.getState();
    const v = st.view;
    const hold = () => {
      for (let w = Math.max(0, Math.floor(v.t0)); w <= Math.min(800, Math.ceil(v.t1)); w++) st.data!.ring.claim(w);
    };
    hold();
    c.afterDraw(); // the seek is done
    const seeks = perf.seek.length;
    sent.length = 0;
    c.selectField('rho');
    // Nothing of rho is held: its slab is asked for and drawing waits for it.
    expect(sent.some((m) => m.kind === 'fetch_slab' && m.fields.includes('rho'))).toBe(true);
    expect(c.drawHoldMs()).toBeGreaterThan(0);
    expect(perf.switching?.field).toBe('rho');
    hold();
    expect(c.drawHoldMs()).toBe(0);
    expect(c.seekReady()).toBe(true);
    c.afterDraw();
    expect(c.seekReady()).toBe(false);
    expect(perf.seek.length).toBe(seeks); // a field hold is not a seek
  });
});
