// decode → encode (v3) → decode is the identity for every fixture, per version after the
// upgrade: metadata (except version/symbol_cstr_len, which become 3/71), every MBO column,
// every definition, the counts and the order of records. Records other than MBO and
// definitions pass through as raw bytes. Encoding is also byte-stable (encode∘decode∘encode
// = encode).
import { readdirSync } from 'node:fs';
import { decompress as fzstdDecompress } from 'fzstd';
import { describe, expect, it } from 'vitest';
import { DbnDecoder, DbnWriter, createMboBatch, memorySink, type DbnMetadata, type InstrumentDefinition, type MboBatch, type DbnCounts } from './index';
import { looksLikeZstd } from './zstd';
import { bytesOf, fixture, FIX, ESH4, ESM4, real, stable } from './testing/fixtures';

interface Decoded {
  metadata: DbnMetadata | null;
  rows: string[];
  definitions: InstrumentDefinition[];
  others: string[];
  /** Record kinds in stream order: 'm' MBO, 'd' definition, 'o' other. */
  order: string;
  counts: DbnCounts;
}

const MBO_KEYS = Object.keys(createMboBatch(1)).filter((k) => k !== 'count') as (keyof MboBatch)[];

function rowOf(b: MboBatch, i: number): string {
  return MBO_KEYS.map((k) => String((b[k] as Float64Array)[i])).join(',');
}

/** Decode record by record (batch of 1) so the order across kinds is observable, re-encoding as we go. */
function decodeAndReencode(bytes: Uint8Array, frag?: { version: 1 | 2 | 3 }): { decoded: Decoded; encoded: Uint8Array } {
  const raw = looksLikeZstd(bytes) ? fzstdDecompress(bytes) : bytes;
  const sink = memorySink();
  const w = new DbnWriter(sink);
  const d: Decoded = { metadata: null, rows: [], definitions: [], others: [], order: '', counts: null as unknown as DbnCounts };
  const dec = new DbnDecoder({
    fragment: !!frag,
    version: frag?.version,
    onOtherRecord: (rec, rtype) => {
      d.others.push(`${rtype}:${Buffer.from(rec).toString('hex')}`);
      d.order += 'o';
      w.writeRaw(rec);
    },
  });
  const batch = createMboBatch(1);
  dec.push(raw);
  dec.finish();
  for (;;) {
    const step = dec.next(batch);
    if (step === 'metadata') {
      d.metadata = dec.metadata;
      w.writeMetadata(dec.metadata!);
    } else if (step === 'mbo' || step === 'end') {
      for (let i = 0; i < batch.count; i++) {
        d.rows.push(rowOf(batch, i));
        d.order += 'm';
      }
      w.writeMboBatch(batch);
      batch.count = 0;
      if (step === 'end') break;
    } else if (step === 'definition') {
      d.definitions.push(dec.definition!);
      d.order += 'd';
      w.writeDefinition(dec.definition!);
    }
  }
  d.counts = dec.counts();
  void w.close();
  return { decoded: d, encoded: sink.bytes() };
}

function fixtureFiles(): string[] {
  const names: string[] = [];
  for (const dir of ['', 'databento-python/', 'databento-cpp/']) {
    for (const f of readdirSync(`${FIX}/${dir}`)) if (/\.(dbn|zst|frag)$/.test(f) && !f.endsWith('.dbz')) names.push(dir + f);
  }
  return names.filter((n) => !n.endsWith('/'));
}

function fragVersion(name: string): { version: 1 | 2 | 3 } | undefined {
  if (!name.includes('.frag')) return undefined;
  return { version: name.includes('.v1.') ? 1 : name.includes('.v3.') ? 3 : 2 };
}

function expectIdentity(path: string, frag?: { version: 1 | 2 | 3 }): void {
  const first = decodeAndReencode(bytesOf(path), frag);
  const second = decodeAndReencode(first.encoded, frag ? { version: 3 } : undefined);
  const a = first.decoded;
  const b = second.decoded;
  if (a.metadata) {
    expect(b.metadata).toEqual({ ...a.metadata, version: 3, symbol_cstr_len: 71, ts_out: false });
  } else {
    expect(b.metadata).toBeNull();
  }
  expect(b.rows).toEqual(a.rows);
  expect(stable(b.definitions)).toBe(stable(a.definitions));
  expect(b.others).toEqual(a.others);
  expect(b.order).toBe(a.order);
  expect(b.counts).toEqual(a.counts);
  // Byte-stable: a v3 file we wrote re-encodes to the same bytes.
  expect(Buffer.from(second.encoded).equals(Buffer.from(first.encoded))).toBe(true);
}

describe('decode → encode → decode identity', () => {
  const files = fixtureFiles();
  it('covers every fixture (MBO, definitions, other schemas, fragments, the LIVE mixed stream)', () => {
    expect(files.length).toBeGreaterThan(80);
  });
  for (const name of files) {
    it(name, () => expectIdentity(fixture(name), fragVersion(name)));
  }
  for (const path of [ESH4, ESM4, real('definition-glbx-es-opt.dbn.zst'), real('test_data.definition.option_spread.dbn.zst')]) {
    it(path.split('/').pop()!, () => expectIdentity(path));
  }
});

describe('DbnWriter', () => {
  it('writes zstd that decodes to the same records as raw', async () => {
    const { decoded } = decodeAndReencode(bytesOf(ESM4));
    const { decodeDbnSync } = await import('./reader');
    const src = decodeDbnSync(bytesOf(ESM4));
    const sink = memorySink();
    const w = new DbnWriter(sink, { compress: true, level: 1 });
    w.writeMetadata(src.metadata!);
    w.writeMboBatch(src.mbo);
    await w.close();
    const z = sink.bytes();
    expect(looksLikeZstd(z)).toBe(true);
    const back = decodeAndReencode(z).decoded;
    expect(back.rows).toEqual(decoded.rows);
  });

  it('rejects metadata after records and over-long symbols with clear errors', () => {
    const w = new DbnWriter(memorySink());
    w.writeDefinition({ instrument_id: 1, raw_symbol: 'ESM4 C5000' });
    expect(() => w.writeMetadata({} as DbnMetadata)).toThrow(/metadata must be written once, first/);
    expect(() => new DbnWriter(memorySink()).writeDefinition({ raw_symbol: 'X'.repeat(71) })).toThrow(/longer than 70 bytes/);
  });
});
