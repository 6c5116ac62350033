import { describe, expect, it } from 'vitest';
import { EnvelopeStreamReader, lengthPrefix, type EnvelopePiece } from './envelopeStream';

/** Envelopes of the given sizes framed as the engine child writes them, filled with a pattern. */
function stream(sizes: number[]): { bytes: Uint8Array; messages: Uint8Array[] } {
  const messages = sizes.map((n, k) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + k * 13) & 0xff));
  const total = sizes.reduce((s, n) => s + 4 + n, 0);
  const bytes = new Uint8Array(total);
  let o = 0;
  for (const m of messages) {
    bytes.set(lengthPrefix(m.length), o);
    bytes.set(m, o + 4);
    o += 4 + m.length;
  }
  return { bytes, messages };
}

/** Feeds `bytes` in reads of the given sizes (cycled) and returns every piece. */
function read(bytes: Uint8Array, reads: number[], streamAbove?: number): EnvelopePiece[] {
  const pieces: EnvelopePiece[] = [];
  // (Copied: the reader hands out views into the reads, which a real stream does not reuse.)
  const r = new EnvelopeStreamReader((p) => pieces.push({ ...p, bytes: p.bytes.slice() }), streamAbove);
  for (let o = 0, k = 0; o < bytes.length; k++) {
    const n = reads[k % reads.length];
    r.push(bytes.subarray(o, o + n));
    o += n;
  }
  expect(r.owed).toBe(0);
  return pieces;
}

/** The envelopes the pieces make, checking that pieces of one envelope come in order and whole. */
function join(pieces: EnvelopePiece[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let cur: Uint8Array[] | null = null;
  for (const p of pieces) {
    if (p.first) {
      expect(cur).toBeNull();
      cur = [];
    }
    expect(cur).not.toBeNull();
    cur!.push(p.bytes);
    if (p.last) {
      const len = cur!.reduce((s, b) => s + b.length, 0);
      expect(len).toBe(p.total);
      const m = new Uint8Array(len);
      let o = 0;
      for (const b of cur!) (m.set(b, o), (o += b.length));
      out.push(m);
      cur = null;
    }
  }
  expect(cur).toBeNull();
  return out;
}

/** Byte-for-byte equal lists (vitest's deep equality is slow on 100 kB arrays). */
const same = (a: Uint8Array[], b: Uint8Array[]) => a.length === b.length && a.every((x, i) => Buffer.from(x).equals(Buffer.from(b[i])));

describe('EnvelopeStreamReader', () => {
  // (A 1 000-byte threshold: the same cases as 64 KiB, around the threshold, with fewer bytes.)
  const sizes = [12, 0, 7_000, 5, 20_000, 1_000, 1_001, 3];
  const { bytes, messages } = stream(sizes);

  for (const reads of [[bytes.length], [1], [3], [4], [1_000], [100, 7, 1_000, 2]]) {
    it(`gives back every envelope byte for byte, whatever the reads (${reads.join(', ')})`, () => {
      const pieces = read(bytes, reads, 1_000);
      expect(same(join(pieces), messages)).toBe(true);
      // Small envelopes come whole; only those above the threshold may come in pieces.
      for (const p of pieces) if (p.total <= 1_000) expect(p.first && p.last).toBe(true);
    });
  }

  it('streams a large envelope as the reads bring it, without waiting for its end', () => {
    const { bytes } = stream([300_000]);
    const pieces: EnvelopePiece[] = [];
    const r = new EnvelopeStreamReader((p) => pieces.push(p), 64 * 1024);
    r.push(bytes.subarray(0, 100_004));
    expect(pieces).toHaveLength(1);
    expect(pieces[0]).toMatchObject({ first: true, last: false, total: 300_000 });
    expect(pieces[0].bytes.length).toBe(100_000);
    expect(r.owed).toBe(200_000);
    r.push(bytes.subarray(100_004));
    expect(pieces.map((p) => [p.first, p.last])).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(r.owed).toBe(0);
  });

  it('with no threshold every envelope comes whole', () => {
    const pieces = read(bytes, [4096], Infinity);
    expect(pieces.every((p) => p.first && p.last)).toBe(true);
    expect(same(pieces.map((p) => p.bytes), messages)).toBe(true);
  });

  it('reset() forgets an envelope cut short (a restarted engine starts a new stream)', () => {
    const pieces: EnvelopePiece[] = [];
    const r = new EnvelopeStreamReader((p) => pieces.push(p), 10);
    const a = stream([50]).bytes;
    r.push(a.subarray(0, 30));
    expect(r.owed).toBe(24);
    r.reset();
    expect(r.owed).toBe(0);
    const b = stream([6]);
    r.push(b.bytes);
    expect(pieces.at(-1)).toMatchObject({ first: true, last: true, total: 6 });
    expect(pieces.at(-1)!.bytes).toEqual(b.messages[0]);
  });
});
