// An EngineHost on an in-memory synthetic store (replay/testing/syntheticStore.ts), its events
// and payload parts recorded as the window would receive them; `send` takes a request as the
// window sends it, `until` waits for an event (from index `from`) or fails naming what came.
import { decodeEnvelope, encodeEnvelope } from '../../../contracts/envelope';
import type { EngineEvent, Request } from '../../../contracts/protocol';
import { openSyntheticStore } from '../../replay/testing/syntheticStore';
import { EngineHost, type EngineDeps } from '../engineHost';

export function hostHarness(deps: Partial<EngineDeps> = {}) {
  const events: EngineEvent[] = [];
  const parts: Uint8Array[][] = [];
  const host = new EngineHost({
    send: (b) => {
      const env = decodeEnvelope<EngineEvent>(b);
      events.push(env.message);
      parts.push(env.parts);
    },
    dbPath: ':memory:',
    initial: { kind: 'none' },
    log: () => undefined,
    deps: {
      ingest: async () => {
        throw new Error('no ingest in this test');
      },
      openStore: async () => {
        const s = await openSyntheticStore();
        return { conn: s.conn, close: () => s.close() };
      },
      ...deps,
    },
  });
  const send = (r: Request) => host.receive(encodeEnvelope(r));
  const until = async <K extends EngineEvent['kind']>(pred: (e: EngineEvent) => boolean, from = 0) => {
    for (let i = 0; i < 500 && !events.slice(from).some(pred); i++) await new Promise((r) => setTimeout(r, 10));
    const e = events.slice(from).find(pred);
    if (!e) throw new Error(`no such event; saw ${events.map((x) => x.kind).join(', ')}`);
    return e as Extract<EngineEvent, { kind: K }>;
  };
  return { host, events, parts, send, until };
}
