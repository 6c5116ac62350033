// Cancelling a simulation keeps nothing: the promise rejects with a typed error and the
// partial output files are removed. Progress is reported on the way.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SimError, simulateToFile } from './index';

const dir = mkdtempSync(join(tmpdir(), 'sim-cancel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('simulateToFile cancellation', () => {
  it('rejects with SimError and removes every partial file', async () => {
    const out = join(dir, 'f.dbn');
    const optionsOut = join(dir, 'o.dbn');
    const ac = new AbortController();
    const fractions: number[] = [];
    let err: unknown;
    try {
      await simulateToFile({
        out,
        optionsOut,
        start: '09:30',
        end: '09:45',
        intensity: 1,
        strikeBand: 20,
        signal: ac.signal,
        onProgress: (p) => {
          fractions.push(p.fraction);
          if (fractions.length === 2) ac.abort();
        },
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SimError);
    expect((err as SimError).userMessage).toMatch(/cancelled/);
    expect(fractions.length).toBe(2);
    expect(fractions[1]).toBeGreaterThan(fractions[0]);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(optionsOut)).toBe(false);
  });
});
