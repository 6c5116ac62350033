// The simulated ES options chain: the quarterly options on the underlying future plus the
// daily/weekly expiries of the coming week, calls and puts, strikes every $5 within a band
// around the underlying; CME-style raw symbols (`ESH6 C6900`, `E1AF6 P6850`) and v3
// definition records shaped like Databento's real ES option definitions.
import type { InstrumentDefinition } from '../dbn';
import { MONTH_CODES, type SimPlan } from './plan';
import { localToUtcSec, parseDate } from './sessionClock';

export interface OptionInstrument {
  instrumentId: number;
  rawSymbol: string;
  /** 'C' | 'P' */
  right: string;
  strike: number;
  /** Series prefix (e.g. ESH6, E1AF6) and its asset code (ES, E1A, EW2). */
  series: string;
  asset: string;
  /** Expiration, UTC epoch seconds. */
  expirySec: number;
  expiryDate: string;
  isQuarterly: boolean;
}

export interface OptionChain {
  underlyingSymbol: string;
  underlyingId: number;
  instruments: OptionInstrument[];
}

const DAY_LETTER = ['', 'A', 'B', 'C', 'D', '']; // Mon..Thu; Friday weeklies are EW1..EW4

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Third Friday of a month (the quarterly / monthly expiry), YYYY-MM-DD. */
export function thirdFriday(year: number, month: number): string {
  const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  const day = 1 + ((5 - first + 7) % 7) + 14;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** CME weekly/daily series code for an expiry date, e.g. Monday 2026-01-05 → E1AF6, Friday 2026-01-09 → EW2F6. */
export function weeklySeries(date: string): { series: string; asset: string } {
  const { y, m, d } = parseDate(date);
  const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  const week = Math.ceil(d / 7);
  const asset = dow === 5 ? `EW${week}` : `E${week}${DAY_LETTER[dow]}`;
  return { series: `${asset}${MONTH_CODES[m - 1]}${y % 10}`, asset };
}

export function buildChain(plan: SimPlan, underlyingMidE9: number): OptionChain {
  const spot = (Number.isFinite(underlyingMidE9) ? underlyingMidE9 : plan.startTick * plan.product.tickE9) / 1e9;
  const lo = Math.ceil((spot - plan.strikeBand) / 5) * 5;
  const hi = Math.floor((spot + plan.strikeBand) / 5) * 5;
  const underlying = plan.symbol;
  const expiries: { series: string; asset: string; date: string; sec: number; quarterly: boolean }[] = [];
  // dailies/weeklies: the next five trading days from the trade date (0DTE included), 16:00 ET
  const { y, m, d } = parseDate(plan.date);
  let day = Date.UTC(y, m - 1, d);
  const quarterly = thirdFriday(plan.year, plan.month);
  while (expiries.length < 5) {
    const date = isoDate(day);
    const dow = new Date(day).getUTCDay();
    if (dow >= 1 && dow <= 5 && date !== quarterly) {
      const ws = weeklySeries(date);
      expiries.push({ ...ws, date, sec: localToUtcSec(date, 16 * 3600, 'America/New_York'), quarterly: false });
    }
    day += 86400_000;
  }
  // the quarterly options on the underlying itself: AM-settled, 09:30 ET on the third Friday
  expiries.push({ series: underlying, asset: plan.product.root, date: quarterly, sec: localToUtcSec(quarterly, 9.5 * 3600, 'America/New_York'), quarterly: true });
  const instruments: OptionInstrument[] = [];
  let id = 42_600_000 + (plan.seed % 1000) * 1000;
  for (const e of expiries) {
    for (const right of ['C', 'P']) {
      for (let k = lo; k <= hi; k += 5) {
        instruments.push({
          instrumentId: id++,
          rawSymbol: `${e.series} ${right}${k}`,
          right,
          strike: k,
          series: e.series,
          asset: e.asset,
          expirySec: e.sec,
          expiryDate: e.date,
          isQuarterly: e.quarterly,
        });
      }
    }
  }
  return { underlyingSymbol: underlying, underlyingId: plan.instrumentId, instruments };
}

const E9 = 1_000_000_000n;

/** The underlying future's definition (shaped like Databento's ES futures definitions). */
export function futureDefinition(plan: SimPlan): Partial<InstrumentDefinition> {
  const tick = BigInt(plan.product.tickE9);
  const ref = BigInt(plan.startTick) * tick;
  const exp = localToUtcSec(thirdFriday(plan.year, plan.month), 9.5 * 3600, 'America/New_York');
  return {
    ts_event: BigInt(plan.startSec - 86400) * E9,
    ts_recv: BigInt(plan.startSec) * E9,
    publisher_id: 1,
    instrument_id: plan.instrumentId,
    raw_symbol: plan.symbol,
    instrument_class: 'F',
    min_price_increment: tick,
    display_factor: 10_000_000n,
    expiration: BigInt(exp) * E9,
    activation: BigInt(exp - 400 * 86400) * E9,
    high_limit_price: ref + (ref * 7n) / 100n,
    low_limit_price: ref - (ref * 7n) / 100n,
    max_price_variation: 6n * E9,
    unit_of_measure_qty: 50n * E9,
    min_price_increment_amount: 125_000_000n,
    raw_instrument_id: BigInt(plan.instrumentId),
    inst_attrib_value: 270351,
    market_depth_implied: 0,
    market_depth: 10,
    market_segment_id: 64,
    max_trade_vol: 3000,
    min_lot_size: 0,
    min_lot_size_block: 0,
    min_lot_size_round_lot: 0,
    min_trade_vol: 1,
    appl_id: 310,
    maturity_year: plan.year,
    channel_id: 0,
    currency: 'USD',
    group: plan.product.root,
    exchange: 'XCME',
    asset: plan.product.root,
    cfi: 'FFIXSX',
    security_type: 'FUT',
    unit_of_measure: 'IPNT',
    match_algorithm: 'F',
    underlying_product: 5,
    maturity_month: plan.month,
  };
}

/** Option definitions (v3): strike, C/P, underlying and its id, expiration, tick size (0.05; 0.25 from 5.00 up: tick_rule 17). */
export function chainDefinitions(chain: OptionChain, plan: SimPlan): Partial<InstrumentDefinition>[] {
  return chain.instruments.map((o) => {
    const { y, m } = parseDate(o.expiryDate);
    return {
      ts_event: BigInt(plan.startSec - 3600) * E9,
      ts_recv: BigInt(plan.startSec) * E9,
      publisher_id: 1,
      instrument_id: o.instrumentId,
      raw_symbol: o.rawSymbol,
      instrument_class: o.right,
      strike_price: BigInt(o.strike) * E9,
      strike_price_currency: 'USD',
      underlying: chain.underlyingSymbol,
      underlying_id: chain.underlyingId,
      expiration: BigInt(o.expirySec) * E9,
      activation: BigInt(o.expirySec - (o.isQuarterly ? 360 : 35) * 86400) * E9,
      min_price_increment: 50_000_000n,
      display_factor: 10_000_000n,
      low_limit_price: 50_000_000n,
      unit_of_measure_qty: 50n * E9,
      min_price_increment_amount: 0n,
      raw_instrument_id: BigInt(o.instrumentId),
      inst_attrib_value: 270339,
      market_depth_implied: 0,
      market_depth: 3,
      market_segment_id: 54,
      max_trade_vol: 3000,
      min_lot_size: 0,
      min_lot_size_block: 0,
      min_lot_size_round_lot: 0,
      min_trade_vol: 1,
      appl_id: 311,
      maturity_year: y,
      channel_id: 1,
      currency: 'USD',
      group: 'EW',
      exchange: 'XCME',
      asset: o.asset,
      cfi: o.right === 'C' ? 'OCAFPS' : 'OPAFPS',
      security_type: 'OOF',
      unit_of_measure: 'IPNT',
      match_algorithm: 'F',
      underlying_product: 5,
      maturity_month: m,
      tick_rule: 17,
    };
  });
}
