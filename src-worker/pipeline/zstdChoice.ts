import { defaultZstdBackend, loadNapi, type ZstdBackend } from '../dbn/zstd';

/**
 * The ingest and the book replay may stop reading early (cache hit, session over, cancel). The decoder's default zstd
 * back end on multi-core machines ('cli', a `zstd -dc` child process) can hang on close when
 * its output is paused (seen 2026-11-21), so prefer the worker-thread back end, which closes
 * cleanly and also decompresses on another core.
 */
export function earlyCloseSafeZstd(): ZstdBackend | undefined {
  if (defaultZstdBackend() !== 'cli') return undefined;
  return loadNapi() ? 'thread' : 'wasm';
}
