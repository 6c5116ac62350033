import { describe, expect, it } from 'vitest';
import type { DecodedSlab } from './decode';
import { SlabCache } from './slabCache';

const slab = (n: number) => ({ nWindows: 1, fields: new Map([['rho', new Float32Array(n)]]) }) as unknown as DecodedSlab;
const asked = { fromNs: '1', toNs: '2' };

describe('slab cache', () => {
  it('replays a field’s slabs oldest first and drops the oldest beyond its byte limit', () => {
    const c = new SlabCache(1000);
    const a = slab(100);
    const b = slab(100);
    c.keep('rho', a, asked);
    c.keep('rho', b, asked);
    c.keep('nu', slab(10), asked);
    const seen: DecodedSlab[] = [];
    expect(c.replay('rho', (s) => seen.push(s))).toBe(2);
    expect(seen).toEqual([a, b]);
    c.keep('rho', slab(200), asked); // 400 + 400 + 40 + 800 bytes (+64 each) > 1000
    expect(c.replay('rho', () => {})).toBe(1);
  });
});
