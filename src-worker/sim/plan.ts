// Turns user options (symbol, date, session clock, seed, intensity …) into the resolved,
// validated parameters of one simulated day. Every user mistake becomes a SimError with a hint.
import { SimError } from './simError';
import { checkTimeZone, localToUtcSec, nyOffsetSec, parseClock, parseDate } from './sessionClock';
import { Rng } from './rng';

export interface SimulateOptions {
  /** Futures MBO output: `.dbn` (raw) or `.dbn.zst` (zstd). */
  out: string;
  /** Futures raw symbol, CME style: root + month code + year digit (default ESH6). */
  symbol?: string;
  /** Trade date YYYY-MM-DD in `tz` (default 2026-01-06). */
  date?: string;
  /** Session window in `tz`, HH:MM (default 08:30–10:30). A start at or after the end begins on the previous day (e.g. 18:00–17:00 = a full Globex day). */
  start?: string;
  end?: string;
  /** IANA time zone of start/end (default America/New_York). */
  tz?: string;
  /** Random seed (default 42): same seed and options → byte-identical files. */
  seed?: number;
  /** Activity multiplier (default 1.0 ≈ 3–5 M futures records in the first RTH hour). */
  intensity?: number;
  /** Options MBO output for the ES options chain (quarterly + weeklies), optional. */
  optionsOut?: string;
  /** Instrument definitions (v3) of the future and every simulated option, optional. */
  definitionsOut?: string;
  /** Strike band around the underlying in index points (default ±100; strikes every $5). */
  strikeBand?: number;
  /** Opening price in index points (default: a seed-dependent level around 6,500 for ES). */
  startPrice?: number;
  /** Instrument id of the future (default per root). */
  instrumentId?: number;
  /** Emit an R (clear book) before the start-of-day snapshot (default false, like the ESH4 file). */
  clearBeforeSnapshot?: boolean;
  /** zstd level for .zst outputs (default 3). */
  zstdLevel?: number;
  /** Called after every written batch. */
  onProgress?: (p: SimulateProgress) => void;
  /** Abort to stop early: the output files are removed and the promise rejects with SimError. */
  signal?: AbortSignal;
}

export interface SimulateProgress {
  /** Fraction of the session simulated, 0..1. */
  fraction: number;
  futuresRecords: number;
  optionsRecords: number;
  /** Simulated clock, UTC ns as a decimal string. */
  simTimeNs: string;
}

export interface ProductSpec {
  root: string;
  tickE9: number;
  defaultPrice: number;
  defaultInstrumentId: number;
  hasOptions: boolean;
}

const PRODUCTS: Record<string, ProductSpec> = {
  ES: { root: 'ES', tickE9: 250_000_000, defaultPrice: 6500, defaultInstrumentId: 42140864, hasOptions: true },
  MES: { root: 'MES', tickE9: 250_000_000, defaultPrice: 6500, defaultInstrumentId: 42140866, hasOptions: false },
  NQ: { root: 'NQ', tickE9: 250_000_000, defaultPrice: 22500, defaultInstrumentId: 42140872, hasOptions: false },
  MNQ: { root: 'MNQ', tickE9: 250_000_000, defaultPrice: 22500, defaultInstrumentId: 42140874, hasOptions: false },
};

export const MONTH_CODES = 'FGHJKMNQUVXZ';

export interface SimPlan {
  symbol: string;
  product: ProductSpec;
  /** Contract month 1..12 and full year. */
  month: number;
  year: number;
  instrumentId: number;
  date: string;
  tz: string;
  seed: number;
  intensity: number;
  /** Session start/end, UTC epoch seconds. */
  startSec: number;
  endSec: number;
  nyOffsetSec: number;
  startTick: number;
  strikeBand: number;
  clearBeforeSnapshot: boolean;
}

function parseSymbol(symbol: string, date: string): { product: ProductSpec; month: number; year: number } {
  const m = /^([A-Z]{2,3})([FGHJKMNQUVXZ])(\d)$/.exec(symbol);
  const product = m ? PRODUCTS[m[1]] : undefined;
  if (!m || !product) {
    throw new SimError(`cannot simulate symbol '${symbol}'`, `use a CME outright such as ESH6, MESH6, NQH6 or MNQH6 (root + month code + year digit); supported roots: ${Object.keys(PRODUCTS).join(', ')}`);
  }
  const month = MONTH_CODES.indexOf(m[2]) + 1;
  const tradeYear = parseDate(date).y;
  // the contract year is the first year ending in the digit that is not before the trade date's year - 1
  let year = tradeYear - (tradeYear % 10) + Number(m[3]);
  if (year < tradeYear - 1) year += 10;
  if (year > tradeYear + 8) year -= 10;
  return { product, month, year };
}

export function planSimulation(o: Omit<SimulateOptions, 'out'>): SimPlan {
  const symbol = (o.symbol ?? 'ESH6').toUpperCase();
  const date = o.date ?? '2026-01-06';
  parseDate(date);
  const tz = o.tz ?? 'America/New_York';
  checkTimeZone(tz);
  const startClock = parseClock(o.start ?? '08:30');
  const endClock = parseClock(o.end ?? '10:30');
  const seed = o.seed ?? 42;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new SimError(`bad seed '${o.seed}'`, 'the seed is a whole number between 0 and 4294967295');
  const intensity = o.intensity ?? 1;
  if (!Number.isFinite(intensity) || intensity <= 0 || intensity > 50) throw new SimError(`bad intensity '${o.intensity}'`, 'intensity is a positive number up to 50 (1.0 ≈ 3–5 M futures events in the first RTH hour)');
  const { product, month, year } = parseSymbol(symbol, date);
  const startSec = localToUtcSec(date, startClock >= endClock ? startClock - 86400 : startClock, tz);
  const endSec = localToUtcSec(date, endClock, tz);
  if (endSec - startSec > 26 * 3600) throw new SimError('the session is longer than a trading day', 'choose --start/--end within one Globex day (at most 24 hours)');
  const strikeBand = o.strikeBand ?? 100;
  if (!(strikeBand >= 5 && strikeBand <= 1000)) throw new SimError(`bad strike band '${o.strikeBand}'`, 'the strike band is ±5 to ±1000 index points');
  let price = o.startPrice;
  if (price === undefined) price = product.defaultPrice + Math.round((new Rng(seed ^ 0x2545f491).next() - 0.5) * 200);
  if (!(price > 10 && price < 1e6)) throw new SimError(`bad start price '${o.startPrice}'`, 'give the opening price in index points, e.g. 6500');
  const startTick = Math.round((price * 1e9) / product.tickE9);
  return {
    symbol,
    product,
    month,
    year,
    instrumentId: o.instrumentId ?? product.defaultInstrumentId,
    date,
    tz,
    seed,
    intensity,
    startSec,
    endSec,
    nyOffsetSec: nyOffsetSec(startSec),
    startTick,
    strikeBand,
    clearBeforeSnapshot: o.clearBeforeSnapshot ?? false,
  };
}

/** UTC calendar dates (YYYY-MM-DD) touched by [startSec, endSec), plus the day after the last (exclusive end). */
export function utcDates(startSec: number, endSec: number): string[] {
  const out: string[] = [];
  const d0 = Math.floor(startSec / 86400);
  const d1 = Math.floor((endSec - 1) / 86400) + 1;
  for (let d = d0; d <= d1; d++) out.push(new Date(d * 86400_000).toISOString().slice(0, 10));
  return out;
}
