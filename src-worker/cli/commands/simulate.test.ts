// The `simulate` command end to end: writes the files, prints the summary, writes the
// side-by-side statistics (simulated vs the real ESH4 file) as JSON; bad flags are CliErrors.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CliError } from '../cliError';
import { run } from './simulate';

const dir = mkdtempSync(join(tmpdir(), 'cli-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('simulate command', () => {
  it('writes futures + options + definitions and a JSON report next to the real file', async () => {
    const out = join(dir, 'es.dbn.zst');
    const report = join(dir, 'report.json');
    const chunks: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      chunks.push(String(c));
      return true;
    });
    try {
      const code = await run(['--out', out, '--options-out', join(dir, 'opt.dbn'), '--definitions-out', join(dir, 'def.dbn'), '--start', '09:30', '--end', '09:31', '--intensity', '0.2', '--strike-band', '20', '--seed', '5', '--report-json', report]);
      expect(code).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const text = chunks.join('');
    expect(text).toMatch(/simulated ESH6/);
    expect(text).toMatch(/options .* records over \d+ instruments/);
    for (const f of ['es.dbn.zst', 'opt.dbn', 'def.dbn']) expect(existsSync(join(dir, f))).toBe(true);
    const j = JSON.parse(readFileSync(report, 'utf8'));
    expect(j.summary.seed).toBe(5);
    expect(j.simulated.records).toBeGreaterThan(1000);
    expect(j.simulated.actionMix.A).toBeGreaterThan(0.2);
    expect(j.real.instrumentId).toBe(17077);
    expect(j.real.trades.count).toBe(2973);
    // the mid's dynamics: the simulated minute, and the real file over its quiet hour 23:00–24:00 UTC
    expect(j.simulated.market.clock.map((c: { horizonSec: number }) => c.horizonSec)).toEqual([1, 5, 30]);
    expect(j.simulated.market.validSeconds).toBeGreaterThan(50);
    expect([j.real.market.fromSec, j.real.market.toSec]).toEqual([Date.UTC(2023, 11, 25, 23) / 1000, Date.UTC(2023, 11, 26) / 1000]);
    expect(j.real.market.clock[1].persistence.value).toBeCloseTo(0.41, 2);
    expect(j.real.market.event.qiHitNextChange.value).toBeCloseTo(0.74, 2);
  });

  it('rejects bad flags with a readable error', async () => {
    await expect(run(['--intensity', '1'])).rejects.toBeInstanceOf(CliError);
    await expect(run(['--out', join(dir, 'x.dbn'), '--seed', 'abc'])).rejects.toBeInstanceOf(CliError);
    await expect(run(['--out', join(dir, 'x.dbn'), '--bogus'])).rejects.toBeInstanceOf(CliError);
  });
});
