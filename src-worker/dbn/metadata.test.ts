// Every metadata field survives encode (v3) → decode, including the rarely used ones
// (partial, not_found, mixed schema/stype, no end, limits, many mapping intervals).
import { describe, expect, it } from 'vitest';
import { decodeDbnSync, DbnWriter, makeMetadata, memorySink, type DbnMetadata } from './index';

async function roundTrip(m: DbnMetadata): Promise<DbnMetadata | null> {
  const sink = memorySink();
  const w = new DbnWriter(sink);
  w.writeMetadata(m);
  await w.close();
  const bytes = sink.bytes();
  expect(bytes.length % 8).toBe(0); // record area starts 8-aligned
  return decodeDbnSync(bytes).metadata;
}

describe('metadata encode → decode', () => {
  it('keeps every field', async () => {
    const m = makeMetadata({
      dataset: 'GLBX.MDP3',
      schema: 'definition',
      start: 1703462400000000000n,
      end: 1703548800000000000n,
      limit: 123456789n,
      stype_in: 'parent',
      stype_out: 'instrument_id',
      symbols: ['ES.OPT', 'ES.FUT'],
      partial: ['NQ.OPT'],
      not_found: ['XX.FUT', 'YY.OPT'],
      mappings: [
        { raw_symbol: 'ESH4 P3450', intervals: [{ start_date: '2023-12-25', end_date: '2023-12-26', symbol: '42005804' }] },
        {
          raw_symbol: 'ESH4',
          intervals: [
            { start_date: '2023-12-24', end_date: '2023-12-25', symbol: '17077' },
            { start_date: '2023-12-25', end_date: '2023-12-26', symbol: '17077' },
          ],
        },
      ],
    });
    expect(await roundTrip(m)).toEqual(m);
  });

  it('mixed schema, mixed stype_in, no end and no limit are null', async () => {
    const m = makeMetadata({ dataset: 'GLBX.MDP3', schema: null, stype_in: null, start: 0n, end: null, limit: null });
    const back = await roundTrip(m);
    expect(back).toEqual(m);
    expect([back?.schema, back?.stype_in, back?.end, back?.limit]).toEqual([null, null, null, null]);
  });

  it('rejects symbols that do not fit the 71-byte field', () => {
    const w = new DbnWriter(memorySink());
    expect(() => w.writeMetadata(makeMetadata({ dataset: 'GLBX.MDP3', start: 0n, symbols: ['S'.repeat(71)] }))).toThrow(/longer than 70 bytes/);
  });
});
