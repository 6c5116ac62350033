import type { EngineEvent, Request } from '../../contracts/protocol';

// Requests that expect a reply by id (slabs, overlays, forecasts): who asked, so the reply
// goes back to that loader, and when each thing was last asked for, so a request the engine
// never answered (it sent an alert instead) may be asked again after a while.

/** A request not answered within this long is asked for again when still needed. */
export const RETRY_AFTER_MS = 15_000;

export type ReplyEvent = Extract<EngineEvent, { requestId: number }>;
export type ReplyHandler = (m: ReplyEvent, parts: Uint8Array[]) => void;

export class RequestBook {
  private nextId = 1;
  private replies = new Map<number, ReplyHandler>();
  private askedAt = new Map<string, number>();

  constructor(private readonly send: (req: Request) => void) {}

  /** Sends `build(id)` with a fresh id; its reply is handed to `onReply` once. */
  request(build: (requestId: number) => Request, onReply: ReplyHandler): number {
    const id = this.nextId++;
    this.replies.set(id, onReply);
    this.send(build(id));
    return id;
  }

  /** Routes a reply to whoever asked; false when nobody waits for it (a previous session's). */
  reply(m: ReplyEvent, parts: Uint8Array[]): boolean {
    const h = this.replies.get(m.requestId);
    if (!h) return false;
    this.replies.delete(m.requestId);
    h(m, parts);
    return true;
  }

  markAsked(key: string): void {
    this.askedAt.set(key, performance.now());
  }

  /** Never asked, or asked so long ago that the answer is not coming. */
  stale(key: string): boolean {
    const t = this.askedAt.get(key);
    return t === undefined || performance.now() - t > RETRY_AFTER_MS;
  }

  /** A new session: replies to the old one's requests are dropped. */
  clear(): void {
    this.replies.clear();
    this.askedAt.clear();
  }
}
