import { describe, expect, it } from 'vitest';
import { describeBytes, wordAlert } from './alertWording';

describe('alert wording', () => {
  it('describes leading bytes in words first', () => {
    expect(describeBytes('74 68 69 73 20 69 73 20')).toBe('text (“this is…”)');
    expect(describeBytes('50 4b 03 04')).toBe('a ZIP archive');
    expect(describeBytes('00 01 02')).toBeNull();
    const a = wordAlert({ severity: 'error', code: 'dbn.not_dbn', message: 'not a DBN file: it starts with bytes 74 68 69 73 20 69 73 20' }, 'browser');
    expect(a.message).toMatch(/^Not a DBN file: it looks like text/);
  });

  it('words hints for the mode: no Electron menu in a browser page', () => {
    const a = { severity: 'error' as const, code: 'file.not_found', message: 'The file /x does not exist.', hint: 'Check the path, or pick the file with File ▸ Open DBN….' };
    expect(wordAlert(a, 'browser').hint).toBe('Check the path, or pick the file with Open file… (top left) or drop it on the window.');
    expect(wordAlert(a, 'electron').hint).toBe(a.hint);
  });

  it('a truncated file says plainly that nothing was opened', () => {
    const a = wordAlert({ severity: 'error', code: 'dbn.truncated_zstd', message: 'truncated zstd stream', hint: 'the file was cut off; every complete record before the cut was read' }, 'electron');
    expect(a.hint).toMatch(/Nothing was opened/);
  });
});
