import { describe, expect, it } from 'vitest';
import { EnvelopeForwarder, type FragmentSocket } from './envelopeForwarder';

class FakeSocket implements FragmentSocket {
  readonly OPEN = 1;
  readyState = 1;
  /** Frames sent: bytes as text and the fin flag. */
  sent: [string, boolean][] = [];
  send(data: Uint8Array, o: { binary: true; fin: boolean }): void {
    this.sent.push([new TextDecoder().decode(data), o.fin]);
  }
  /** Whole messages as a WebSocket peer would assemble them. */
  messages(): string[] {
    const out: string[] = [];
    let cur = '';
    for (const [s, fin] of this.sent) {
      cur += s;
      if (fin) (out.push(cur), (cur = ''));
    }
    expect(cur).toBe('');
    return out;
  }
}

const b = (s: string) => new TextEncoder().encode(s);
const piece = (s: string, first: boolean, last: boolean) => ({ bytes: b(s), first, last, total: 0 });

describe('EnvelopeForwarder', () => {
  it('sends whole envelopes as one frame and large ones as fragments ending in fin', () => {
    const ws = new FakeSocket();
    const f = new EnvelopeForwarder(() => ws);
    f.piece(piece('small', true, true));
    f.piece(piece('big-1', true, false));
    f.piece(piece('big-2', false, false));
    f.piece(piece('big-3', false, true));
    expect(ws.sent).toEqual([
      ['small', true],
      ['big-1', false],
      ['big-2', false],
      ['big-3', true],
    ]);
    expect(ws.messages()).toEqual(['small', 'big-1big-2big-3']);
  });

  it("holds the bridge's own envelope (an alert) until the engine's envelope in progress ends", () => {
    const ws = new FakeSocket();
    const f = new EnvelopeForwarder(() => ws);
    f.piece(piece('slab-a', true, false));
    f.own(b('alert'));
    f.piece(piece('slab-b', false, true));
    f.own(b('alert2'));
    expect(ws.messages()).toEqual(['slab-aslab-b', 'alert', 'alert2']);
  });

  it('a window that connects in the middle of an envelope gets none of it, only what follows', () => {
    const old = new FakeSocket();
    const fresh = new FakeSocket();
    let client: FakeSocket = old;
    const f = new EnvelopeForwarder(() => client);
    f.piece(piece('frame-1', true, false));
    old.readyState = 3; // replaced by a newer window
    client = fresh;
    f.piece(piece('frame-2', false, true));
    f.piece(piece('next', true, true));
    expect(fresh.messages()).toEqual(['next']);
    expect(old.sent).toEqual([['frame-1', false]]);
  });

  it('an envelope cut short by an engine crash is completed with zeros, then the crash alert follows', () => {
    const ws = new FakeSocket();
    const f = new EnvelopeForwarder(() => ws);
    f.piece(piece('frame-', true, false));
    f.own(b('crashed'));
    f.truncated(3);
    expect(ws.sent).toEqual([
      ['frame-', false],
      ['\0\0\0', true],
      ['crashed', true],
    ]);
    // Between envelopes a truncation notice sends nothing.
    f.truncated(5);
    expect(ws.sent).toHaveLength(3);
  });

  it('nobody connected: nothing is sent and nothing is held', () => {
    const f = new EnvelopeForwarder(() => null);
    f.piece(piece('x', true, true));
    f.own(b('alert'));
    const ws = new FakeSocket();
    const g = new EnvelopeForwarder(() => ws);
    g.own(b('after'));
    expect(ws.messages()).toEqual(['after']);
  });
});
