// Golden test: the official MBO conformance fixtures decode to the values databento-cpp
// asserts (../shared/data/README.md), in every version, compression and zstd back end.
import { describe, expect, it } from 'vitest';
import { decodeDbnSync, readDbnFile, availableZstdBackends, type DbnMetadata, type MboBatch, createMboBatch } from './index';
import { bytesOf, fixture, mboRow } from './testing/fixtures';

const MBO_FILES: [name: string, version: number][] = [
  ['test_data.mbo.v1.dbn.zst', 1],
  ['databento-cpp/test_data.mbo.v1.dbn', 1],
  ['test_data.mbo.v2.dbn.zst', 2],
  ['test_data.mbo.dbn', 2],
  ['test_data.mbo.v3.dbn.zst', 3],
  ['test_data.mbo.v3.dbn', 3],
];

const RECORD_1 = {
  ts_recv: '1609160400000704060',
  ts_recv_hilo: '1609160400000704060',
  ts_event: '1609160400000429831',
  publisher_id: 1,
  instrument_id: 5482,
  order_id: '647784973705',
  price: 3722750000000,
  size: 1,
  flags: 128,
  channel_id: 0,
  action: 'C',
  side: 'A',
  ts_in_delta: 22993,
  sequence: 1170352,
  record_index: 0,
};
const RECORD_2 = {
  ts_recv: '1609160400000711344',
  ts_recv_hilo: '1609160400000711344',
  ts_event: '1609160400000431665',
  publisher_id: 1,
  instrument_id: 5482,
  order_id: '647784973631',
  price: 3723000000000,
  size: 1,
  flags: 128,
  channel_id: 0,
  action: 'C',
  side: 'A',
  ts_in_delta: 19621,
  sequence: 1170353,
  record_index: 1,
};

function expectMetadata(m: DbnMetadata | null, version: number): void {
  expect(m).toEqual({
    version,
    dataset: 'GLBX.MDP3',
    schema: 'mbo',
    start: 1609160400000000000n,
    end: 1609200000000000000n,
    limit: 2n,
    stype_in: 'raw_symbol',
    stype_out: 'instrument_id',
    ts_out: false,
    symbol_cstr_len: version === 1 ? 22 : 71,
    symbols: ['ESH1'],
    partial: [],
    not_found: [],
    mappings: [{ raw_symbol: 'ESH1', intervals: [{ start_date: '2020-12-28', end_date: '2020-12-29', symbol: '5482' }] }],
  });
}

function rowsOf(b: MboBatch): Record<string, string | number>[] {
  return Array.from({ length: b.count }, (_, i) => mboRow(b, i));
}

describe('MBO fixtures decode to the documented values', () => {
  for (const [name, version] of MBO_FILES) {
    it(`${name} (in memory)`, () => {
      const r = decodeDbnSync(bytesOf(fixture(name)));
      expectMetadata(r.metadata, version);
      expect(rowsOf(r.mbo)).toEqual([RECORD_1, RECORD_2]);
      expect(r.counts).toEqual({ records: 2, by_rtype: { mbo: 2 }, by_action: { C: 2 }, skipped: 0 });
      expect(r.definitions).toEqual([]);
    });
  }

  const zstdFiles = MBO_FILES.filter(([n]) => n.endsWith('.zst'));
  for (const backend of availableZstdBackends()) {
    for (const [name, version] of zstdFiles) {
      it(`${name} streamed with the ${backend} zstd back end`, async () => {
        let md: DbnMetadata | null = null;
        const rows: Record<string, string | number>[] = [];
        const kinds: string[] = [];
        for await (const ev of readDbnFile(fixture(name), { zstd: backend, batchSize: 1 })) {
          kinds.push(ev.kind);
          if (ev.kind === 'metadata') md = ev.metadata;
          if (ev.kind === 'mbo') rows.push(...rowsOf(ev.batch));
        }
        expectMetadata(md, version);
        expect(rows).toEqual([RECORD_1, RECORD_2]);
        expect(kinds).toEqual(['metadata', 'mbo', 'mbo', 'end']);
      });
    }
  }

  it('the pure-JS zstd fallback decodes in memory too', () => {
    const r = decodeDbnSync(bytesOf(fixture('test_data.mbo.v3.dbn.zst')), { zstd: 'js' });
    expect(rowsOf(r.mbo)).toEqual([RECORD_1, RECORD_2]);
  });

  it('decodes byte by byte pushes identically (no assumption about chunk boundaries)', async () => {
    const { DbnDecoder } = await import('./decoder');
    const bytes = bytesOf(fixture('databento-cpp/test_data.mbo.v1.dbn'));
    const dec = new DbnDecoder({ bufferSize: 1024 });
    const batch = createMboBatch(4);
    const rows: Record<string, string | number>[] = [];
    let i = 0;
    for (;;) {
      const step = dec.next(batch);
      if (step === 'need-more') {
        if (i < bytes.length) dec.push(bytes.subarray(i, ++i));
        else dec.finish();
      } else if (step === 'mbo' || step === 'end') {
        rows.push(...rowsOf(batch));
        batch.count = 0;
        if (step === 'end') break;
      }
    }
    expectMetadata(dec.metadata, 1);
    expect(rows).toEqual([RECORD_1, RECORD_2]);
  });
});

describe('databento-python MBO fixtures', () => {
  it('GLBX.MDP3 snapshot records (v3) match the expected CSV values', () => {
    const r = decodeDbnSync(bytesOf(fixture('databento-python/GLBX.MDP3__test_data.mbo.dbn.zst')));
    expect(r.metadata?.version).toBe(3);
    expect(r.metadata?.limit).toBe(4n);
    const rows = rowsOf(r.mbo).map((x) => [x.ts_recv, x.ts_event, x.publisher_id, x.instrument_id, x.action, x.side, x.price, x.size, x.channel_id, x.order_id, x.flags, x.ts_in_delta, x.sequence].join(','));
    expect(rows).toEqual([
      '1609113600000000000,1609099225061045683,1,5482,A,B,3675750000000,2,0,647784248135,40,0,1180',
      '1609113600000000000,1609099225061045683,1,5482,A,B,3675500000000,1,0,647782686353,40,0,1160',
      '1609113600000000000,1609099225061045683,1,5482,A,B,3675250000000,1,0,647782884482,40,0,1166',
      '1609113600000000000,1609099225061045683,1,5482,A,B,3675000000000,1,0,647782912367,40,0,1166',
    ]);
  });

  it.each(['IFEU.IMPACT', 'NDEX.IMPACT', 'XNAS.ITCH'])('%s MBO fixture decodes 4 records with its own dataset', (ds) => {
    const r = decodeDbnSync(bytesOf(fixture(`databento-python/${ds}__test_data.mbo.dbn.zst`)));
    expect(r.metadata?.dataset).toBe(ds);
    expect(r.mbo.count).toBe(4);
    expect(r.counts.records).toBe(4);
  });
});
