// A file opened without a session window (File ▸ Open, drag and drop) would be ingested with
// the default window (09:30–10:30 New York). When nothing trades in that window — an
// overnight Globex file such as ESH4 2023-12-25, which trades from 18:00 — the workstation
// opens the file's first trading hour instead: the exchange-time hour of its first trade.
// Decided by a quick scan before the ingest (it stops at the first trade inside or after the
// default window), so no time is spent building an empty session.
import { ACTION_TRADE, readDbnFile, type DbnMetadata } from '../dbn/index';
import { resolveSession } from '../pipeline/sessionConfig';
import { SESSION_DEFAULTS } from '../../contracts/instruments';

export interface SessionWindowChoice {
  date: string;
  start: string;
  end: string;
  tz: string;
}

/** Local calendar date and hour of a UTC second in `tz`. */
export function localDateHour(utcSec: number, tz: string): { date: string; hour: number } {
  const parts: Record<string, string> = {};
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
  for (const p of fmt.formatToParts(new Date(utcSec * 1000))) parts[p.type] = p.value;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

function hourWindow(utcSec: number, tz: string): SessionWindowChoice {
  const { date, hour } = localDateHour(utcSec, tz);
  const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
  return { date, start: hh(hour), end: hour === 23 ? '24:00' : hh(hour + 1), tz };
}

/**
 * null when the default session window has trading (or the file has no trade at all: the
 * default is as good as anything); otherwise the first trading hour of the file.
 */
export async function chooseSessionWindow(file: string, opts: { date?: string; tz?: string }, signal?: AbortSignal): Promise<SessionWindowChoice | null> {
  const tz = opts.tz ?? SESSION_DEFAULTS.timeZone;
  const reader = readDbnFile(file, { signal, batchSize: 8192 });
  let window: { startSec: number; endSec: number } | null = null;
  let firstTrade: number | null = null;
  try {
    for await (const ev of reader) {
      if (ev.kind === 'metadata') {
        const m: DbnMetadata = ev.metadata;
        try {
          window = resolveSession({ date: opts.date, tz }, m.start ?? null, m.end ?? null);
        } catch {
          window = null; // default window outside the file: the first trading hour it is
        }
        continue;
      }
      if (ev.kind !== 'mbo') continue;
      const b = ev.batch;
      for (let i = 0; i < b.count; i++) {
        if (b.action[i] !== ACTION_TRADE) continue;
        const t = b.tsRecvSec[i];
        firstTrade ??= t;
        if (!window) return hourWindow(firstTrade, tz);
        if (t >= window.startSec && t < window.endSec) return null; // the default window trades
        if (t >= window.endSec) return hourWindow(firstTrade, tz);
      }
    }
    return firstTrade === null ? null : hourWindow(firstTrade, tz);
  } finally {
    await reader.return(undefined as never).catch(() => undefined);
  }
}
