import { describe, expect, it } from 'vitest';
import { EnvelopeStreamReader, lengthPrefix } from './envelopeStream';

/** Envelopes of the given sizes framed as the engine child writes them, filled with a pattern. */
function stream(sizes: number[]): { bytes: Uint8Array; messages: Uint8Array[] } {
  const messages = sizes.map((n, k) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + k * 13) & 0xff));
  const bytes = new Uint8Array(sizes.reduce((s, n) => s + 4 + n, 0));
  let o = 0;
  for (const m of messages) {
    bytes.set(lengthPrefix(m.length), o);
    bytes.set(m, o + 4);
    o += 4 + m.length;
  }
  return { bytes, messages };
}

/** Byte-for-byte equal lists (vitest's deep equality is slow on 100 kB arrays). */
const same = (a: Uint8Array[], b: Uint8Array[]) => a.length === b.length && a.every((x, i) => Buffer.from(x).equals(Buffer.from(b[i])));

/** Feeds `bytes` in reads of the given sizes (cycled); returns the envelopes (copied: views into the reads). */
function read(bytes: Uint8Array, reads: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  const r = new EnvelopeStreamReader((e) => out.push(e.slice()));
  for (let o = 0, k = 0; o < bytes.length; k++) {
    const n = reads[k % reads.length];
    r.push(bytes.subarray(o, o + n));
    o += n;
  }
  expect(r.owed).toBe(0);
  return out;
}

describe('EnvelopeStreamReader', () => {
  const { bytes, messages } = stream([12, 0, 7_000, 5, 20_000, 1_000, 1_001, 3]);

  for (const reads of [[bytes.length], [1], [3], [4], [1_000], [100, 7, 1_000, 2]]) {
    it(`gives back every envelope whole and byte for byte, whatever the reads (${reads.join(', ')})`, () => {
      expect(same(read(bytes, reads), messages)).toBe(true);
    });
  }

  it('hands out an envelope that came in one read without copying it', () => {
    const { bytes: one } = stream([300]);
    const got: Uint8Array[] = [];
    new EnvelopeStreamReader((e) => got.push(e)).push(one);
    expect(got).toHaveLength(1);
    expect(got[0].buffer).toBe(one.buffer);
    expect(got[0].byteOffset).toBe(4);
  });

  it('says how much of an envelope cut short is owed, and reset() forgets it (a restarted engine)', () => {
    const got: Uint8Array[] = [];
    const r = new EnvelopeStreamReader((e) => got.push(e.slice()));
    r.push(stream([50]).bytes.subarray(0, 30));
    expect(r.owed).toBe(24);
    expect(got).toHaveLength(0);
    r.reset();
    expect(r.owed).toBe(0);
    const b = stream([6]);
    r.push(b.bytes);
    expect(same(got, b.messages)).toBe(true);
  });
});
