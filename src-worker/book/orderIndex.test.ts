// The order index against a Map: nearly sequential ids (the blocked hash's case), ids equal in
// their low 32 bits but not their high ones (same hash block, told apart by the record), ids
// with equal low bits, random deletions (backward shift moves entries by their stored hash)
// and growth from a tiny table, with every id looked up after every phase.
import { describe, expect, it } from 'vitest';
import { OrderIndex } from './orderIndex';

describe('order index', () => {
  it('finds exactly the live ids through inserts, deletions and growth', () => {
    const cap = 1 << 16;
    const K = new Int32Array(cap * 8);
    const index = new OrderIndex(K, 4);
    const live = new Map<string, number>();
    const freeSlots: number[] = [];
    let nextSlot = 0;
    let seed = 12345;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const key = (hi: number, lo: number) => `${hi}:${lo}`;
    const add = (hi: number, lo: number) => {
      if (live.has(key(hi, lo)) || index.find(hi, lo) >= 0) return;
      const slot = freeSlots.length ? freeSlots.pop()! : nextSlot++;
      K[slot * 8] = hi | 0;
      K[slot * 8 + 1] = lo | 0;
      index.insert(slot);
      live.set(key(hi, lo), slot);
    };
    const del = (k: string) => {
      const slot = live.get(k)!;
      index.remove(slot);
      live.delete(k);
      freeSlots.push(slot);
    };
    const check = () => {
      expect(index.size).toBe(live.size);
      for (const [k, slot] of live) {
        const [hi, lo] = k.split(':').map(Number);
        expect(index.find(hi, lo)).toBe(slot);
      }
    };
    let seq = 0xfffffff0; // crosses 2^32 in the low word
    for (let round = 0; round < 6; round++) {
      for (let n = 0; n < 3000; n++) {
        const r = rnd();
        if (r < 0.5) add(round, (seq++ >>> 0));
        else if (r < 0.65) add(7, (seq - 1) >>> 0); // same lo as a live id, other hi
        else if (r < 0.75) add(Math.floor(rnd() * 2 ** 32), (Math.floor(rnd() * 4096) << 12) >>> 0); // equal low bits
        else if (live.size > 0) {
          const keys = [...live.keys()];
          del(keys[Math.floor(rnd() * keys.length)]);
        }
      }
      check();
      // Ids never inserted (or removed) are not found.
      expect(index.find(99, 12345)).toBe(-1);
    }
    for (const k of [...live.keys()]) del(k);
    check();
    expect(index.size).toBe(0);
  });
});
