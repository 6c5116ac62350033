import { deflateSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { decodePng, diffShare, share } from './support/png';

// Builds a PNG by hand (one filter per row) so the reader is checked against known pixels.
function png(width: number, height: number, rgba: number[], filters: number[]): Buffer {
  const chunk = (type: string, body: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    return Buffer.concat([len, Buffer.from(type, 'latin1'), body, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const rows: number[] = [];
  const stride = width * 4;
  for (let y = 0; y < height; y++) {
    const f = filters[y];
    rows.push(f);
    for (let i = 0; i < stride; i++) {
      const x = rgba[y * stride + i];
      const a = i >= 4 ? rgba[y * stride + i - 4] : 0;
      const b = y > 0 ? rgba[(y - 1) * stride + i] : 0;
      const pred = f === 1 ? a : f === 2 ? b : f === 3 ? (a + b) >> 1 : 0;
      rows.push((x - pred) & 255);
    }
  }
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.from(rows))), chunk('IEND', Buffer.alloc(0))]);
}

test.describe('png reader (used by the pixel checks)', () => {
  test('undoes sub, up and average filters', () => {
    const px = [10, 200, 30, 255, 64, 224, 208, 255, 1, 2, 3, 255, 250, 5, 9, 255, 7, 8, 9, 255, 100, 110, 120, 255];
    const img = decodePng(png(2, 3, px, [1, 2, 3]));
    expect([img.width, img.height]).toEqual([2, 3]);
    expect([...img.data]).toEqual(px);
    expect(share(img, (r) => r > 60)).toBeCloseTo(3 / 6, 9);
    expect(diffShare(img, img)).toBe(0);
  });
});
