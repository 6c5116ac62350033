// The shared frame ring of progressive display: a writer on a real worker thread, a reader on
// this one. Every copy the reader accepts is one whole window (never two windows' halves),
// windows that left the ring are refused, and the header tells the reader the build's shape.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HEATMAP_FIELDS } from '../../contracts/protocol';
import { createFrameRing, frameRingBytes, FrameRingReader, FrameRingWriter, RawFrame } from './frameRing';
import { WindowGrid } from './windowGrid';

const BOOT = `
const { workerData } = require('node:worker_threads');
import(workerData.tsxApi).then((m) => { m.register(); return import(workerData.entry); });
`;

/** A whole window i: every value derived from i (see testing/ringWriterWorker.ts). */
function checkWhole(raw: RawFrame, i: number, fields: readonly number[] | null = null): void {
  expect(raw.windowEndNs).toBe(BigInt(1_001 + i) * 1_000_000_000n);
  expect(raw.qty[0]).toBe(i);
  expect(raw.qty[1]).toBe(i);
  expect(raw.i64[1]).toBe(BigInt(20_000 + (i % 7)) * 250_000_000n);
  if (!fields) for (let r = 0; r < raw.rows; r++) if (raw.depth[r] !== i) throw new Error(`window ${i}: depth[${r}] = ${raw.depth[r]} (torn)`);
  for (const k of fields ?? raw.fields.map((_, j) => j)) {
    const f = raw.fields[k];
    for (let r = 0; r < raw.rows; r++) if (f[r] !== i) throw new Error(`window ${i}: field ${k} reads ${f[r]} (torn)`);
  }
}
/** The fields a one- or two-field slab copies (readFields). */
const SOME = [0, HEATMAP_FIELDS.length - 1];

describe('frame ring', () => {
  it('a reader on another thread never accepts a half-written window', async () => {
    const half = 20;
    const capacity = 3; // tiny: the writer laps the reader constantly
    const windows = 20_000;
    const sab = createFrameRing(frameRingBytes(half, capacity));
    const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/index\.cjs$/, 'index.mjs')).href;
    const entry = new URL('./testing/ringWriterWorker.ts', import.meta.url).href;
    const reader = new FrameRingReader(sab);
    const raw = new RawFrame(half);
    const worker = new Worker(BOOT, { eval: true, workerData: { sab, windows, half, tsxApi, entry } });
    const done = new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    let finished = false;
    void done.then(() => (finished = true));
    let accepted = 0;
    let refused = 0;
    // Read the newest window (the slot the writer comes back to soonest) over and over.
    while (!finished) {
      const n = reader.windows;
      if (n === 0) {
        await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      for (let k = 0; k < 200; k++) {
        const i = Math.max(0, reader.windows - 1 - (k % capacity));
        const some = k % 2 === 1;
        if (some ? reader.readFields(i, raw, SOME) : reader.read(i, raw)) {
          checkWhole(raw, i, some ? SOME : null);
          accepted++;
        } else refused++;
      }
      await new Promise((r) => setImmediate(r));
    }
    await done;
    await worker.terminate();
    expect(accepted).toBeGreaterThan(100);
    expect(reader.windows).toBe(windows);
    expect(reader.finished).toBe(true);
    // The last `capacity` windows are held, whole; the ones before are refused.
    expect(reader.firstHeld()).toBe(windows - capacity);
    for (let i = windows - capacity; i < windows; i++) {
      expect(reader.read(i, raw)).toBe(true);
      checkWhole(raw, i);
    }
    expect(reader.read(windows - capacity - 1, raw)).toBe(false);
    expect(reader.read(windows, raw)).toBe(false);
    const info = reader.info()!;
    expect(info).toMatchObject({ windows, finished: true, half, capacity, tickInt: 250_000_000, sessionEndSec: 1_000 + windows, symbol: 'ESH4', timeZone: 'America/New_York' });
    expect(info.firstWindowEndNs).toBe(1_001_000_000_000n);
    console.log(`ring: ${accepted} whole copies accepted, ${refused} refused while the writer lapped the ring`);
  }, 60_000);

  it('sizes slots from the half-width and refuses a buffer that holds no window', () => {
    expect(frameRingBytes(200, 1) - frameRingBytes(200, 0)).toBe(Math.ceil((72 + 4 * 802 * (1 + HEATMAP_FIELDS.length)) / 8) * 8);
    const g = new WindowGrid(5, 2);
    const small = new FrameRingWriter(createFrameRing(frameRingBytes(5, 1) - 8), { tickInt: 1, sessionEndSec: 2, symbol: 'X', timeZone: 'UTC' });
    expect(() => small.onWindow(g)).toThrow(/holds no window/);
    expect(() => new FrameRingReader(new SharedArrayBuffer(256))).toThrow(/not a frame ring/);
  });

  it('an invalid window keeps the last valid grid spot and reads as zeros', () => {
    const sab = createFrameRing(frameRingBytes(2, 4));
    const w = new FrameRingWriter(sab, { tickInt: 10, sessionEndSec: 100, symbol: 'X', timeZone: 'UTC' });
    const g = new WindowGrid(2, 2);
    g.windowSec = 10;
    g.valid = true;
    g.spotTick = 50;
    g.bestBidTick = 49;
    g.bestAskTick = 51;
    g.hasRow.fill(1);
    g.buf.fill(3);
    w.onWindow(g);
    g.windowSec = 11;
    g.valid = false;
    g.spotTick = NaN;
    w.onWindow(g);
    const r = new FrameRingReader(sab);
    const raw = new RawFrame(2);
    expect(r.read(1, raw)).toBe(true);
    expect(raw.gridSpot).toBe(500n);
    expect(raw.valid[4]).toBe(0);
    expect(raw.valid[0]).toBe(0);
    expect([...raw.depth].every((v) => v === 0)).toBe(true);
    expect(r.read(0, raw)).toBe(true);
    expect([...raw.fields[0]].every((v) => v === 3)).toBe(true);
  });
});
