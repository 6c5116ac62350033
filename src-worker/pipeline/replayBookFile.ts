// Rebuild the book of one instrument from a DBN file (in pipeline/: it chooses the instrument
// and tick as a build does) and take snapshots at chosen record
// counts (the `book` command and the real-data golden tests share this).
import { readDbnFile } from '../dbn/reader';
import type { DbnMetadata } from '../dbn/metadata';
import { chooseInstrument, resolveTickInt } from './sessionConfig';
import { earlyCloseSafeZstd } from './zstdChoice';
import { bookState, type BookStateView } from '../book/bookReport';
import { OrderBook } from '../book/orderBook';

export interface ReplayBookOptions {
  symbol?: string;
  /** Tick size override in 1e-9 units. */
  tickInt?: number;
  /** 1-based MBO record counts (of the chosen instrument) after which to snapshot. */
  atRecords?: number[];
  signal?: AbortSignal;
}

export interface ReplayBookResult {
  symbol: string;
  instrumentId: number;
  checkpoints: BookStateView[];
  final: BookStateView;
  book: OrderBook;
}

export async function replayBookFile(path: string, opts: ReplayBookOptions = {}): Promise<ReplayBookResult> {
  const at = [...new Set(opts.atRecords ?? [])].sort((a, b) => a - b);
  let next = 0;
  let meta: DbnMetadata | null = null;
  let book: OrderBook | null = null;
  let iid = -1;
  let symbol = '';
  let n = 0;
  const checkpoints: BookStateView[] = [];
  for await (const ev of readDbnFile(path, { signal: opts.signal, zstd: earlyCloseSafeZstd() })) {
    if (ev.kind === 'metadata') meta = ev.metadata;
    if (ev.kind !== 'mbo') continue;
    const b = ev.batch;
    if (!book) {
      const choice = chooseInstrument(meta, opts.symbol, undefined, b.count > 0 ? b.instrumentId[0] : null);
      iid = choice.instrumentId;
      symbol = choice.symbol;
      book = new OrderBook(resolveTickInt(symbol, opts.tickInt));
    }
    // The book's fast path (applyRange) over the spans between checkpoints.
    let from = 0;
    for (let i = 0; i < b.count; i++) {
      if (b.instrumentId[i] !== iid) continue;
      n++;
      if (next < at.length && at[next] === n) {
        book.applyRange(b, from, i + 1, iid);
        from = i + 1;
        while (next < at.length && at[next] === n) {
          checkpoints.push(bookState(book, n));
          next++;
        }
      }
    }
    book.applyRange(b, from, b.count, iid);
  }
  if (!book) {
    const choice = chooseInstrument(meta, opts.symbol, undefined, null);
    iid = choice.instrumentId;
    symbol = choice.symbol;
    book = new OrderBook(resolveTickInt(symbol, opts.tickInt));
  }
  return { symbol, instrumentId: iid, checkpoints, final: bookState(book, n), book };
}
