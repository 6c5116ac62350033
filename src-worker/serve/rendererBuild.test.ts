import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rendererBuildReason } from './rendererBuild';

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'spymaster-build-'));
  for (const d of ['src-renderer/ui', 'contracts', 'out/renderer']) mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, 'src-renderer/ui/App.tsx'), 'x');
  writeFileSync(join(root, 'contracts/protocol.ts'), 'x');
  writeFileSync(join(root, 'package-lock.json'), '{}');
  return root;
}
const at = (path: string, sec: number) => utimesSync(path, sec, sec);

describe('window build on demand', () => {
  it('builds when there is no build yet', () => {
    expect(rendererBuildReason(project())).toMatch(/no build/);
  });

  it('is current when the build is newer than every source, stale when a source changes', () => {
    const root = project();
    for (const p of ['src-renderer/ui/App.tsx', 'src-renderer/ui', 'src-renderer', 'contracts/protocol.ts', 'contracts', 'package-lock.json']) at(join(root, p), 1000);
    writeFileSync(join(root, 'out/renderer/index.html'), '<html>');
    at(join(root, 'out/renderer/index.html'), 2000);
    expect(rendererBuildReason(root)).toBeNull();
    at(join(root, 'contracts/protocol.ts'), 3000);
    expect(rendererBuildReason(root)).toMatch(/contracts changed/);
  });
});
