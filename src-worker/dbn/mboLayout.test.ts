// The one MBO layout declaration: it reads Databento's conformance record correctly on its own
// (a generic reader driven only by MBO_FIELDS), it rejects broken layouts, and the committed
// WebAssembly kernel source is what the declaration generates today (the compiled module is
// checked against that source in hotPaths.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layoutProblems, MBO_FIELDS, MBO_HEADER_TAG, MBO_RECORD_LEN, MBO_SHIFT, MBO_WORD, RECORD_HEADER_FIELDS, RECORD_HEADER_LEN, type RecordField } from './mboLayout';
import { fixture } from './testing/fixtures';
import { createMboBatch } from './mboBatch';
import { mboKernelWat } from './wasm/kernelSource';
import { createMboBatchOn } from './wasm/views';

/** A field's value read straight from the bytes with only the declaration (BigInt for 8 bytes). */
function readField(dv: DataView, at: number, f: RecordField): number | bigint {
  const o = at + f.offset;
  switch (f.width) {
    case 1:
      return f.signed ? dv.getInt8(o) : dv.getUint8(o);
    case 2:
      return f.signed ? dv.getInt16(o, true) : dv.getUint16(o, true);
    case 4:
      return f.signed ? dv.getInt32(o, true) : dv.getUint32(o, true);
    case 8:
      return f.signed ? dv.getBigInt64(o, true) : dv.getBigUint64(o, true);
  }
}

describe('MBO record layout (declared once)', () => {
  it("reads databento-cpp's first conformance record field by field", () => {
    const src = readFileSync(fixture('test_data.mbo.v3.dbn'));
    const first = 8 + src.readUInt32LE(4); // records follow the metadata
    const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
    const got = Object.fromEntries(MBO_FIELDS.map((f) => [f.name, readField(dv, first, f)]));
    expect(got).toEqual({
      length: MBO_RECORD_LEN / 4,
      rtype: 0xa0,
      publisher_id: 1,
      instrument_id: 5482,
      ts_event: 1609160400000429831n,
      order_id: 647784973705n,
      price: 3722750000000n,
      size: 1,
      flags: 128,
      channel_id: 0,
      action: 'C'.charCodeAt(0),
      side: 'A'.charCodeAt(0),
      ts_recv: 1609160400000704060n,
      ts_in_delta: 22993,
      sequence: 1170352,
    });
  });

  it('derives the word indexes and shifts the JS paths use', () => {
    expect(MBO_WORD).toEqual({
      header: 0,
      instrumentId: 1,
      tsEventLo: 2,
      tsEventHi: 3,
      orderIdLo: 4,
      orderIdHi: 5,
      priceLo: 6,
      priceHi: 7,
      size: 8,
      flagsWord: 9,
      tsRecvLo: 10,
      tsRecvHi: 11,
      tsInDelta: 12,
      sequence: 13,
    });
    expect(MBO_SHIFT).toEqual({ length: 0, rtype: 8, publisherId: 16, flags: 0, channelId: 8, action: 16, side: 24 });
    expect(MBO_HEADER_TAG).toBe(0xa00e);
  });

  it('finds gaps, overlaps, misaligned fields and a wrong total length', () => {
    expect(layoutProblems(MBO_FIELDS, MBO_RECORD_LEN)).toEqual([]);
    expect(layoutProblems(RECORD_HEADER_FIELDS, RECORD_HEADER_LEN)).toEqual([]);
    const f = (name: string, offset: number, width: 1 | 2 | 4 | 8): RecordField => ({ name, offset, width, signed: false, meaning: '' });
    expect(layoutProblems([f('a', 0, 4), f('b', 6, 2)], 8)).toEqual(['b at 6, expected 4 (fields must be contiguous, in order)']);
    expect(layoutProblems([f('a', 0, 2), f('b', 2, 4)], 6)).toEqual(['b at 2 is not aligned to its width 4']);
    expect(layoutProblems([f('a', 0, 4)], 8)).toEqual(['fields end at 4, the record is 8 bytes']);
  });

  it('the committed mboKernel.wat is generated from the layout (run scripts/genMboKernel.ts when this fails)', () => {
    const committed = readFileSync(join(process.cwd(), 'src-worker/dbn/wasm/mboKernel.wat'), 'utf8');
    expect(committed === mboKernelWat(), 'mboKernel.wat is stale: run `npx tsx scripts/genMboKernel.ts`').toBe(true);
  });

  it("the kernel's column list (wasm/views.ts) is the batch's: same columns, same element types", () => {
    const types = (b: object) => Object.fromEntries(Object.entries(b).filter(([k]) => k !== 'count').map(([k, v]) => [k, (v as object).constructor.name]));
    expect(types(createMboBatchOn(new ArrayBuffer(4096), 0, 4).batch)).toEqual(types(createMboBatch(4)));
  });
});
