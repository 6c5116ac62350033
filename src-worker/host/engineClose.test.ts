// Closing the engine while DuckDB reads are in flight (a whole-session slab, a field grid being
// warmed, the forecasts' feature rows) ends cleanly. It used to crash the process natively
// (SIGSEGV, exit 139) within 1–4 tries of this loop: the connections closed under the queries.
// A crash kills the test worker, so this fails loudly if it comes back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope } from '../../contracts/envelope';
import { PROTOCOL_VERSION, type EngineEvent, type Request } from '../../contracts/protocol';
import { engineDeps } from './createEngine';
import { EngineHost } from './engineHost';

const ESH4 = resolve('../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst');
const dir = mkdtempSync(join(tmpdir(), 'spymaster-close-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('EngineHost.close with reads in flight', () => {
  it('closes the database only after the queries in flight end, every time', async () => {
    for (let attempt = 0; attempt < 8; attempt++) {
      const events: EngineEvent[] = [];
      const host = new EngineHost({
        send: (b) => events.push(decodeEnvelope<EngineEvent>(b).message),
        dbPath: join(dir, 'spymaster.duckdb'),
        initial: { kind: 'none' },
        log: () => undefined,
        deps: engineDeps(join(dir, 'cache')),
      });
      const send = (r: Request) => host.receive(encodeEnvelope(r));
      send({ kind: 'hello', protocol: PROTOCOL_VERSION, client: 'browser' });
      send({ kind: 'open_file', path: ESH4 });
      const ready = () => events.find((e) => e.kind === 'session_ready' && !e.session.growing) as Extract<EngineEvent, { kind: 'session_ready' }> | undefined;
      for (let i = 0; i < 6000 && !ready(); i++) await new Promise((r) => setTimeout(r, 10));
      const first = BigInt(ready()!.session.firstWindowEndNs);
      send({ kind: 'fetch_slab', requestId: 1, fromWindowEndNs: first.toString(), toWindowEndNs: (first + 3599n * 1_000_000_000n).toString(), fields: ['rho', 'nu', 'kappa'] });
      send({ kind: 'select_field', field: 'nu' });
      await new Promise((r) => setTimeout(r, (attempt * 7) % 40));
      await host.close();
      expect(events.some((e) => e.kind === 'alert' && e.alert.severity === 'error' && e.alert.code !== 'replay.read_failed')).toBe(false);
    }
  }, 120_000);
});
