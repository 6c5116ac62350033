// `inspect` prints Databento's CSV and JSON encodings byte for byte (databento-python
// expectations), streams CSV, and reports bad input as one readable error, never a stack.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatCliError } from '../cliError';
import { run } from './inspect';

const FIX = join(process.cwd(), '..', 'shared', 'data', 'dbn-fixtures');
const REAL = join(process.cwd(), '..', 'shared', 'data', 'real');
const PY_MBO = join(FIX, 'databento-python', 'GLBX.MDP3__test_data.mbo.dbn.zst');
const tmp = mkdtempSync(join(tmpdir(), 'inspect-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Run the command in-process, capturing stdout. */
async function inspect(...argv: string[]): Promise<{ out: string; code?: number; error?: unknown }> {
  const chunks: string[] = [];
  const orig = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string | Uint8Array) => {
    chunks.push(typeof s === 'string' ? s : Buffer.from(s).toString());
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await run(argv);
    return { out: chunks.join(''), code };
  } catch (error) {
    return { out: chunks.join(''), error };
  } finally {
    process.stdout.write = orig;
  }
}

const PY_CSV = `ts_recv,ts_event,rtype,publisher_id,instrument_id,action,side,price,size,channel_id,order_id,flags,ts_in_delta,sequence
1609113600000000000,1609099225061045683,160,1,5482,A,B,3675750000000,2,0,647784248135,40,0,1180
1609113600000000000,1609099225061045683,160,1,5482,A,B,3675500000000,1,0,647782686353,40,0,1160
1609113600000000000,1609099225061045683,160,1,5482,A,B,3675250000000,1,0,647782884482,40,0,1166
1609113600000000000,1609099225061045683,160,1,5482,A,B,3675000000000,1,0,647782912367,40,0,1166
`;
const PY_JSON_1 =
  '{"ts_recv":"1609113600000000000","hd":{"ts_event":"1609099225061045683","rtype":160,"publisher_id":1,"instrument_id":5482},"action":"A","side":"B","price":"3675750000000","size":2,"channel_id":0,"order_id":"647784248135","flags":40,"ts_in_delta":0,"sequence":1180}';
const ISSUE_JSON_1 =
  '{"ts_recv":"1609160400000704060","hd":{"ts_event":"1609160400000429831","rtype":160,"publisher_id":1,"instrument_id":5482},"action":"C","side":"A","price":"3722750000000","size":1,"channel_id":0,"order_id":"647784973705","flags":128,"ts_in_delta":22993,"sequence":1170352}';

describe('inspect --csv', () => {
  it('matches the databento-python CSV byte for byte', async () => {
    const r = await inspect(PY_MBO, '--csv');
    expect(r.error).toBeUndefined();
    expect(r.out).toBe(PY_CSV);
  });

  it('streams every record of the real ESH4 session (68,792 rows), undefined prices as i64::MAX', async () => {
    const r = await inspect(join(REAL, 'esh4-glbx-mdp3-20231225.mbo.dbn.zst'), '--csv');
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 68792);
    expect(lines[68792]).toMatch(/^1703548799446821072,\d+,160,1,17077,[ACMFT],[ABN],\d+,\d+,0,\d+,\d+,-?\d+,59585$/);
    const esm4 = await inspect(join(REAL, 'orderbooks_mbo_2024-05-08T00-00-00_2024-05-08T00-00-02.dbn.zst'), '--csv');
    expect(esm4.out.split('\n')[1]).toBe('1715126400000000000,1714910404570304567,160,1,5602,R,N,9223372036854775807,0,0,0,40,0,0');
  });
});

describe('inspect --json', () => {
  it('prints metadata, counts and the first N records in Databento’s JSON encoding', async () => {
    const r = await inspect(PY_MBO, '--json', '--records', '2');
    const lines = r.out.split('\n');
    expect(lines[1]).toBe(PY_JSON_1 + ',');
    const j = JSON.parse(r.out);
    expect(j.metadata).toEqual({
      version: 3,
      dataset: 'GLBX.MDP3',
      schema: 'mbo',
      start: '1609113600000000000',
      end: '1609200000000000000',
      limit: '4',
      stype_in: 'raw_symbol',
      stype_out: 'instrument_id',
      ts_out: false,
      symbol_cstr_len: 71,
      symbols: ['ESH1'],
      partial: [],
      not_found: [],
      mappings: [{ raw_symbol: 'ESH1', intervals: [{ start_date: 20201228, end_date: 20201229, symbol: '5482' }] }],
    });
    expect(j.counts).toEqual({ records: 4, by_rtype: { mbo: 4 }, by_action: { A: 4 }, skipped: 0 });
    expect(j.records).toHaveLength(2);
    expect(JSON.stringify(j.records[0])).toBe(PY_JSON_1);
  });

  it('renders the issue’s example record exactly (mbo fixture v1, v2, v3)', async () => {
    for (const f of ['test_data.mbo.v1.dbn.zst', 'test_data.mbo.v2.dbn.zst', 'test_data.mbo.v3.dbn']) {
      const r = await inspect(join(FIX, f), '--json');
      expect(r.out.split('\n')[1]).toBe(ISSUE_JSON_1 + ',');
      expect(JSON.parse(r.out).records).toHaveLength(2);
    }
  });

  it('definitions come out in Databento’s field order with strings for 64-bit values', async () => {
    const r = await inspect(join(REAL, 'definition-glbx-es-opt.dbn.zst'), '--json', '--records', '1');
    const rec = JSON.parse(r.out).records[0];
    expect(Object.keys(rec).slice(0, 6)).toEqual(['ts_recv', 'hd', 'raw_symbol', 'security_update_action', 'instrument_class', 'min_price_increment']);
    expect(rec).toMatchObject({ raw_symbol: 'ESM4 C4250', instrument_class: 'C', strike_price: '4250000000000', underlying: 'ESM4', underlying_id: 5602 });
    expect(rec.hd.rtype).toBe(19);
    expect(JSON.parse(r.out).metadata.mappings).toHaveLength(11294);
  });

  it('--records 0 prints no records; a truncated file still prints what was read, then fails', async () => {
    expect(JSON.parse((await inspect(PY_MBO, '--json', '--records', '0')).out).records).toEqual([]);
    const raw = readFileSync(join(FIX, 'test_data.mbo.v3.dbn'));
    const cut = join(tmp, 'cut.dbn');
    writeFileSync(cut, raw.subarray(0, raw.length - 10));
    const r = await inspect(cut, '--json');
    expect(JSON.parse(r.out).error.code).toBe('TRUNCATED_RECORD');
    expect(JSON.parse(r.out).records).toHaveLength(1);
    expect(formatCliError(r.error)).toMatch(/^error: truncated record/);
  });
});

describe('inspect errors', () => {
  it('bad input is one readable message with a hint, never a stack trace', async () => {
    for (const [argv, pattern] of [
      [[join(FIX, 'test_data.mbo.dbz')], /legacy \.dbz/],
      [[join(tmp, 'missing.dbn')], /no such file/],
      [[join(process.cwd(), 'package.json')], /not a DBN file/],
      [[], /needs a FILE/],
      [[PY_MBO, '--json', '--csv'], /choose one/],
      [[PY_MBO, '--records', 'x'], /non-negative integer/],
      [[PY_MBO, '--nope'], /unknown option/],
    ] as [string[], RegExp][]) {
      const r = await inspect(...argv);
      const text = formatCliError(r.error);
      expect(text).toMatch(pattern);
      expect(text).not.toMatch(/internal error|\n\s+at /);
    }
  });

  it('the real CLI exits non-zero on a .dbz and prints CSV byte for byte (one spawn each)', () => {
    const bad = spawnSync('npx', ['tsx', 'src-worker/cli/main.ts', 'inspect', join(FIX, 'test_data.definition.dbz')], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^error: this is a legacy \.dbz file/m);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const ok = spawnSync('npx', ['tsx', 'src-worker/cli/main.ts', 'inspect', PY_MBO, '--csv'], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe(PY_CSV);
  });
});

describe('CSV byte writer', () => {
  it('writes exactly the string formatter’s lines for every ESH4 and ESM4 row (incl. undefined prices)', async () => {
    const { decodeDbnSync } = await import('../../dbn/reader');
    const { mboCsvLine, writeMboCsvRow } = await import('../../dbn/format');
    const buf = new Uint8Array(256);
    let mismatches = 0;
    let rows = 0;
    for (const f of ['esh4-glbx-mdp3-20231225.mbo.dbn.zst', 'orderbooks_mbo_2024-05-08T00-00-00_2024-05-08T00-00-02.dbn.zst']) {
      const b = decodeDbnSync(readFileSync(join(REAL, f))).mbo;
      for (let i = 0; i < b.count; i++, rows++) {
        const n = writeMboCsvRow(b, i, buf, 0);
        if (Buffer.from(buf.subarray(0, n)).toString('latin1') !== mboCsvLine(b, i) + '\n') mismatches++;
      }
    }
    expect(rows).toBe(68792 + 13796);
    expect(mismatches).toBe(0);
  });

  it('a truncated file prints every complete row before failing', async () => {
    const raw = readFileSync(join(FIX, 'test_data.mbo.v3.dbn'));
    const cut = join(tmp, 'cut-csv.dbn');
    writeFileSync(cut, raw.subarray(0, raw.length - 10));
    const r = await inspect(cut, '--csv');
    expect(r.out.trimEnd().split('\n')).toHaveLength(2); // header + the one complete record
    expect(formatCliError(r.error)).toMatch(/truncated record/);
  });
});
