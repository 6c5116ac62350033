// `inspect FILE` — decode a DBN file (raw or zstd, v1–v3) and show what is in it.
//   (default)   a readable summary: metadata, counts, the first N records
//   --json      one JSON object {metadata, counts, records[first N]} in Databento's encoding
//   --csv       every MBO record as CSV (Databento's columns), streamed: any file size
//   --records N how many records to show (default 10)
//   --fragment  the file is a bare record stream without a metadata header (--version 1|2|3)
//   --zstd B    force a zstd back end (napi, cli, wasm, js)
import { once } from 'node:events';
import { CliError, parseArgs } from '../cliError';
import {
  DbnError,
  readDbnFile,
  availableZstdBackends,
  type DbnCounts,
  type DbnMetadata,
  type ReadDbnOptions,
  type ZstdBackend,
} from '../../dbn/index';
import { countsJsonObject, definitionJson, mboJson, MBO_CSV_HEADER, MBO_CSV_MAX_ROW, metadataJsonObject, writeMboCsvRow } from '../../dbn/format';

const HELP = `usage: npm run cli -- inspect FILE [--json | --csv] [--records N] [--fragment --version 1|2|3] [--zstd napi|cli|wasm|js]`;
export const help = HELP;

/** Writes text to a stream in large chunks, waiting for 'drain' (bounded memory). */
class ChunkedOut {
  private buf: (string | Uint8Array)[] = [];
  private size = 0;
  closed = false;
  constructor(private readonly out: NodeJS.WritableStream) {
    const onError = (e: NodeJS.ErrnoException): void => {
      if (e.code === 'EPIPE') this.closed = true; // reader went away (e.g. `| head`): stop quietly
      else throw e;
    };
    out.on('error', onError);
    this.detach = () => out.off('error', onError);
  }
  readonly detach: () => void;
  push(s: string | Uint8Array): void {
    this.buf.push(s);
    this.size += s.length;
  }
  get pending(): number {
    return this.size;
  }
  async flush(): Promise<void> {
    if (this.size === 0 || this.closed) {
      this.buf = [];
      this.size = 0;
      return;
    }
    const text = this.buf.length === 1 ? this.buf[0] : this.buf.every((x) => typeof x === 'string') ? this.buf.join('') : Buffer.concat(this.buf.map((x) => (typeof x === 'string' ? Buffer.from(x) : x)));
    this.buf = [];
    this.size = 0;
    try {
      if (!this.out.write(text)) await Promise.race([once(this.out, 'drain'), once(this.out, 'close')]);
    } catch (e) {
      // once() rejects with the stream's 'error': a closed pipe ends the output quietly.
      if ((e as NodeJS.ErrnoException).code === 'EPIPE') this.closed = true;
      else throw e;
    }
  }
}

function parseCount(v: string | undefined, def: number): number {
  if (v === undefined) return def;
  if (!/^\d+$/.test(v)) throw new CliError(`--records needs a non-negative integer, got '${v}'`, HELP);
  return Number(v);
}

function isoNs(ns: bigint | null): string {
  if (ns === null) return '—';
  const ms = Number(ns / 1000000n);
  const frac = String(ns % 1000000000n).padStart(9, '0');
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, `.${frac}Z`);
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { strings: ['records', 'version', 'zstd'], booleans: ['json', 'csv', 'fragment', 'help'] });
  if (args.flags.has('help')) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  if (args.positional.length !== 1) throw new CliError(args.positional.length === 0 ? 'inspect needs a FILE' : 'inspect takes exactly one FILE', HELP);
  if (args.flags.has('json') && args.flags.has('csv')) throw new CliError('choose one of --json and --csv', HELP);
  const file = args.positional[0];
  const limit = parseCount(args.values.records, 10);
  const opts: ReadDbnOptions = {};
  if (args.flags.has('fragment')) {
    opts.fragment = true;
    const v = Number(args.values.version ?? 3);
    if (v !== 1 && v !== 2 && v !== 3) throw new CliError(`--version must be 1, 2 or 3`, HELP);
    opts.version = v;
  } else if (args.values.version !== undefined) {
    throw new CliError('--version only applies with --fragment (a header states its own version)', HELP);
  }
  if (args.values.zstd !== undefined) {
    const b = args.values.zstd as ZstdBackend;
    if (!availableZstdBackends().includes(b)) throw new CliError(`zstd back end '${b}' is not available here (available: ${availableZstdBackends().join(', ')})`, HELP);
    opts.zstd = b;
  }
  const mode = args.flags.has('csv') ? 'csv' : args.flags.has('json') ? 'json' : 'text';
  const out = new ChunkedOut(process.stdout);
  try {
    if (mode === 'csv') return await inspectCsv(file, opts, out);
    return await inspectSummary(file, opts, out, limit, mode);
  } catch (e) {
    if (e instanceof DbnError && e.code === 'NOT_DBN' && !opts.fragment) {
      // Headerless record streams look like "not DBN": say how to read one.
      throw new DbnError('NOT_DBN', e.offset, e.userMessage.replace(/ \(at byte \d+\)$/, ''), `${e.hint}; for a bare record stream without a header add --fragment --version 1|2|3`);
    }
    throw e;
  } finally {
    out.detach();
  }
}

/** CSV rows are written as bytes into a 1 MiB block (no strings, no garbage), flushed as copies. */
async function inspectCsv(file: string, opts: ReadDbnOptions, out: ChunkedOut): Promise<number> {
  out.push(MBO_CSV_HEADER + '\n');
  const block = new Uint8Array(1 << 20);
  let pos = 0;
  try {
    for await (const ev of readDbnFile(file, opts)) {
      if (out.closed) return 0;
      if (ev.kind !== 'mbo') continue;
      const b = ev.batch;
      for (let i = 0; i < b.count; i++) {
        if (pos > block.length - MBO_CSV_MAX_ROW) {
          out.push(block.slice(0, pos)); // a copy: the stream may hold it after write() returns
          pos = 0;
          await out.flush();
          if (out.closed) return 0;
        }
        pos = writeMboCsvRow(b, i, block, pos);
      }
    }
  } finally {
    // Also on damage: every row decoded before it is printed, then the error is reported.
    out.push(block.slice(0, pos));
    await out.flush();
  }
  return 0;
}

async function inspectSummary(file: string, opts: ReadDbnOptions, out: ChunkedOut, limit: number, mode: 'json' | 'text'): Promise<number> {
  let metadata: DbnMetadata | null = null;
  let counts: DbnCounts | null = null;
  const records: string[] = [];
  let failure: DbnError | null = null;
  const t0 = performance.now();
  try {
    for await (const ev of readDbnFile(file, opts)) {
      if (ev.kind === 'metadata') metadata = ev.metadata;
      else if (ev.kind === 'end') counts = ev.counts;
      else if (records.length < limit) {
        if (ev.kind === 'definition') records.push(definitionJson(ev.definition));
        else for (let i = 0; i < ev.batch.count && records.length < limit; i++) records.push(mboJson(ev.batch, i));
      }
    }
  } catch (e) {
    // Damage after some records: still report what was read, then fail with the typed error.
    if (!(e instanceof DbnError) || (metadata === null && records.length === 0)) throw e;
    failure = e;
  }
  const secs = (performance.now() - t0) / 1000;
  if (mode === 'json') {
    const head: Record<string, unknown> = { metadata: metadata && metadataJsonObject(metadata), counts: counts && countsJsonObject(counts) };
    if (failure) head.error = { code: failure.code, offset: failure.offset, message: failure.userMessage };
    const headJson = JSON.stringify(head);
    out.push(`${headJson.slice(0, -1)},"records":[${records.length ? '\n' + records.join(',\n') + '\n' : ''}]}\n`);
  } else {
    out.push(textSummary(file, metadata, counts, records, secs));
  }
  await out.flush();
  if (failure) throw failure;
  return 0;
}

function textSummary(file: string, m: DbnMetadata | null, c: DbnCounts | null, records: string[], secs: number): string {
  const lines: string[] = [`file        ${file}`];
  if (m) {
    lines.push(
      `version     DBN v${m.version}`,
      `dataset     ${m.dataset}`,
      `schema      ${m.schema ?? 'mixed'}`,
      `start       ${isoNs(m.start)}`,
      `end         ${isoNs(m.end)}`,
      `limit       ${m.limit ?? 'none'}`,
      `stype       ${m.stype_in ?? 'mixed'} → ${m.stype_out}${m.ts_out ? ' (ts_out)' : ''}`,
      `symbols     ${m.symbols.slice(0, 10).join(', ')}${m.symbols.length > 10 ? ` … (${m.symbols.length})` : ''}`,
    );
    if (m.partial.length) lines.push(`partial     ${m.partial.join(', ')}`);
    if (m.not_found.length) lines.push(`not found   ${m.not_found.join(', ')}`);
    const shown = m.mappings.slice(0, 5).map((mp) => {
      const iv = mp.intervals[0];
      return `${mp.raw_symbol} → ${iv ? `${iv.symbol} (${iv.start_date} … ${iv.end_date})` : '—'}${mp.intervals.length > 1 ? ` +${mp.intervals.length - 1} intervals` : ''}`;
    });
    lines.push(`mappings    ${m.mappings.length}${shown.length ? ': ' + shown.join('; ') : ''}${m.mappings.length > 5 ? ' …' : ''}`);
  } else {
    lines.push('metadata    none (record fragment)');
  }
  if (c) {
    lines.push(`records     ${c.records.toLocaleString('en-US')} in ${secs.toFixed(2)} s`);
    lines.push(`by rtype    ${Object.entries(c.by_rtype).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(' · ') || '—'}`);
    if (Object.keys(c.by_action).length) lines.push(`by action   ${Object.entries(c.by_action).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(' · ')}`);
    if (c.skipped) lines.push(`skipped     ${c.skipped.toLocaleString('en-US')} (rtypes other than MBO and definitions)`);
  }
  if (records.length) lines.push(`first ${records.length} records:`, ...records.map((r) => '  ' + r));
  return lines.join('\n') + '\n';
}
