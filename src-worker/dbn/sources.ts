// Byte sources that feed a DbnDecoder from a file: raw DBN read straight into the decoder's
// buffer, or zstd through one of the back ends in zstd.ts. Each fill() adds at least one
// byte to the decoder or calls decoder.finish() — never more than a few MiB at a time, so
// memory stays bounded whatever the file size.

import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { FileHandle } from 'node:fs/promises';
import { openSync, readSync, closeSync } from 'node:fs';
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

/** `zstd -dc FILE` in a subprocess: decompression overlaps decoding on another core. */
export class CliZstdSource implements ByteSource {
  bytesRead = 0;
  private readonly child: ChildProcessByStdio<null, Readable, Readable>;
  private readonly it: AsyncIterator<Buffer>;
  private stderr = '';
  private readonly exited: Promise<number | null>;
  constructor(path: string) {
    if (!ZSTD_CLI) throw zstdUnavailable('cli');
    this.child = spawn(ZSTD_CLI, ['-dc', '-q', '--', path], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout.setMaxListeners(0);
    this.child.stderr.on('data', (d: Buffer) => {
      if (this.stderr.length < 4096) this.stderr += d.toString();
    });
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
    this.it = this.child.stdout[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }
  async fill(dec: DbnDecoder): Promise<void> {
    const r = await this.it.next();
    if (!r.done) {
      this.bytesRead += r.value.length; // decompressed bytes: the compressed position is unknown here
      dec.push(r.value);
      return;
    }
    const code = await this.exited;
    if (code !== 0) {
      // zstd prints "<file> : Decoding error (36) : <reason>"; keep the reason.
      const msg = this.stderr.trim().split(' : ').pop() || `zstd exited with code ${code}`;
      if (/truncat|unexpected end|premature/i.test(msg)) throw new TruncatedZstdError(-1);
      throw new CorruptZstdError(-1, msg);
    }
    dec.finish();
  }
  async close(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill();
    await this.exited.catch(() => undefined);
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
  }
}
