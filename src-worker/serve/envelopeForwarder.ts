// The engine's envelopes to the window's WebSocket, forwarded as they arrive from the engine's
// pipe: a large envelope (a slab, a frame) goes out as WebSocket fragments, one per piece, so
// the window starts receiving it while the rest is still crossing from the engine (the two
// hops overlap: a 1.3 MB field-switch slab no longer waits for its last byte in `serve`).
// One message at a time on the socket: the bridge's own messages (alerts) wait for the
// envelope in progress to end, and a window that connects in the middle of one gets the next.
import type { EnvelopePiece } from '../host/envelopeStream';

/** The part of a `ws` WebSocket the forwarder uses. */
export interface FragmentSocket {
  readonly readyState: number;
  readonly OPEN: number;
  send(data: Uint8Array, options: { binary: true; fin: boolean }): void;
}

export class EnvelopeForwarder {
  /** The socket receiving the envelope in progress (null: between envelopes, or nobody). */
  private target: FragmentSocket | null = null;
  private midEnvelope = false;
  /** The bridge's own envelopes, held while an engine envelope is in progress. */
  private held: Uint8Array[] = [];

  constructor(private readonly client: () => FragmentSocket | null) {}

  /** A piece of the engine's stream (in order). */
  piece(p: EnvelopePiece): void {
    if (p.first) this.target = open(this.client());
    // The window that received the start of this envelope is the only one that may get the rest.
    if (this.target && open(this.target)) this.target.send(p.bytes, { binary: true, fin: p.last });
    this.midEnvelope = !p.last;
    if (p.last) this.endEnvelope();
  }

  /** The engine died `owed` bytes into an envelope: complete it with zeros (the window's
   *  decoder refuses it as a payload error) so the socket carries whole messages again. */
  truncated(owed: number): void {
    if (!this.midEnvelope) return;
    if (this.target && open(this.target)) this.target.send(new Uint8Array(owed), { binary: true, fin: true });
    this.midEnvelope = false;
    this.endEnvelope();
  }

  /** An envelope of the bridge's own (an alert): now, or after the engine's envelope in progress. */
  own(bytes: Uint8Array): void {
    if (this.midEnvelope) {
      this.held.push(bytes);
      return;
    }
    const c = open(this.client());
    c?.send(bytes, { binary: true, fin: true });
  }

  private endEnvelope(): void {
    this.target = null;
    for (const b of this.held.splice(0)) this.own(b);
  }
}

function open(s: FragmentSocket | null): FragmentSocket | null {
  return s && s.readyState === s.OPEN ? s : null;
}
