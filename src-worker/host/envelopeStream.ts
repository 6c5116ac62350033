// The engine child's envelopes to `serve` (browser mode) on a raw pipe: each envelope is a
// u32 LE byte length and the envelope's bytes, written as they are. The IPC channel (advanced
// serialization) copied every envelope through V8's serializer on the engine's thread (a
// 1.3–1.6 MB field-switch slab: 10–30 ms with the engine blocked) and took 15–120 ms to reach
// `serve` at load 3–5; on the pipe the same slab crosses in 3–8 ms (measured 2026-12-07).
// `serve` sends each envelope on whole: forwarding a large one as WebSocket fragments while it
// arrived was slower end to end (Chromium delivered a 24-fragment 1.5 MB message 66–100 ms
// after its last fragment, a whole one 42–62 ms after it was sent).

/** The environment variable that tells the engine child which fd carries its envelopes. */
export const ENVELOPE_FD_ENV = 'SPYMASTER_ENVELOPE_FD';

/** The 4-byte length prefix of an envelope on the stream. */
export function lengthPrefix(byteLength: number): Uint8Array {
  const h = new Uint8Array(4);
  new DataView(h.buffer).setUint32(0, byteLength, true);
  return h;
}

/**
 * Splits the byte stream back into envelopes, in order. An envelope that arrived in one read
 * is handed out as a view into it (no copy); one spanning reads is put together once.
 */
export class EnvelopeStreamReader {
  private header = new Uint8Array(4);
  private headerFilled = 0;
  /** Bytes still to come of the envelope in progress (0: a length prefix is next). */
  private remaining = 0;
  /** The envelope in progress, when it spans reads. */
  private whole: Uint8Array | null = null;
  private filled = 0;

  constructor(private readonly onEnvelope: (bytes: Uint8Array) => void) {}

  push(chunk: Uint8Array): void {
    let o = 0;
    while (o < chunk.length) {
      if (this.remaining === 0) {
        const n = Math.min(4 - this.headerFilled, chunk.length - o);
        this.header.set(chunk.subarray(o, o + n), this.headerFilled);
        this.headerFilled += n;
        o += n;
        if (this.headerFilled < 4) return;
        this.headerFilled = 0;
        this.remaining = new DataView(this.header.buffer).getUint32(0, true);
        this.whole = null;
        this.filled = 0;
        if (this.remaining === 0) this.onEnvelope(new Uint8Array(0));
        continue;
      }
      const n = Math.min(this.remaining, chunk.length - o);
      const part = chunk.subarray(o, o + n);
      o += n;
      this.remaining -= n;
      if (!this.whole && this.remaining === 0) {
        this.onEnvelope(part);
        continue;
      }
      this.whole ??= new Uint8Array(n + this.remaining);
      this.whole.set(part, this.filled);
      this.filled += n;
      if (this.remaining === 0) {
        const bytes = this.whole;
        this.whole = null;
        this.onEnvelope(bytes);
      }
    }
  }

  /** Bytes still owed by an envelope already started (the stream ended in the middle of it). */
  get owed(): number {
    return this.remaining;
  }

  /** A new stream (a restarted engine): nothing of the old one carries over. */
  reset(): void {
    this.headerFilled = 0;
    this.remaining = 0;
    this.whole = null;
    this.filled = 0;
  }
}
