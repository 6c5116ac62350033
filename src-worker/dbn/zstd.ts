// Zstandard back ends, chosen at runtime (fastest first):
//   'thread' — zstd-napi in a worker thread: decompression overlaps decoding on another core
//   'napi' — zstd-napi native streaming on the calling thread (straight into the decoder's buffer)
//   'cli'  — a `zstd -dc` subprocess piping into us (decompression runs on another core)
//   'wasm' — zstddec (WebAssembly) streaming
//   'js'   — fzstd (pure JS), always available
// All are streaming and multi-frame; memory stays bounded by the chunk sizes.

import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { CorruptZstdError, DbnError } from './errors';

export type ZstdBackend = 'thread' | 'napi' | 'cli' | 'wasm' | 'js';

/** zstd-napi's low-level binding (only the parts we use). */
export interface NapiBinding {
  DCtx: new () => { decompressStream(dst: Uint8Array, src: Uint8Array): [number, number, number] };
  CCtx: new () => {
    setParameter(p: number, v: number): void;
    compressStream2(dst: Uint8Array, src: Uint8Array, end: number): [number, number, number];
  };
  CParameter: Record<string, number>;
  EndDirective: Record<string, number>;
  compressBound(n: number): number;
}

let napiCache: NapiBinding | null | undefined;

/** The native binding, or null when it cannot load on this machine. */
export function loadNapi(): NapiBinding | null {
  if (napiCache !== undefined) return napiCache;
  try {
    const req = createRequire(import.meta.url);
    napiCache = req('zstd-napi/binding') as NapiBinding;
    new napiCache.DCtx(); // make sure the .node actually works
  } catch {
    napiCache = null;
  }
  return napiCache;
}

export const ZSTD_CLI = ['/usr/bin/zstd', '/usr/local/bin/zstd', '/bin/zstd'].find((p) => existsSync(p)) ?? null;

/** Backends usable here, in order of preference for decoding. */
export function availableZstdBackends(): ZstdBackend[] {
  const out: ZstdBackend[] = [];
  if (loadNapi()) out.push('thread', 'napi');
  if (ZSTD_CLI) out.push('cli');
  out.push('wasm', 'js');
  return out;
}

/**
 * Default back end for decoding files, by measured speed (BENCHMARKS.md "DBN decode"): the
 * `zstd -dc` pipe overlaps decompression with decoding on a second core and was fastest;
 * then native streaming on this thread; then wasm; fzstd (pure JS) stays as the last resort.
 */
export function defaultZstdBackend(): ZstdBackend {
  if (ZSTD_CLI && cpus().length > 1) return 'cli';
  if (loadNapi()) return 'napi';
  return 'wasm';
}

/** True when the bytes start a zstd frame (or a skippable frame, which zstd skips). */
export function looksLikeZstd(b: Uint8Array): boolean {
  if (b.length < 4) return false;
  const u = (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  return u === 0xfd2fb528 || (u & 0xfffffff0) >>> 0 === 0x184d2a50;
}

/** Legacy DBZ: a skippable frame whose payload starts with "DBZ". */
export function looksLikeDbz(b: Uint8Array): boolean {
  return b.length >= 11 && b[0] === 0x50 && b[1] === 0x2a && b[2] === 0x4d && b[3] === 0x18 && b[8] === 0x44 && b[9] === 0x42 && b[10] === 0x5a;
}

export function zstdUnavailable(backend: ZstdBackend): DbnError {
  return new DbnError(
    'ZSTD_UNAVAILABLE',
    -1,
    `the zstd back end '${backend}' is not available on this machine`,
    backend === 'cli' ? 'install the zstd command (apt-get install zstd)' : 'use another back end or decompress the file with `zstd -d` first',
  );
}

export function corrupt(offset: number, e: unknown): CorruptZstdError {
  const msg = e instanceof Error ? e.message : String(e);
  return new CorruptZstdError(offset, msg.replace(/^Error:\s*/, ''), e);
}
