// The fuzz campaign's seeds: every DBN file under /work/shared/data (real CME files, the
// Databento fixtures: MBO, BBO, definitions, v1–v3, fragments, legacy DBZ), decompressed to
// raw DBN and cut to a few thousand records so one input decodes in milliseconds, plus a short
// simulated ES session and the default parameter file.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decompress } from 'zstd-napi';
import { DEFAULT_PARAMS } from '../../contracts/params';

export interface Seed {
  name: string;
  /** Raw (decompressed) DBN bytes. */
  raw: Uint8Array;
  /** A headerless record stream (.frag) of this DBN version. */
  fragment?: { version: number };
  /** Offset of the first record (after the metadata), and record starts. */
  recordStart: number;
  records: number[];
}

export const DATA_DIR = process.env.SPYMASTER_FUZZ_DATA ?? '/work/shared/data';
/** Bytes kept of a large file's decompressed stream (metadata + the first records). */
const MAX_SEED_BYTES = 64 * 1024;

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else if (/\.(dbn|dbz|frag)(\.zst)?$/.test(e)) out.push(p);
  }
  return out.sort();
}

/** Record starts of a raw DBN stream (record length byte × 4), stopping at the first bad one. */
export function recordStarts(raw: Uint8Array, from: number): number[] {
  const starts: number[] = [];
  let o = from;
  while (o + 16 <= raw.length) {
    const len = raw[o] * 4;
    if (len < 16 || o + len > raw.length) break;
    starts.push(o);
    o += len;
  }
  return starts;
}

export function makeSeed(name: string, bytes: Uint8Array): Seed | null {
  let raw = bytes;
  if (bytes.length >= 4 && bytes[0] === 0x28 && bytes[1] === 0xb5 && bytes[2] === 0x2f && bytes[3] === 0xfd) {
    try {
      raw = new Uint8Array(decompress(Buffer.from(bytes)));
    } catch {
      return null;
    }
  }
  const frag = /\.v(\d)\.dbn\.frag/.exec(name);
  const isDbn = raw[0] === 0x44 && raw[1] === 0x42 && raw[2] === 0x4e;
  const recordStart = frag ? 0 : isDbn ? 8 + ((raw[4] | (raw[5] << 8) | (raw[6] << 16) | (raw[7] << 24)) >>> 0) : 0;
  let records = recordStarts(raw, recordStart);
  if (raw.length > MAX_SEED_BYTES) {
    // Cut at a record boundary so the seed itself is valid.
    const keep = records.filter((s) => s < MAX_SEED_BYTES);
    const end = keep.length ? keep[keep.length - 1] : recordStart;
    raw = raw.slice(0, end);
    records = keep.slice(0, -1);
  }
  return { name, raw, recordStart, records, fragment: frag ? { version: Number(frag[1]) } : undefined };
}

export function loadRealSeeds(dir = DATA_DIR): Seed[] {
  const seeds: Seed[] = [];
  for (const f of listFiles(dir)) {
    const s = makeSeed(f.slice(dir.length + 1), readFileSync(f));
    if (s) seeds.push(s);
  }
  return seeds;
}

export const PARAMS_SEED = JSON.stringify(DEFAULT_PARAMS, null, 2);
