// Bad input gets the right typed error (with offset) and loses nothing before the damage;
// nothing crashes or hangs: truncations at many offsets, flipped bytes, legacy .dbz,
// wrong versions, non-DBN input, zero-record files and the mixed-schema LIVE stream.
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decompress as fzstdDecompress } from 'fzstd';
import { afterAll, describe, expect, it } from 'vitest';
import { availableZstdBackends, DbnError, decodeDbnSync, decodeRecordHeader, readDbnFile, type DbnEvent } from './index';
import { bytesOf, ESH4, ESM4, fixture } from './testing/fixtures';

const tmp = mkdtempSync(join(tmpdir(), 'dbn-malformed-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ESM4_RAW = fzstdDecompress(bytesOf(ESM4));
const FULL = decodeDbnSync(ESM4_RAW);
const RECORDS_START = 8 + new DataView(ESM4_RAW.buffer, ESM4_RAW.byteOffset).getUint32(4, true);

function errorOf(f: () => unknown): DbnError {
  try {
    f();
  } catch (e) {
    if (e instanceof DbnError) return e;
    throw e;
  }
  throw new Error('expected a DbnError');
}

async function drain(path: string, opts: Parameters<typeof readDbnFile>[1] = {}): Promise<{ mbo: number; kinds: string[]; error?: DbnError }> {
  let mbo = 0;
  const kinds: string[] = [];
  try {
    for await (const ev of readDbnFile(path, opts) as AsyncGenerator<DbnEvent>) {
      kinds.push(ev.kind);
      if (ev.kind === 'mbo') mbo += ev.batch.count;
    }
  } catch (e) {
    if (!(e instanceof DbnError)) throw e;
    return { mbo, kinds, error: e };
  }
  return { mbo, kinds };
}

describe('truncated raw DBN (ESM4, v1, record area not 8-aligned)', () => {
  // Every offset in the header, then offsets around record boundaries and a spread beyond.
  const cuts = new Set<number>();
  for (let c = 0; c <= RECORDS_START + 1; c++) cuts.add(c);
  for (let k = 0; k < 40; k++) {
    const b = RECORDS_START + k * 337 * 56;
    for (const d of [-1, 0, 1, 16, 55]) if (b + d > RECORDS_START && b + d <= ESM4_RAW.length) cuts.add(b + d);
  }
  cuts.add(ESM4_RAW.length - 1);

  it(`yields every complete record before the cut and the right error (${cuts.size} cut points)`, () => {
    const problems: string[] = [];
    for (const cut of cuts) {
      const r = decodeDbnSync(ESM4_RAW.subarray(0, cut), { tolerant: true });
      const complete = cut < RECORDS_START ? 0 : Math.floor((cut - RECORDS_START) / 56);
      const rest = cut < RECORDS_START ? 0 : (cut - RECORDS_START) % 56;
      const want = cut === 0 ? 'EMPTY_INPUT' : cut < RECORDS_START ? 'TRUNCATED_METADATA' : rest ? 'TRUNCATED_RECORD' : undefined;
      if (r.error?.code !== want) problems.push(`cut ${cut}: ${r.error?.code} instead of ${want}`);
      if (r.mbo.count !== complete) problems.push(`cut ${cut}: ${r.mbo.count} records instead of ${complete}`);
      if (complete > 0 && r.mbo.sequence[complete - 1] !== FULL.mbo.sequence[complete - 1]) problems.push(`cut ${cut}: last record differs`);
      if (want === 'TRUNCATED_RECORD' && r.error!.offset !== RECORDS_START + complete * 56) problems.push(`cut ${cut}: offset ${r.error!.offset}`);
    }
    expect(problems).toEqual([]);
  });

  it('a truncated file read from disk yields the records, then a TRUNCATED_RECORD error with a person-readable message', async () => {
    const path = join(tmp, 'cut.dbn');
    writeFileSync(path, ESM4_RAW.subarray(0, RECORDS_START + 5000 * 56 + 20));
    const r = await drain(path, { batchSize: 777 });
    expect(r.mbo).toBe(5000);
    expect(r.error?.code).toBe('TRUNCATED_RECORD');
    expect(r.error?.offset).toBe(RECORDS_START + 5000 * 56);
    expect(r.error?.userMessage).toMatch(/ends 20 bytes into a 56-byte record, after 5000 complete records/);
    expect(r.error?.hint).toBeTruthy();
  });
});

describe('truncated zstd (ESH4)', () => {
  const z = bytesOf(ESH4);
  const full = 68792;

  it('every cut gives TRUNCATED_ZSTD (or a header error) and a growing prefix of the records', () => {
    let prev = 0;
    const problems: string[] = [];
    for (let k = 1; k < 24; k++) {
      const cut = Math.floor((z.length * k) / 24);
      const r = decodeDbnSync(z.subarray(0, cut), { tolerant: true });
      if (r.error?.code !== 'TRUNCATED_ZSTD') problems.push(`cut ${cut}: ${r.error?.code}`);
      if (r.mbo.count < prev || r.mbo.count >= full) problems.push(`cut ${cut}: ${r.mbo.count} records`);
      prev = r.mbo.count;
    }
    expect(problems).toEqual([]);
    expect(prev).toBeGreaterThan(full / 2);
    expect(decodeDbnSync(z.subarray(0, 10), { tolerant: true }).error?.code).toBe('TRUNCATED_ZSTD');
  });

  for (const backend of availableZstdBackends()) {
    it(`streaming with ${backend}: records before the cut, then a truncation error`, async () => {
      const path = join(tmp, `cut-${backend}.dbn.zst`);
      writeFileSync(path, z.subarray(0, 600_000));
      const r = await drain(path, { zstd: backend });
      expect(r.error?.code).toBe('TRUNCATED_ZSTD');
      expect(r.mbo).toBeGreaterThan(30000);
      expect(r.mbo).toBeLessThan(full);
    });
  }
});

describe('flipped bytes never crash or hang', () => {
  function flips(src: Uint8Array, n: number, seed: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    let x = seed;
    for (let i = 0; i < n; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const b = src.slice();
      const at = x % b.length;
      b[at] ^= 1 + ((x >>> 16) % 255);
      out.push(b);
    }
    return out;
  }

  it('raw DBN: 300 single-byte corruptions decode or fail with a DbnError', () => {
    const small = ESM4_RAW.subarray(0, RECORDS_START + 200 * 56);
    const codes = new Set<string>();
    for (const b of flips(small, 300, 7)) {
      const r = decodeDbnSync(b, { tolerant: true });
      codes.add(r.error?.code ?? 'ok');
    }
    expect(codes.has('ok')).toBe(true);
    for (const c of codes) expect(['ok', 'NOT_DBN', 'UNSUPPORTED_VERSION', 'TRUNCATED_METADATA', 'INVALID_METADATA', 'TRUNCATED_RECORD', 'RECORD_TOO_SHORT']).toContain(c);
  });

  it('a record length below the header size is RECORD_TOO_SHORT at that record, after the records before it', () => {
    const b = ESM4_RAW.slice(0, RECORDS_START + 100 * 56);
    b[RECORDS_START + 42 * 56] = 2; // 8 bytes
    const r = decodeDbnSync(b, { tolerant: true });
    expect(r.mbo.count).toBe(42);
    expect(r.error?.code).toBe('RECORD_TOO_SHORT');
    expect(r.error?.offset).toBe(RECORDS_START + 42 * 56);
  });

  it('zstd: 60 corruptions of the compressed file give records or a typed error on every back end', async () => {
    const z = bytesOf(fixture('test_data.definition.v3.dbn.zst'));
    const variants = flips(z, 60, 11);
    for (const [i, v] of variants.entries()) {
      const r = decodeDbnSync(v, { tolerant: true });
      expect(r.error === undefined || r.error instanceof DbnError).toBe(true);
      if (i % 6 === 0) {
        const path = join(tmp, `flip-${i}.dbn.zst`);
        writeFileSync(path, v);
        for (const backend of availableZstdBackends()) {
          const s = await drain(path, { zstd: backend });
          expect(s.error === undefined || s.error instanceof DbnError).toBe(true);
        }
      }
    }
  });
});

describe('inputs that are not (current) DBN', () => {
  it.each(['test_data.mbo.dbz', 'test_data.definition.dbz', 'test_data.ohlcv-1d.dbz'])('%s is a legacy .dbz, said so', async (name) => {
    const e = errorOf(() => decodeDbnSync(bytesOf(fixture(name))));
    expect(e.code).toBe('LEGACY_DBZ');
    expect(e.userMessage).toMatch(/legacy \.dbz/);
    expect((await drain(fixture(name))).error?.code).toBe('LEGACY_DBZ');
  });

  it('unsupported versions name the version', () => {
    for (const v of [0, 4, 9]) {
      const b = ESM4_RAW.slice(0, 400);
      b[3] = v;
      const e = errorOf(() => decodeDbnSync(b));
      expect(e.code).toBe('UNSUPPORTED_VERSION');
      expect(e.userMessage).toContain(`version ${v}`);
    }
  });

  it('text, empty input and zstd-compressed non-DBN are NOT_DBN / EMPTY_INPUT', async () => {
    expect(errorOf(() => decodeDbnSync(new TextEncoder().encode('ts_recv,ts_event\n1,2\n'))).code).toBe('NOT_DBN');
    expect(errorOf(() => decodeDbnSync(new Uint8Array(0))).code).toBe('EMPTY_INPUT');
    expect(errorOf(() => decodeDbnSync(new Uint8Array([0x00]))).code).toBe('NOT_DBN');
    expect(errorOf(() => decodeDbnSync(new Uint8Array([0x44, 0x42]))).code).toBe('TRUNCATED_METADATA'); // "DB": a cut-off header
    const { DbnWriter, memorySink } = await import('./encoder');
    const sink = memorySink();
    const w = new DbnWriter(sink, { compress: true });
    w.writeRaw(new TextEncoder().encode('hello, this is not DBN'));
    await w.close();
    expect(errorOf(() => decodeDbnSync(sink.bytes())).code).toBe('NOT_DBN');
  });

  it('an implausible metadata length is INVALID_METADATA, not an allocation', () => {
    const b = ESM4_RAW.slice(0, 64);
    new DataView(b.buffer).setUint32(4, 0xfffffff0, true);
    expect(errorOf(() => decodeDbnSync(b)).code).toBe('INVALID_METADATA');
  });

  it('missing files and directories are IO errors with the path', async () => {
    const a = await drain(join(tmp, 'nope.dbn'));
    expect(a.error?.code).toBe('IO');
    expect(a.error?.userMessage).toMatch(/no such file/);
    expect((await drain(tmp)).error?.code).toBe('IO');
  });

  it('a cancelled read stops with ABORTED', async () => {
    const ac = new AbortController();
    ac.abort();
    expect((await drain(ESH4, { signal: ac.signal })).error?.code).toBe('ABORTED');
  });
});

describe('valid but unusual streams', () => {
  it.each(['test_data.ohlcv-1d.dbn', 'test_data.ohlcv-1d.v1.dbn.zst', 'test_data.ohlcv-1d.v3.dbn.zst'])('%s: metadata and zero records', async (name) => {
    const r = await drain(fixture(name));
    expect(r.error).toBeUndefined();
    expect(r.kinds).toEqual(['metadata', 'end']);
    expect(decodeDbnSync(bytesOf(fixture(name))).counts.records).toBe(0);
  });

  it('the LIVE mixed-schema stream: 46 records, 5 MBO, 2 definitions, the rest skipped and counted', () => {
    const r = decodeDbnSync(bytesOf(fixture('databento-python/LIVE__test_data.live.dbn.zst')));
    expect(r.metadata?.schema).toBeNull();
    expect(r.metadata?.stype_in).toBeNull();
    expect(r.counts.records).toBe(46);
    expect(r.mbo.count).toBe(5);
    expect(r.definitions).toHaveLength(2);
    expect(r.counts.skipped).toBe(39);
    expect(r.counts.by_rtype).toEqual({ mbp_0: 2, mbp_1: 2, mbp_10: 2, instrument_def: 2, symbol_mapping: 20, statistics: 9, ohlcv_1s: 2, ohlcv_1m: 2, mbo: 5 });
    // Skipped records still expose their header.
    const headers: string[] = [];
    decodeDbnSync(bytesOf(fixture('databento-python/LIVE__test_data.live.dbn.zst')), {
      onOtherRecord: (rec) => {
        const h = decodeRecordHeader(rec);
        expect(h.length).toBe(rec.length);
        headers.push(h.rtypeName);
      },
    });
    expect(headers).toHaveLength(39);
    expect(headers.filter((x) => x === 'symbol_mapping')).toHaveLength(20);
    // recordIndex keeps each MBO row's position in the whole stream.
    expect(Array.from(r.mbo.recordIndex.subarray(0, 5)).every((x, i, a) => i === 0 || x > a[i - 1])).toBe(true);
  });

  it('non-MBO schemas decode their metadata and skip every record by length', () => {
    for (const name of ['test_data.mbp-10.v1.dbn.zst', 'test_data.statistics.v3.dbn.zst', 'test_data.imbalance.dbn', 'test_data.cbbo-1s.v2.dbn.zst']) {
      const r = decodeDbnSync(bytesOf(fixture(name)));
      expect(r.counts.records).toBeGreaterThan(0);
      expect(r.counts.skipped).toBe(r.counts.records);
      expect(r.mbo.count).toBe(0);
    }
  });
});
