// The three MBO decode paths — the wasm kernel writing the reader's batch in place, the wasm
// kernel copying into a caller's batch, and the pure-JS loop — give identical columns; the
// general path handles MBO records with a trailing ts_out; the committed wasm matches its source.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMboBatch, decodeDbnSync, readDbnFile, type MboBatch } from './index';
import { bytesOf, ESH4, fixture, mboRow } from './testing/fixtures';
import { MBO_COLUMN_NAMES } from './wasm/views';
import { MBO_KERNEL_WASM_BASE64 } from './wasm/mboKernel.wasm';
import { mboKernelAvailable } from './wasm/mboKernel';

async function streamAll(path: string, wasm: boolean): Promise<MboBatch> {
  const all = createMboBatch(70000);
  for await (const ev of readDbnFile(path, { wasm, batchSize: 4096 })) {
    if (ev.kind !== 'mbo') continue;
    for (const k of MBO_COLUMN_NAMES) (all[k] as Float64Array).set((ev.batch[k] as Float64Array).subarray(0, ev.batch.count), all.count);
    all.count += ev.batch.count;
  }
  return all;
}

/** Column bytes as hex digests-by-content (fast exact comparison; NaN prices compare by bits). */
function columns(b: MboBatch): Record<string, string> {
  return Object.fromEntries(
    MBO_COLUMN_NAMES.map((k) => {
      const a = (b[k] as Float64Array).subarray(0, b.count);
      const bytes = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
      return [k, `${b.count}:${bytes.length}:${createHash('sha256').update(bytes).digest('hex')}`];
    }),
  );
}

describe('MBO hot paths agree', () => {
  it('the wasm kernel is available here (otherwise only the JS loop is exercised)', () => {
    expect(mboKernelAvailable()).toBe(true);
  });

  it('ESH4: wasm in place = wasm copy = JS loop, column for column', async () => {
    const js = decodeDbnSync(bytesOf(ESH4), { wasm: false }).mbo;
    const copy = decodeDbnSync(bytesOf(ESH4)).mbo;
    const inPlace = await streamAll(ESH4, true);
    const jsStream = await streamAll(ESH4, false);
    expect(js.count).toBe(68792);
    const ref = columns(js);
    expect(columns(copy)).toEqual(ref);
    expect(columns(inPlace)).toEqual(ref);
    expect(columns(jsStream)).toEqual(ref);
  });

  it('MBO records with a trailing ts_out go through the general path with the same fields', () => {
    const src = readFileSync(fixture('test_data.mbo.v3.dbn'));
    const mdLen = 8 + src.readUInt32LE(4);
    const md = Buffer.from(src.subarray(0, mdLen));
    md[8 + 16 + 2 + 8 + 8 + 8 + 2] = 1; // ts_out flag (v3: after dataset, schema, start, end, limit, stype_in/out)
    const recs: Buffer[] = [];
    for (let at = mdLen; at < src.length; at += 56) {
      const r = Buffer.alloc(64);
      src.copy(r, 0, at, at + 56);
      r[0] = 16; // 64 bytes
      r.writeBigUInt64LE(1609160400000999999n, 56);
      recs.push(r);
    }
    for (const wasm of [true, false]) {
      const r = decodeDbnSync(Buffer.concat([md, ...recs]), { wasm });
      expect(r.metadata?.ts_out).toBe(true);
      const plain = decodeDbnSync(src, { wasm });
      expect(Array.from({ length: r.mbo.count }, (_, i) => mboRow(r.mbo, i))).toEqual(Array.from({ length: plain.mbo.count }, (_, i) => mboRow(plain.mbo, i)));
      expect(r.counts).toEqual(plain.counts);
    }
  });

  it('the committed wasm is built from mboKernel.wat (checked when wat2wasm is installed; the .wat itself is checked against the layout in mboLayout.test.ts)', () => {
    const probe = spawnSync('wat2wasm', ['--version']);
    if (probe.status !== 0) return; // wabt not installed here: nothing to compare against
    const dir = mkdtempSync(join(tmpdir(), 'wat-'));
    try {
      const out = join(dir, 'k.wasm');
      const r = spawnSync('wat2wasm', [join(process.cwd(), 'src-worker/dbn/wasm/mboKernel.wat'), '-o', out]);
      expect(r.status).toBe(0);
      expect(readFileSync(out).toString('base64')).toBe(MBO_KERNEL_WASM_BASE64);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
