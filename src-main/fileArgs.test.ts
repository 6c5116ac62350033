import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { dbnPathFromFileUrl, fileFromArgv, isDbnPath } from './fileArgs';

describe('file arguments', () => {
  it('accepts .dbn and .dbn.zst only', () => {
    expect(isDbnPath('/a/b.dbn')).toBe(true);
    expect(isDbnPath('/a/B.DBN.ZST')).toBe(true);
    expect(isDbnPath('/a/b.dbz')).toBe(false);
    expect(isDbnPath('/a/b.zst')).toBe(false);
  });

  it('finds an existing DBN file among Electron argv, ignoring switches and missing files', () => {
    const real = join(process.cwd(), '../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst');
    expect(fileFromArgv(['electron', '.', '--inspect', '/nope.dbn', real])).toBe(real);
    expect(fileFromArgv(['electron', '.'])).toBeNull();
  });

  it('turns a dropped file:// URL into a path', () => {
    expect(dbnPathFromFileUrl('file:///tmp/x%20y.dbn')).toBe('/tmp/x y.dbn');
    expect(dbnPathFromFileUrl('file:///tmp/x.csv')).toBeNull();
    expect(dbnPathFromFileUrl('https://x/y.dbn')).toBeNull();
  });
});
