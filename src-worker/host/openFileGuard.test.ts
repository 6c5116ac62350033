// open_file paths are checked before anything is read (issue 14): what each refusal says, and
// that the messages name only the path the user gave (never a link's target).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { HostError } from './alerts';
import { guardOpenFile } from './openFileGuard';

const dir = mkdtempSync(join(tmpdir(), 'spymaster-guard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function refusal(path: unknown): HostError {
  try {
    guardOpenFile(path);
  } catch (e) {
    expect(e).toBeInstanceOf(HostError);
    return e as HostError;
  }
  throw new Error(`${String(path)} was accepted`);
}

describe('guardOpenFile', () => {
  it('accepts a readable DBN file and answers its absolute path', () => {
    const f = join(dir, 'ok.dbn.zst');
    writeFileSync(f, 'x');
    expect(guardOpenFile(f)).toBe(f);
    expect(guardOpenFile(`${dir}/sub/../ok.dbn.zst`)).toBe(f);
  });

  it('refuses what is not a regular, readable, non-empty DBN file, each in words', () => {
    expect(refusal('').code).toBe('file.missing_path');
    expect(refusal(42).code).toBe('file.missing_path');
    expect(refusal(`${dir}/a\0.dbn`).code).toBe('file.not_found');
    expect(refusal(join(dir, 'missing.dbn')).code).toBe('file.not_found');
    mkdirSync(join(dir, 'folder.dbn'));
    expect(refusal(join(dir, 'folder.dbn')).userMessage).toMatch(/is a folder/);
    expect(refusal('/dev/zero').code).toBe('file.not_a_file'); // would never end
    const fifo = join(dir, 'pipe.dbn');
    execFileSync('mkfifo', [fifo]);
    expect(refusal(fifo).userMessage).toMatch(/not a regular file/); // would block the reader
    writeFileSync(join(dir, 'notes.csv'), 'a,b');
    expect(refusal(join(dir, 'notes.csv')).code).toBe('file.unsupported_type');
    writeFileSync(join(dir, 'empty.dbn'), '');
    expect(refusal(join(dir, 'empty.dbn')).code).toBe('file.empty');
  });

  it('a file we may not read is refused before it is opened (unless running as root)', () => {
    const f = join(dir, 'secret.dbn');
    writeFileSync(f, 'DBN');
    chmodSync(f, 0o000);
    if (process.getuid?.() === 0) return; // root reads everything
    expect(refusal(f).code).toBe('file.unreadable');
  });

  it('a link is followed for the checks but its target is never named', () => {
    const link = join(dir, 'link.dbn');
    symlinkSync('/etc/hostname', link);
    const e = refusal(join(dir, 'link-to-folder.dbn.zst').replace('link-to-folder', 'link-missing'));
    expect(e.code).toBe('file.not_found');
    symlinkSync(dir, join(dir, 'dirlink.dbn'));
    const d = refusal(join(dir, 'dirlink.dbn'));
    expect(d.userMessage).toContain(join(dir, 'dirlink.dbn'));
    expect(guardOpenFile(link)).toBe(link);
  });
});
