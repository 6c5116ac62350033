// "Not a DBN file" says what the file looks like in words and never quotes its bytes (issue
// 14: an error shown to a page must not leak the content of the file it was pointed at).
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeDbnSync } from './index';
import { describeLeadingBytes, DbnError } from './errors';

const enc = (s: string) => new TextEncoder().encode(s);

function notDbnMessage(bytes: Uint8Array): string {
  try {
    decodeDbnSync(bytes);
  } catch (e) {
    expect((e as DbnError).code).toBe('NOT_DBN');
    return (e as DbnError).userMessage;
  }
  throw new Error('decoded');
}

describe('not a DBN file, in words', () => {
  it.each([
    ['text', enc('password=hunter2\nsecond line'), /looks like text \(at byte 0\)$/],
    ['CSV', enc('ts_recv,ts_event,price\n1,2,3\n'), /CSV/],
    ['JSON', enc('{"secret": "hunter2"}'), /JSON/],
    ['HTML', enc('<!doctype html><p>hi'), /HTML/],
    ['gzip', gzipSync(Buffer.from('hunter2')), /gzip/],
    ['zip', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), /zip archive/],
    ['Parquet', enc('PAR1\x15\x04'), /Parquet/],
    ['binary', new Uint8Array([0x00, 0x01, 0x02, 0xde, 0xad, 0xbe, 0xef, 0x00]), /binary data of an unknown kind/],
  ])('%s', (_name, bytes, words) => {
    const m = notDbnMessage(bytes);
    expect(m).toMatch(/^not a DBN file: it /);
    expect(m).toMatch(words);
    expect(m).not.toMatch(/hunter2|password|secret|\b[0-9a-f]{2} [0-9a-f]{2}\b|de ad/);
  });

  it('empty', () => {
    expect(describeLeadingBytes(new Uint8Array())).toBe('it is empty');
  });
});
