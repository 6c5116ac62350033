// Instrument and session configuration: product-root defaults, the exchange clock (DST
// included), default date from the file's range, and typed errors for bad input.
import { describe, expect, it } from 'vitest';
import { productDefaultsFor, productRootOf } from '../../contracts/instruments';
import { DEFAULT_PARAMS, ParamsError, resolveParams } from '../../contracts/params';
import { IngestError } from './errors';
import { parseDecimalPrice, resolveSession, resolveTickInt, zonedToUtcSec } from './sessionConfig';

const ns = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;

describe('instrument defaults', () => {
  it('resolves product roots from CME raw symbols (longest known root first)', () => {
    expect(['ESH4', 'MESH4', 'NQZ5', 'MNQU25', 'CLF6', 'ESH4 P3450'].map(productRootOf)).toEqual(['ES', 'MES', 'NQ', 'MNQ', 'CL', null]);
    expect(productDefaultsFor('CLF6')?.tickInt).toBe(10_000_000);
    expect(resolveTickInt('MNQH6')).toBe(250_000_000);
  });

  it('an unknown root needs an explicit tick size', () => {
    expect(() => resolveTickInt('ZZH6')).toThrow(IngestError);
    expect(resolveTickInt('ZZH6', parseDecimalPrice('0.005'))).toBe(5_000_000);
  });
});

describe('session window', () => {
  it('converts exchange-local times to UTC across daylight saving time', () => {
    expect(zonedToUtcSec('2026-01-06', '09:30', 'America/New_York')).toBe(Date.UTC(2026, 0, 6, 14, 30) / 1000);
    expect(zonedToUtcSec('2026-07-06', '09:30', 'America/New_York')).toBe(Date.UTC(2026, 6, 6, 13, 30) / 1000);
    expect(zonedToUtcSec('2026-07-06', '08:30', 'America/Chicago')).toBe(Date.UTC(2026, 6, 6, 13, 30) / 1000);
  });

  it('defaults the date to the middle of the file and wraps an end before the start to the next day', () => {
    const s = resolveSession({ start: '18:00', end: '17:00' }, ns('2023-12-25T00:00:00Z'), ns('2023-12-26T00:00:00Z'));
    expect(s.date).toBe('2023-12-25');
    expect(s.endSec - s.startSec).toBe(23 * 3600);
  });

  it('rejects empty windows, windows outside the file and unknown zones with typed errors', () => {
    const code = (f: () => unknown) => {
      try {
        f();
        return 'ok';
      } catch (e) {
        return (e as IngestError).code;
      }
    };
    const file: [bigint, bigint] = [ns('2023-12-25T00:00:00Z'), ns('2023-12-26T00:00:00Z')];
    expect(code(() => resolveSession({ start: '10:00', end: '10:00' }, ...file))).toBe('config.empty_window');
    expect(code(() => resolveSession({ date: '2024-03-01' }, ...file))).toBe('config.window_outside_file');
    expect(code(() => resolveSession({ tz: 'Nowhere/Else' }, ...file))).toBe('config.bad_timezone');
    expect(code(() => resolveSession({ date: '2023-13-45' }, ...file))).not.toBe('ok');
  });
});

describe('parameter file', () => {
  it('fills defaults, keeps overrides and rejects unknown or non-numeric fields', () => {
    expect(resolveParams({ version: 1, nu0: 2 })).toEqual({ ...DEFAULT_PARAMS, nu0: 2 });
    expect(() => resolveParams({ nu_0: 1 })).toThrow(ParamsError);
    expect(() => resolveParams({ walls_top_n: 1.5 })).toThrow(ParamsError);
    expect(() => resolveParams({ version: 3 })).toThrow(ParamsError);
  });
});
