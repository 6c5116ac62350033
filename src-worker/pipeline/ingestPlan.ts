// Stage 1 of an ingest, plan: everything known before touching the file's contents — the
// file's size and mtime, the parameters (typed errors), the product, the producer request and
// where the producer runs. No I/O beyond one stat.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { SESSION_DEFAULTS } from '../../contracts/instruments';
import { goldParamsJson, resolveParams, ParamsError, type ParamsFile } from '../../contracts/params';
import { DbnError } from '../dbn/errors';
import { futureMbo } from '../products/futureMbo';
import type { Product } from '../products/product';
import { cancelledError, IngestError } from './errors';
import type { IngestOptions } from './ingestApi';
import { resolveThreadMode } from './ingestChannel';
import type { ProducerRequest } from './ingestProducer';
import { MAX_CHUNKS_IN_FLIGHT } from './ingestThreads';
import { checkPace } from './buildPace';

export interface IngestPlan {
  opts: IngestOptions;
  product: Product;
  req: ProducerRequest;
  params: ParamsFile;
  /** SHA-256 prefix of the gold parameters (the ones baked into the tables). */
  paramsHash: string;
  sourceBytes: number;
  mtimeMs: number;
  /** Where the producer runs; 'worker' may still fall back to inline when `workerMode` is 'auto'. */
  threads: 'worker' | 'inline';
  workerMode: 'auto' | 'worker';
  maxInFlight: number;
}

export const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');

export function planIngest(opts: IngestOptions): IngestPlan {
  if (opts.signal?.aborted) throw cancelledError();
  let sourceBytes: number;
  let mtimeMs: number;
  try {
    const st = statSync(opts.file);
    sourceBytes = st.size;
    mtimeMs = st.mtimeMs;
  } catch {
    throw new DbnError('IO', -1, `cannot read ${opts.file}: no such file`, 'check the path');
  }
  let params: ParamsFile;
  try {
    params = resolveParams(opts.params ?? {});
  } catch (e) {
    if (e instanceof ParamsError) throw new IngestError('config.bad_params', e.userMessage, e.hint);
    throw e;
  }
  const gridHalfWidthTicks = positiveInt('grid half-width', opts.gridHalfWidthTicks ?? SESSION_DEFAULTS.gridHalfWidthTicks, 10_000);
  const restThresholdMs = positiveInt('rest threshold', opts.restThresholdMs ?? SESSION_DEFAULTS.restThresholdMs, 3_600_000);
  const pace = checkPace(opts.pace);
  const product = futureMbo;
  const req: ProducerRequest = {
    product: product.id,
    file: opts.file,
    sourceBytes,
    symbol: opts.symbol,
    date: opts.date,
    start: opts.start,
    end: opts.end,
    tz: opts.tz,
    tickInt: opts.tickInt,
    bronze: opts.bronze ?? true,
    gridHalfWidthTicks,
    restThresholdMs,
    params,
    ...(opts.liveFrames ? { liveFrames: opts.liveFrames } : {}),
    ...(pace ? { pace } : {}),
  };
  return {
    opts,
    product,
    req,
    params,
    // Only the gold fields are baked into the tables: only they key the dataset (forecast
    // fields are applied at read time and never rebuild).
    paramsHash: sha256Hex(goldParamsJson(params)).slice(0, 16),
    sourceBytes,
    mtimeMs,
    threads: resolveThreadMode(opts.threads ?? 'auto'),
    workerMode: opts.threads === 'worker' ? 'worker' : 'auto',
    maxInFlight: opts.maxChunksInFlight ?? MAX_CHUNKS_IN_FLIGHT,
  };
}

function positiveInt(what: string, v: number, max: number): number {
  if (!Number.isInteger(v) || v < 1 || v > max) throw new IngestError('config.bad_params', `${what} ${v} must be an integer between 1 and ${max}`);
  return v;
}
