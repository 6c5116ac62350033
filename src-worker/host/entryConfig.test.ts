import { describe, expect, it } from 'vitest';
import { engineArgs, parseEngineArgs } from './entryConfig';

describe('engine process arguments', () => {
  it('round-trip a file with its session options, the demo, and nothing', () => {
    const file = { kind: 'file' as const, path: '/d/esh4.dbn.zst', options: { start: '18:00', end: '19:00', tz: 'America/New_York' } };
    expect(parseEngineArgs(engineArgs({ dbPath: '/x.duckdb', initial: file }), {})).toMatchObject({ dbPath: '/x.duckdb', initial: file });
    expect(parseEngineArgs(engineArgs({ initial: { kind: 'demo' } }), { SPYMASTER_CACHE_DIR: '/c' })).toEqual({ dbPath: '/c/spymaster.duckdb', cacheDir: '/c', initial: { kind: 'demo' } });
    expect(parseEngineArgs([], { SPYMASTER_CACHE_DIR: '/c' }).initial).toEqual({ kind: 'none' });
  });

  it('a damaged options value opens the file with defaults', () => {
    expect(parseEngineArgs(['--open', '/a.dbn', '--open-options', '{oops'], {}).initial).toEqual({ kind: 'file', path: '/a.dbn', options: undefined });
  });
});
