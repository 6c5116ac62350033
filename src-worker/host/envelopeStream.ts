// The engine child's envelopes to `serve` (browser mode) on a raw pipe: each envelope is a
// u32 LE byte length and the envelope's bytes, written as they are. The IPC channel (advanced
// serialization) copied every envelope through V8's serializer in the engine (a 1.3–1.6 MB
// slab: 20–30 ms with the engine's thread blocked) and handed it to `serve` only once all of it
// had crossed (80–120 ms at load 3–5, measured 2026-12-07). On the pipe, `serve` forwards a
// large envelope piece by piece as it arrives (WebSocket fragments, envelopeForwarder.ts), so
// the two hops overlap instead of running one after the other.

/** Envelopes up to this size reach the reader's consumer whole; larger ones in pieces. */
export const STREAM_ABOVE_BYTES = 64 * 1024;

/** The environment variable that tells the engine child which fd carries its envelopes. */
export const ENVELOPE_FD_ENV = 'SPYMASTER_ENVELOPE_FD';

/** One piece of an envelope: the whole of it when `first` and `last`. */
export interface EnvelopePiece {
  bytes: Uint8Array;
  first: boolean;
  last: boolean;
  /** The whole envelope's byte length. */
  total: number;
}

/** The 4-byte length prefix of an envelope on the stream. */
export function lengthPrefix(byteLength: number): Uint8Array {
  const h = new Uint8Array(4);
  new DataView(h.buffer).setUint32(0, byteLength, true);
  return h;
}

/**
 * Splits the byte stream back into envelopes. Small envelopes (≤ streamAbove) come out whole,
 * copied together only when they span reads; larger ones come out as the pieces that arrived,
 * without a copy (views into the chunks pushed).
 */
export class EnvelopeStreamReader {
  private header = new Uint8Array(4);
  private headerFilled = 0;
  /** Bytes still to come of the envelope in progress (0: a length prefix is next). */
  private remaining = 0;
  private total = 0;
  private started = false;
  /** A small envelope being put together across reads. */
  private whole: Uint8Array | null = null;
  private filled = 0;

  constructor(
    private readonly onPiece: (p: EnvelopePiece) => void,
    private readonly streamAbove = STREAM_ABOVE_BYTES,
  ) {}

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
        this.total = this.remaining = new DataView(this.header.buffer).getUint32(0, true);
        this.started = false;
        this.filled = 0;
        this.whole = null;
        if (this.total === 0) this.onPiece({ bytes: new Uint8Array(0), first: true, last: true, total: 0 });
        continue;
      }
      const n = Math.min(this.remaining, chunk.length - o);
      const part = chunk.subarray(o, o + n);
      o += n;
      this.remaining -= n;
      const last = this.remaining === 0;
      if (this.total > this.streamAbove) {
        this.onPiece({ bytes: part, first: !this.started, last, total: this.total });
        this.started = true;
      } else if (!this.whole && last) {
        // The whole envelope in this read: no copy.
        this.onPiece({ bytes: part, first: true, last: true, total: this.total });
      } else {
        this.whole ??= new Uint8Array(this.total);
        this.whole.set(part, this.filled);
        this.filled += n;
        if (last) {
          const bytes = this.whole;
          this.whole = null;
          this.onPiece({ bytes, first: true, last: true, total: this.total });
        }
      }
    }
  }

  /** Bytes still owed by an envelope already started (the stream ended in the middle of it). */
  get owed(): number {
    return this.started ? this.remaining : 0;
  }

  /** A new stream (a restarted engine): nothing of the old one carries over. */
  reset(): void {
    this.headerFilled = 0;
    this.remaining = 0;
    this.total = 0;
    this.started = false;
    this.whole = null;
    this.filled = 0;
  }
}
