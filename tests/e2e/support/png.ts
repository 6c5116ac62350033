// A small PNG reader (8-bit RGB/RGBA, non-interlaced — what Chromium screenshots are) so the
// e2e tests can check real pixels without another dependency.
import { inflateSync } from 'node:zlib';

export interface Image {
  width: number;
  height: number;
  /** RGBA, row-major. */
  data: Uint8Array;
}

export function decodePng(buf: Buffer): Image {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let o = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Buffer[] = [];
  while (o < buf.length) {
    const len = buf.readUInt32BE(o);
    const type = buf.toString('latin1', o + 4, o + 8);
    const body = buf.subarray(o + 8, o + 8 + len);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      if (body[8] !== 8 || body[12] !== 0) throw new Error('only 8-bit non-interlaced PNGs');
      colorType = body[9];
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    o += 12 + len;
  }
  const bpp = colorType === 6 ? 4 : colorType === 2 ? 3 : 0;
  if (!bpp) throw new Error(`PNG colour type ${colorType} not supported`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const cur = new Uint8Array(stride);
  const prev = new Uint8Array(stride);
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? cur[i - bpp] : 0;
      const b = prev[i];
      const c = i >= bpp ? prev[i - bpp] : 0;
      let v = line[i];
      if (f === 1) v += a;
      else if (f === 2) v += b;
      else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      cur[i] = v & 255;
    }
    for (let x = 0; x < width; x++) {
      data[(y * width + x) * 4] = cur[x * bpp];
      data[(y * width + x) * 4 + 1] = cur[x * bpp + 1];
      data[(y * width + x) * 4 + 2] = cur[x * bpp + 2];
      data[(y * width + x) * 4 + 3] = bpp === 4 ? cur[x * bpp + 3] : 255;
    }
    prev.set(cur);
  }
  return { width, height, data };
}

/** Share of pixels for which `pred(r, g, b)` holds. */
export function share(img: Image, pred: (r: number, g: number, b: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < img.data.length; i += 4) if (pred(img.data[i], img.data[i + 1], img.data[i + 2])) n++;
  return n / (img.width * img.height);
}

/** Share of pixels that differ (any channel by more than `tol`) between two same-size images. */
export function diffShare(a: Image, b: Image, tol = 24): number {
  if (a.width !== b.width || a.height !== b.height) return 1;
  let n = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    if (Math.abs(a.data[i] - b.data[i]) > tol || Math.abs(a.data[i + 1] - b.data[i + 1]) > tol || Math.abs(a.data[i + 2] - b.data[i + 2]) > tol) n++;
  }
  return n / (a.width * a.height);
}

/** Near the spot line's turquoise (#40e0d0). */
export const isTurquoise = (r: number, g: number, b: number) => Math.abs(r - 64) < 40 && Math.abs(g - 224) < 35 && Math.abs(b - 208) < 35;
/** Anything clearly brighter or more saturated than the dark background: a heatmap cell. */
export const isPainted = (r: number, g: number, b: number) => Math.max(r, g, b) - Math.min(r, g, b) > 28 || Math.max(r, g, b) > 70;
/** Green "building" cells (not the turquoise line, whose blue is close to its green). */
export const isGreen = (r: number, g: number, b: number) => g > r + 30 && g > b + 40;
export const isRed = (r: number, g: number, b: number) => r > g + 40 && r > b + 30;
