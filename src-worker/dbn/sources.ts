// Byte sources that feed a DbnDecoder from a file: raw DBN read straight into the decoder's
// buffer, or zstd through one of the back ends in zstd.ts. Each fill() adds at least one
// byte to the decoder or calls decoder.finish() — never more than a few MiB at a time, so
// memory stays bounded whatever the file size.

import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { FileHandle } from 'node:fs/promises';
import { openSync, readSync, closeSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import { Decompress as FzstdDecompress } from 'fzstd';
import type { DbnDecoder } from './decoder';
import { CorruptZstdError, TruncatedZstdError } from './errors';
import { corrupt, loadNapi, zstdUnavailable, ZSTD_CLI, type ZstdBackend } from './zstd';

export interface ByteSource {
  /** Add ≥ 1 byte to `dec` or call dec.finish(). Throws typed errors. */
  fill(dec: DbnDecoder): Promise<void>;
  /** Compressed/raw file bytes consumed so far. */
  readonly bytesRead: number;
  close(): Promise<void>;
}

const RAW_CHUNK = 4 << 20;
const ZSTD_IN_CHUNK = 1 << 20;
const ZSTD_OUT_CHUNK = 4 << 20;
const JS_IN_CHUNK = 256 << 10;
const CLI_HANDOFF = 1 << 20;
const CLI_QUEUE_MAX = 8 << 20;

/** Raw DBN: positional reads directly into the decoder's buffer (no copy). */
export class RawFileSource implements ByteSource {
  bytesRead = 0;
  constructor(private readonly fh: FileHandle) {}
  async fill(dec: DbnDecoder): Promise<void> {
    const dst = dec.space(RAW_CHUNK);
    const { bytesRead } = await this.fh.read(dst, 0, Math.min(dst.length, RAW_CHUNK), this.bytesRead);
    if (bytesRead === 0) return dec.finish();
    this.bytesRead += bytesRead;
    dec.commit(bytesRead);
  }
  async close(): Promise<void> {
    await this.fh.close();
  }
}

/** zstd-napi streaming: decompresses straight into the decoder's buffer. */
export class NapiZstdSource implements ByteSource {
  bytesRead = 0;
  private readonly dctx;
  private readonly inBuf = new Uint8Array(ZSTD_IN_CHUNK);
  private pending = new Uint8Array(0);
  private fileDone = false;
  /** zstd's return value: 0 once a frame is complete and fully flushed. */
  private lastRet = 0;
  private outputFull = false;
  constructor(private readonly fh: FileHandle) {
    const napi = loadNapi();
    if (!napi) throw zstdUnavailable('napi');
    this.dctx = new napi.DCtx();
  }
  async fill(dec: DbnDecoder): Promise<void> {
    for (;;) {
      if (this.pending.length === 0 && !this.outputFull) {
        if (this.fileDone) {
          if (this.lastRet !== 0) throw new TruncatedZstdError(this.bytesRead);
          return dec.finish();
        }
        const { bytesRead } = await this.fh.read(this.inBuf, 0, this.inBuf.length, this.bytesRead);
        if (bytesRead === 0) {
          this.fileDone = true;
          continue;
        }
        this.pending = this.inBuf.subarray(0, bytesRead);
        this.bytesRead += bytesRead;
      }
      const dst = dec.space(ZSTD_OUT_CHUNK);
      let r: [number, number, number];
      try {
        r = this.dctx.decompressStream(dst, this.pending);
      } catch (e) {
        throw corrupt(this.bytesRead - this.pending.length, e);
      }
      const [ret, produced, consumed] = r;
      this.pending = this.pending.subarray(consumed);
      this.lastRet = ret;
      this.outputFull = produced === dst.length;
      if (produced > 0) {
        dec.commit(produced);
        return;
      }
    }
  }
  async close(): Promise<void> {
    await this.fh.close();
  }
}

/** fzstd (pure JS) streaming. */
export class JsZstdSource implements ByteSource {
  bytesRead = 0;
  private readonly inBuf = new Uint8Array(JS_IN_CHUNK);
  private target: DbnDecoder | null = null;
  private ended = false;
  private produced = 0;
  private readonly z = new FzstdDecompress((chunk) => {
    this.produced += chunk.length;
    this.target!.push(chunk);
  });
  constructor(private readonly fh: FileHandle) {}
  async fill(dec: DbnDecoder): Promise<void> {
    this.target = dec;
    this.produced = 0;
    if (this.ended) return dec.finish();
    while (this.produced === 0) {
      const { bytesRead } = await this.fh.read(this.inBuf, 0, this.inBuf.length, this.bytesRead);
      const at = this.bytesRead;
      this.bytesRead += bytesRead;
      try {
        // fzstd keeps references to input chunks across calls, so hand it a copy.
        this.z.push(this.inBuf.slice(0, bytesRead), bytesRead === 0);
      } catch (e) {
        if (/unexpected EOF/i.test(String((e as Error)?.message))) throw new TruncatedZstdError(this.bytesRead);
        throw corrupt(at, e);
      }
      if (bytesRead === 0) {
        this.ended = true;
        if (this.produced === 0) dec.finish();
        return;
      }
    }
  }
  async close(): Promise<void> {
    await this.fh.close();
  }
}

/** zstddec (WebAssembly) streaming; its generator pulls input synchronously. */
export class WasmZstdSource implements ByteSource {
  bytesRead = 0;
  private fd: number;
  private gen: Generator<Uint8Array> | null = null;
  constructor(path: string) {
    this.fd = openSync(path, 'r');
  }
  private async start(): Promise<Generator<Uint8Array>> {
    const { ZSTDDecoder } = await import('zstddec/stream');
    const z = new ZSTDDecoder();
    await z.init();
    const self = this;
    const buf = new Uint8Array(ZSTD_IN_CHUNK);
    function* input(): Generator<Uint8Array> {
      for (;;) {
        const n = readSync(self.fd, buf, 0, buf.length, self.bytesRead);
        if (n === 0) return;
        self.bytesRead += n;
        yield buf.slice(0, n);
      }
    }
    return z.decodeStreaming(input());
  }
  async fill(dec: DbnDecoder): Promise<void> {
    this.gen ??= await this.start();
    // zstddec does not check zstd's error codes: on corrupt input it yields empty output
    // forever without consuming input. A long run of empty outputs therefore means corruption.
    for (let empty = 0; ; empty++) {
      let r: IteratorResult<Uint8Array>;
      try {
        r = this.gen.next();
      } catch (e) {
        if (/incomplete stream/i.test(String((e as Error)?.message))) throw new TruncatedZstdError(this.bytesRead);
        throw corrupt(this.bytesRead, e);
      }
      if (r.done) return dec.finish();
      if (r.value.length > 0) return dec.push(r.value);
      if (empty > 10000) throw new CorruptZstdError(this.bytesRead, 'the decompressor makes no progress (damaged data)');
    }
  }
  async close(): Promise<void> {
    closeSync(this.fd);
  }
}

/**
 * `zstd -dc FILE` in a subprocess: decompression runs on another core, overlapping decoding.
 * Pipe chunks (64 KiB) are queued and handed to the decoder ~1 MiB at a time (one async hop
 * per MiB, not per chunk); the pipe is paused while 8 MiB are queued (bounded memory).
 */
export class CliZstdSource implements ByteSource {
  private decompressed = 0;
  /** Our descriptor of the input; zstd reads it as stdin and shares its file position. */
  private readonly fd: number;
  private readonly child: ChildProcessByStdio<null, Readable, Readable>;
  private stderr = '';
  private readonly queue: Buffer[] = [];
  private queued = 0;
  private ended = false;
  private exitCode: number | null | undefined = undefined;
  private wake: (() => void) | null = null;
  constructor(path: string) {
    if (!ZSTD_CLI) throw zstdUnavailable('cli');
    this.fd = openSync(path, 'r');
    this.child = spawn(ZSTD_CLI, ['-dc', '-q'], { stdio: [this.fd, 'pipe', 'pipe'] }) as unknown as ChildProcessByStdio<null, Readable, Readable>;
    this.child.stderr.on('data', (d: Buffer) => {
      if (this.stderr.length < 4096) this.stderr += d.toString();
    });
    this.child.stdout.on('data', (d: Buffer) => {
      this.queue.push(d);
      this.queued += d.length;
      if (this.queued >= CLI_QUEUE_MAX) this.child.stdout.pause();
      if (this.queued >= CLI_HANDOFF) this.notify();
    });
    this.child.stdout.on('end', () => {
      this.ended = true;
      this.notify();
    });
    this.child.on('close', (code) => {
      this.exitCode = code;
      this.notify();
    });
    this.child.once('exit', () => closeFdQuietly(this.fd));
  }
  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }
  /**
   * Compressed bytes zstd has read (for progress): the shared file position of its stdin,
   * from /proc on Linux; elsewhere the decompressed count (progress then runs ahead).
   */
  get bytesRead(): number {
    try {
      const m = /^pos:\s*(\d+)/m.exec(readFileSync(`/proc/self/fdinfo/${this.fd}`, 'latin1'));
      if (m) return Number(m[1]);
    } catch {
      // not Linux
    }
    return this.decompressed;
  }
  async fill(dec: DbnDecoder): Promise<void> {
    while (this.queued < CLI_HANDOFF && !this.ended) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    if (this.queued > 0) {
      for (const b of this.queue) dec.push(b);
      this.decompressed += this.queued;
      this.queue.length = 0;
      this.queued = 0;
      if (this.child.stdout.isPaused()) this.child.stdout.resume();
      return;
    }
    while (this.exitCode === undefined) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.exitCode !== 0) {
      // zstd prints "<file> : Decoding error (36) : <reason>"; keep the reason.
      const msg = this.stderr.trim().split(' : ').pop() || `zstd exited with code ${this.exitCode}`;
      if (/truncat|unexpected end|premature/i.test(msg)) throw new TruncatedZstdError(-1);
      throw new CorruptZstdError(-1, msg);
    }
    dec.finish();
  }
  async close(): Promise<void> {
    if (this.exitCode !== undefined) return;
    // Early close (consumer stopped): a paused stdout would keep 'close' from ever firing, so
    // drop the pipes first, then stop the process and wait for it to exit.
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
    this.queue.length = 0;
    this.queued = 0;
    this.child.stdout.destroy();
    this.child.stderr.destroy();
    this.child.kill();
    await exited;
  }
}

/**
 * zstd-napi in a worker thread: the file is read and decompressed on another core and the
 * output arrives as transferred 1 MiB ArrayBuffers (no copy), at most 8 in flight (bounded
 * memory, backpressure by credits); each buffer goes back with its credit and is reused. The worker is plain JS (eval) so it runs the same under
 * tsx, vitest and bundles.
 */
const THREAD_CHUNK = 1 << 20;
const THREAD_CREDITS = 8;
const THREAD_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { DCtx } = require(workerData.binding);
const fd = fs.openSync(workerData.path, 'r');
const dctx = new DCtx();
const inBuf = Buffer.allocUnsafe(${1 << 20});
let credits = ${THREAD_CREDITS}, inPos = 0, pending = inBuf.subarray(0, 0), fileDone = false, lastRet = 0, full = false, stopped = false;
const free = [];
let out = new Uint8Array(${THREAD_CHUNK}), outLen = 0;
function send() { if (outLen > 0) { const b = out.buffer; parentPort.postMessage({ chunk: b, len: outLen, at: inPos - pending.length }, [b]); credits--; out = free.length ? new Uint8Array(free.pop()) : new Uint8Array(${THREAD_CHUNK}); outLen = 0; } }
function pump() {
  try {
    while (credits > 0 && !stopped) {
      if (pending.length === 0 && !full) {
        if (fileDone) { send(); parentPort.postMessage({ done: true, truncated: lastRet !== 0, at: inPos }); stopped = true; return; }
        const n = fs.readSync(fd, inBuf, 0, inBuf.length, inPos);
        if (n === 0) { fileDone = true; continue; }
        inPos += n; pending = inBuf.subarray(0, n);
      }
      const r = dctx.decompressStream(out.subarray(outLen), pending);
      lastRet = r[0]; outLen += r[1]; pending = pending.subarray(r[2]);
      full = outLen === out.length;
      if (full) send();
    }
  } catch (e) { stopped = true; parentPort.postMessage({ error: String(e && e.message || e), at: inPos - pending.length }); }
}
parentPort.on('message', (m) => { if (m && m.credit) { credits++; free.push(m.credit); pump(); } else if (m === 'stop') { stopped = true; fs.closeSync(fd); parentPort.close(); } });
pump();
`;

export class ThreadZstdSource implements ByteSource {
  bytesRead = 0;
  private readonly worker: import('node:worker_threads').Worker;
  private readonly queue: { chunk: ArrayBuffer; len: number; at: number }[] = [];
  private done: { truncated: boolean; at: number } | null = null;
  private error: { error: string; at: number } | null = null;
  private wake: (() => void) | null = null;
  constructor(path: string, Worker: typeof import('node:worker_threads').Worker) {
    if (!loadNapi()) throw zstdUnavailable('thread');
    const binding = createRequire(import.meta.url).resolve('zstd-napi/binding');
    this.worker = new Worker(THREAD_CODE, { eval: true, workerData: { path, binding } });
    this.worker.on('message', (m: { chunk?: ArrayBuffer; len: number; done?: boolean; truncated: boolean; at: number; error?: string }) => {
      if (m.chunk) this.queue.push({ chunk: m.chunk, len: m.len, at: m.at });
      else if (m.done) this.done = { truncated: m.truncated, at: m.at };
      else if (m.error !== undefined) this.error = { error: m.error, at: m.at };
      this.notify();
    });
    this.worker.on('error', (e) => {
      this.error = { error: String(e?.message ?? e), at: -1 };
      this.notify();
    });
  }
  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }
  async fill(dec: DbnDecoder): Promise<void> {
    while (this.queue.length === 0 && !this.done && !this.error) await new Promise<void>((r) => (this.wake = r));
    const c = this.queue.shift();
    if (c) {
      dec.push(new Uint8Array(c.chunk, 0, c.len));
      this.bytesRead = c.at; // compressed bytes consumed when this chunk was produced (progress)
      // Hand the buffer back (transferred, no copy) so the worker reuses it.
      this.worker.postMessage({ credit: c.chunk }, [c.chunk]);
      return;
    }
    if (this.error) throw corrupt(this.error.at, this.error.error);
    if (this.done!.truncated) throw new TruncatedZstdError(this.done!.at);
    dec.finish();
  }
  async close(): Promise<void> {
    this.worker.postMessage('stop');
    await this.worker.terminate().catch(() => undefined);
  }
}

export async function openZstdSource(backend: ZstdBackend, path: string, fh: FileHandle): Promise<ByteSource> {
  switch (backend) {
    case 'napi':
      return new NapiZstdSource(fh);
    case 'js':
      return new JsZstdSource(fh);
    case 'wasm':
      await fh.close();
      return new WasmZstdSource(path);
    case 'cli':
      await fh.close();
      return new CliZstdSource(path);
    case 'thread': {
      await fh.close();
      const { Worker } = await import('node:worker_threads');
      return new ThreadZstdSource(path, Worker);
    }
  }
}

function closeFdQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}
