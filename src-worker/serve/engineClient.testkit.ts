// TEST-ONLY: a WebSocket client of the browser-mode bridge that speaks envelopes and lets a
// test wait for events by kind.
import WebSocket from 'ws';
import { decodeEnvelope, encodeEnvelope } from '../../contracts/envelope';
import type { EngineEvent, Request } from '../../contracts/protocol';

export interface Received {
  message: EngineEvent;
  parts: Uint8Array[];
}

export class TestEngineClient {
  readonly received: Received[] = [];
  private cursor = 0;
  private waiters: (() => void)[] = [];
  private cancels = new Set<() => void>();
  closed = false;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const u8 = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      const env = decodeEnvelope<EngineEvent>(u8.slice());
      this.received.push(env);
      for (const w of this.waiters.splice(0)) w();
    });
    ws.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static connect(url: string): Promise<TestEngineClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => resolve(new TestEngineClient(ws)));
      ws.once('error', reject);
    });
  }

  send(req: Request): void {
    this.ws.send(encodeEnvelope(req));
  }

  /** The next event (after earlier `next` results) of `kind` matching `pred`; skips others. */
  next<K extends EngineEvent['kind']>(kind: K, pred: (m: Extract<EngineEvent, { kind: K }>) => boolean = () => true, timeoutMs = 90_000): Promise<Received & { message: Extract<EngineEvent, { kind: K }> }> {
    return new Promise((resolve, reject) => {
      let done = false;
      const finish = (fn: () => void) => {
        if (done) return;
        done = true;
        this.cancels.delete(cancel);
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        fn();
      };
      const check = () => {
        while (this.cursor < this.received.length) {
          const r = this.received[this.cursor++];
          if (r.message.kind === kind && pred(r.message as Extract<EngineEvent, { kind: K }>)) {
            finish(() => resolve(r as Received & { message: Extract<EngineEvent, { kind: K }> }));
            return;
          }
        }
        if (this.closed) finish(() => reject(new Error(`connection closed while waiting for ${kind}`)));
        else if (!this.waiters.includes(check)) this.waiters.push(check);
      };
      const cancel = () => finish(() => reject(new Error(`cancelled while waiting for ${kind}`)));
      this.cancels.add(cancel);
      const timer = setTimeout(
        () => finish(() => reject(new Error(`timed out waiting for ${kind}; last: ${this.received.slice(-5).map((r) => JSON.stringify(r.message).slice(0, 200)).join(' | ')}`))),
        timeoutMs,
      );
      check();
    });
  }

  /** Drops every pending wait (after a failed test, so it cannot swallow the next test's events). */
  cancelPending(): void {
    for (const c of [...this.cancels]) c();
  }

  close(): void {
    this.ws.close();
  }
}
