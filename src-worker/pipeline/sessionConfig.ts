// Instrument and session configuration (SPEC §3): which instrument of the file, its tick
// size (defaults per product root, overridable), and the session window in exchange-local
// time converted to whole UTC seconds. Every problem is an IngestError a person can act on.
import { isTimeZone, zoneOffsetMs } from '../../contracts/exchangeClock';
import { PRODUCT_DEFAULTS, SESSION_DEFAULTS, productDefaultsFor } from '../../contracts/instruments';
import type { DbnMetadata } from '../dbn/metadata';
import { IngestError } from './errors';

export interface InstrumentChoice {
  symbol: string;
  instrumentId: number;
}

/**
 * Pick the instrument from the metadata's symbol mappings. With several raw symbols and no
 * --symbol, the single outright future is chosen; otherwise the user must say which.
 * `firstInstrumentId` is the instrument of the first MBO record, used when the file has no
 * mappings (e.g. symbols requested by instrument id).
 */
export function chooseInstrument(meta: DbnMetadata | null, requested: string | undefined, date: string | undefined, firstInstrumentId: number | null): InstrumentChoice {
  const mappings = meta?.mappings ?? [];
  const idOf = (raw: string): number | null => {
    const m = mappings.find((x) => x.raw_symbol === raw);
    if (!m || m.intervals.length === 0) return null;
    const iv = (date && m.intervals.find((i) => i.start_date <= date && date < i.end_date)) || m.intervals[0];
    const id = Number(iv.symbol);
    return Number.isInteger(id) && id >= 0 ? id : null;
  };
  const available = mappings.map((m) => m.raw_symbol);
  if (requested) {
    const id = idOf(requested);
    if (id !== null) return { symbol: requested, instrumentId: id };
    if (/^\d+$/.test(requested)) return { symbol: requested, instrumentId: Number(requested) };
    throw new IngestError(
      'config.unknown_symbol',
      `symbol ${requested} is not in this file`,
      available.length ? `symbols in the file: ${available.slice(0, 20).join(', ')}${available.length > 20 ? ' …' : ''}` : 'the file has no symbol mappings; pass the instrument id instead',
    );
  }
  const outrights = available.filter((s) => /^[A-Z0-9]{1,4}[FGHJKMNQUVXZ]\d{1,2}$/.test(s));
  const candidates = outrights.length > 0 ? outrights : available;
  if (candidates.length === 1) {
    const id = idOf(candidates[0]);
    if (id !== null) return { symbol: candidates[0], instrumentId: id };
  }
  if (candidates.length > 1)
    throw new IngestError('config.ambiguous_symbol', `the file holds ${candidates.length} instruments; choose one with --symbol`, `symbols: ${candidates.slice(0, 20).join(', ')}`);
  if (firstInstrumentId !== null) return { symbol: meta?.symbols?.[0] ?? String(firstInstrumentId), instrumentId: firstInstrumentId };
  throw new IngestError('input.no_events', 'the file has no MBO records', 'open a Databento MBO (schema mbo) file');
}

/** Tick size in 1e-9 units: the override, else the product-root default, else an error. */
export function resolveTickInt(symbol: string, override?: number): number {
  if (override !== undefined) {
    if (!(override > 0) || !Number.isInteger(override)) throw new IngestError('config.unknown_tick_size', `tick size ${override} is not a positive integer in 1e-9 units`);
    return override;
  }
  const d = productDefaultsFor(symbol);
  if (!d)
    throw new IngestError(
      'config.unknown_tick_size',
      `no tick size is known for ${symbol}`,
      `pass it explicitly (e.g. --tick 0.25); known product roots: ${PRODUCT_DEFAULTS.map((p) => p.root).join(', ')}`,
    );
  return d.tickInt;
}

/** Decimal price text (e.g. "0.25") → 1e-9 integer units. */
export function parseDecimalPrice(text: string): number {
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(text.trim());
  if (!m) throw new IngestError('config.unknown_tick_size', `'${text}' is not a decimal price`, 'e.g. --tick 0.25');
  return Number(m[1]) * 1e9 + Number((m[2] ?? '').padEnd(9, '0'));
}

// ---- clock -------------------------------------------------------------------------------

function assertTimeZone(tz: string): void {
  if (!isTimeZone(tz))
    throw new IngestError('config.bad_timezone', `unknown time zone '${tz}'`, 'use an IANA name such as America/New_York or America/Chicago');
}

/** Offset (local − UTC) in seconds of a time zone at a UTC instant. */
export function tzOffsetSec(utcSec: number, tz: string): number {
  return zoneOffsetMs(utcSec * 1000, tz) / 1000;
}

/** Local wall-clock date + HH:MM in a time zone → UTC seconds. */
export function zonedToUtcSec(date: string, hhmm: string, tz: string): number {
  const dm = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!dm) throw new IngestError('config.bad_date', `'${date}' is not a date`, 'use YYYY-MM-DD');
  const tm = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!tm || Number(tm[1]) > 24 || Number(tm[2]) > 59) throw new IngestError('config.bad_time', `'${hhmm}' is not a clock time`, 'use HH:MM, e.g. 09:30');
  const guess = Date.UTC(Number(dm[1]), Number(dm[2]) - 1, Number(dm[3]), Number(tm[1]), Number(tm[2])) / 1000;
  if (!Number.isFinite(guess)) throw new IngestError('config.bad_date', `'${date}' is not a date`, 'use YYYY-MM-DD');
  let utc = guess - tzOffsetSec(guess, tz);
  utc = guess - tzOffsetSec(utc, tz);
  return utc;
}

/** Local date (YYYY-MM-DD) of a UTC instant in a time zone. */
export function localDate(utcSec: number, tz: string): string {
  const d = new Date((utcSec + tzOffsetSec(utcSec, tz)) * 1000);
  return d.toISOString().slice(0, 10);
}

export interface SessionWindow {
  date: string;
  timeZone: string;
  start: string;
  end: string;
  startSec: number;
  endSec: number;
}

/**
 * Resolve the session window. Default date: the local date at the middle of the file's
 * metadata range (a Databento daily file runs 00:00–24:00 UTC). An end at or before the start
 * means the next day (e.g. 18:00–17:00 for a full Globex day).
 */
export function resolveSession(
  opts: { date?: string; start?: string; end?: string; tz?: string },
  fileStartNs: bigint | null,
  fileEndNs: bigint | null,
): SessionWindow {
  const tz = opts.tz ?? SESSION_DEFAULTS.timeZone;
  assertTimeZone(tz);
  const start = opts.start ?? SESSION_DEFAULTS.sessionStart;
  const end = opts.end ?? SESSION_DEFAULTS.sessionEnd;
  let date = opts.date;
  if (!date) {
    if (fileStartNs === null) throw new IngestError('config.bad_date', 'the file does not say which day it covers', 'pass --date YYYY-MM-DD');
    const s = Number(fileStartNs / 1_000_000_000n);
    const e = fileEndNs !== null && fileEndNs > fileStartNs ? Number(fileEndNs / 1_000_000_000n) : s;
    date = localDate(Math.floor((s + e) / 2), tz);
  }
  const startSec = zonedToUtcSec(date, start, tz);
  let endSec = zonedToUtcSec(date, end, tz);
  if (start === end) throw new IngestError('config.empty_window', `the session window ${start}–${end} is empty`, 'give an end time after the start time');
  if (endSec <= startSec) endSec += 86_400 + (tzOffsetSec(startSec, tz) - tzOffsetSec(endSec + 86_400, tz));
  if (fileStartNs !== null && fileEndNs !== null && fileEndNs > fileStartNs) {
    const fs = Number(fileStartNs / 1_000_000_000n);
    const fe = Number((fileEndNs + 999_999_999n) / 1_000_000_000n);
    if (endSec <= fs || startSec >= fe)
      throw new IngestError(
        'config.window_outside_file',
        `the session window ${date} ${start}–${end} ${tz} is outside the file (${new Date(fs * 1000).toISOString()} – ${new Date(fe * 1000).toISOString()})`,
        'choose --date/--start/--end inside the file',
      );
  }
  return { date, timeZone: tz, start, end, startSec, endSec };
}
