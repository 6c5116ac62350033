// Golden test: instrument definitions decode to the documented values in v1 (360-byte),
// v2 (400) and v3 (520) layouts, raw, zstd, fragments and multi-frame zstd — and the
// three layouts upgrade to the same v3 object field for field.
import { describe, expect, it } from 'vitest';
import { decodeDbnSync, DEFINITION_LAYOUTS, readDbnFile, type InstrumentDefinition } from './index';
import { bytesOf, fixture, real, stable } from './testing/fixtures';

// Every field of the first MSFT record. Cross-checked: v1, v2 and v3 files are independent
// encodings by Databento of the same record, and all three must upgrade to exactly this.
const MSFT_6819: InstrumentDefinition = {
  ts_event: 1633331241618018154n,
  publisher_id: 2,
  instrument_id: 6819,
  ts_recv: 1633331241618029519n,
  min_price_increment: undefined,
  display_factor: 100000000000000n,
  expiration: 18446744073709551615n,
  activation: 18446744073709551615n,
  high_limit_price: undefined,
  low_limit_price: undefined,
  max_price_variation: undefined,
  unit_of_measure_qty: undefined,
  min_price_increment_amount: undefined,
  price_ratio: undefined,
  strike_price: undefined,
  raw_instrument_id: 2147483647n,
  leg_price: undefined,
  leg_delta: undefined,
  inst_attrib_value: 2147483647,
  underlying_id: 0,
  market_depth_implied: 2147483647,
  market_depth: 2147483647,
  market_segment_id: 4294967295,
  max_trade_vol: 4294967295,
  min_lot_size: 2147483647,
  min_lot_size_block: 2147483647,
  min_lot_size_round_lot: 100,
  min_trade_vol: 4294967295,
  contract_multiplier: 2147483647,
  decay_quantity: 2147483647,
  original_contract_size: 2147483647,
  leg_instrument_id: 0,
  leg_ratio_price_numerator: 0,
  leg_ratio_price_denominator: 0,
  leg_ratio_qty_numerator: 0,
  leg_ratio_qty_denominator: 0,
  leg_underlying_id: 0,
  appl_id: 32767,
  maturity_year: 65535,
  decay_start_date: 65535,
  channel_id: 0,
  leg_count: 0,
  leg_index: 0,
  currency: '',
  settl_currency: '',
  secsubtype: 'Z ',
  raw_symbol: 'MSFT',
  group: 'pxnas-1',
  exchange: 'XNAS',
  asset: '',
  cfi: '',
  security_type: '',
  unit_of_measure: '',
  underlying: '',
  strike_price_currency: '',
  leg_raw_symbol: '',
  instrument_class: 'K',
  match_algorithm: 'F',
  main_fraction: 255,
  price_display_format: 255,
  sub_fraction: 255,
  underlying_product: 255,
  security_update_action: 'A',
  maturity_month: 255,
  maturity_day: 255,
  maturity_week: 255,
  user_defined_instrument: 'N',
  contract_multiplier_unit: 127,
  flow_schedule_type: 127,
  tick_rule: 255,
  leg_instrument_class: '',
  leg_side: 'N',
};
const MSFT_6830: InstrumentDefinition = { ...MSFT_6819, ts_event: 1633417621703109854n, ts_recv: 1633417621703120931n, instrument_id: 6830 };

describe('definition layouts', () => {
  it('have the record sizes of databento/dbn (v1 360, v2 400, v3 520 bytes)', () => {
    expect([DEFINITION_LAYOUTS[1].size, DEFINITION_LAYOUTS[2].size, DEFINITION_LAYOUTS[3].size]).toEqual([360, 400, 520]);
  });
});

describe('MSFT definition fixtures (XNAS.ITCH)', () => {
  for (const v of [1, 2, 3]) {
    it(`v${v}: metadata, both records and every field`, () => {
      const r = decodeDbnSync(bytesOf(fixture(`test_data.definition.v${v}.dbn.zst`)));
      const m = r.metadata!;
      expect(m.version).toBe(v);
      expect(m.dataset).toBe('XNAS.ITCH');
      expect(m.schema).toBe('definition');
      expect(m.symbols).toEqual(['MSFT']);
      expect(m.mappings).toHaveLength(1);
      expect(m.mappings[0].raw_symbol).toBe('MSFT');
      expect(m.mappings[0].intervals).toHaveLength(62);
      expect(m.mappings[0].intervals[0]).toEqual({ start_date: '2021-10-04', end_date: '2021-10-05', symbol: '6819' });
      expect(stable(r.definitions)).toBe(stable([MSFT_6819, MSFT_6830]));
      expect(r.counts).toEqual({ records: 2, by_rtype: { instrument_def: 2 }, by_action: {}, skipped: 0 });
      expect(r.mbo.count).toBe(0);
    });
  }

  it('raw v2 file (no suffix) decodes the same records', () => {
    const r = decodeDbnSync(bytesOf(fixture('test_data.definition.dbn')));
    expect(r.metadata?.version).toBe(2);
    expect(stable(r.definitions.slice(0, 2))).toBe(stable([MSFT_6819, MSFT_6830]));
  });
});

describe('definition fragments (no metadata header)', () => {
  const FRAGMENTS: [string, 1 | 2 | 3][] = [
    ['test_data.definition.v1.dbn.frag', 1],
    ['test_data.definition.v1.dbn.frag.zst', 1],
    ['test_data.definition.v2.dbn.frag', 2],
    ['test_data.definition.v3.dbn.frag', 3],
    ['test_data.definition.v3.dbn.frag.zst', 3],
    ['test_data.definition.dbn.frag.zst', 2],
  ];
  const expected = decodeDbnSync(bytesOf(fixture('test_data.definition.v3.dbn.frag')), { fragment: true, version: 3 }).definitions;

  it('the v3 fragment holds GEM3 P9812 and ESH1 P2250 options', () => {
    expect(expected.map((d) => [d.instrument_id, d.raw_symbol, d.instrument_class, d.strike_price, d.underlying, d.underlying_id, d.asset, d.security_type])).toEqual([
      [31778, 'GEM3 P9812', 'P', 9812500000000n, 'GEM3', 21230, 'GE', 'OOF'],
      [688141, 'ESH1 P2250', 'P', 2250000000000n, 'ESH1', 5482, 'ES', 'OOF'],
    ]);
    expect(expected[0].expiration).toBe(1687168800000000000n);
    expect(expected[0].min_price_increment).toBe(500000000n);
  });

  for (const [name, version] of FRAGMENTS) {
    it(`${name} upgrades to the same v3 objects`, () => {
      const r = decodeDbnSync(bytesOf(fixture(name)), { fragment: true, version });
      expect(r.metadata).toBeNull();
      expect(stable(r.definitions)).toBe(stable(expected));
    });
  }

  it('multi-frame zstd fragment: 8 records across 8 frames, streamed', async () => {
    const defs: InstrumentDefinition[] = [];
    for await (const ev of readDbnFile(fixture('multi-frame.definition.v1.dbn.frag.zst'), { fragment: true, version: 1 })) {
      if (ev.kind === 'definition') defs.push(ev.definition);
    }
    expect(defs).toHaveLength(8);
    expect(stable(defs.slice(0, 2))).toBe(stable(expected));
    expect(stable(defs)).toBe(stable(decodeDbnSync(bytesOf(fixture('multi-frame.definition.v1.dbn.frag.zst')), { fragment: true, version: 1, zstd: 'js' }).definitions));
  });
});

describe('real CME definitions used by the options pipeline', () => {
  it('ES options (v1): ESM4 C4250 / C3550 with underlying ESM4 (5602) and 11,294 mapped option symbols', () => {
    const r = decodeDbnSync(bytesOf(real('definition-glbx-es-opt.dbn.zst')));
    expect(r.definitions.map((d) => [d.raw_symbol, d.instrument_class, d.strike_price, d.underlying, d.underlying_id, d.asset, d.security_type])).toEqual([
      ['ESM4 C4250', 'C', 4250000000000n, 'ESM4', 5602, 'ES', 'OOF'],
      ['ESM4 C3550', 'C', 3550000000000n, 'ESM4', 5602, 'ES', 'OOF'],
    ]);
    expect(r.definitions[0].expiration).toBe(1718976600000000000n);
    expect(r.metadata!.mappings.length).toBe(11294);
    expect(r.metadata!.mappings.some((m) => m.raw_symbol === 'ESH4 P3450')).toBe(true);
  });

  it('ESM4 future: tick 0.25 (min_price_increment 250000000)', () => {
    const [d] = decodeDbnSync(bytesOf(real('orderbooks_definition.dbn.zst'))).definitions;
    expect([d.instrument_id, d.raw_symbol, d.instrument_class, d.min_price_increment, d.asset, d.security_type]).toEqual([5602, 'ESM4', 'F', 250000000n, 'ES', 'FUT']);
  });

  it('v3 options: ESU6 C9600 / P6575 on ESU6 (42140870); weekly EW2F6 C7000 (v1)', () => {
    const v3 = decodeDbnSync(bytesOf(real('test_data.definition.option.dbn.zst')));
    expect(v3.metadata?.version).toBe(3);
    expect(v3.definitions.map((d) => [d.raw_symbol, d.instrument_class, d.strike_price, d.underlying_id])).toEqual([
      ['ESU6 C9600', 'C', 9600000000000n, 42140870],
      ['ESU6 P6575', 'P', 6575000000000n, 42140870],
    ]);
    const weekly = decodeDbnSync(bytesOf(real('options_exercise__options_definition.dbn.zst'))).definitions[0];
    expect([weekly.raw_symbol, weekly.instrument_class, weekly.strike_price, weekly.underlying, weekly.asset]).toEqual(['EW2F6 C7000', 'C', 7000000000000n, 'ESH6', 'EW2']);
  });

  it('spreads keep their class and tick (ESH5-ESM5 S, tick 0.05)', () => {
    const r = decodeDbnSync(bytesOf(real('definition-glbx-es-futspread.dbn.zst')));
    expect(r.definitions.map((d) => [d.raw_symbol, d.instrument_class, d.min_price_increment])).toEqual([
      ['ESH5-ESM5', 'S', 50000000n],
      ['ESM4-ESU4', 'S', 50000000n],
    ]);
  });
});
