// ingestFile: DBN file → Bronze → Silver → Gold → one DuckDB file, as one transaction, in four
// stages, each in its own file, driven here as an explicit state machine:
//
//   plan   (ingestPlan.ts)   stat, parameters, product, producer request, threads  — no I/O
//   spawn  (ingestSpawn.ts)  start the producer (the ingest worker first), read the header on
//                            this thread, resolve the configuration once, hand it over: the
//                            producer builds from now on
//   lookup (ingestLookup.ts) open the database; a ready dataset with the same lookup key is
//                            confirmed by one hash of the file → done (cache hit)
//   commit (ingestCommit.ts) BEGIN, append the chunks as they come through the chunk channel
//                            (ingestChannel.ts: inline or worker), the same bytes built already
//                            → rollback → done; else insert the catalog row, COMMIT → done
//
// Timing and CPU accounting: ingestClock.ts. Cancel (AbortSignal) or any error on either
// thread rolls everything back: nothing half-built is ever visible and the file stays usable.
import { closeDatabase } from '../store/database';
import type { IngestOptions, IngestSummary } from './ingestApi';
import { IngestClock } from './ingestClock';
import { commitBuild } from './ingestCommit';
import { lookupCache, type Held } from './ingestLookup';
import { planIngest, type IngestPlan } from './ingestPlan';
import { translate } from './ingestProducer';
import { spawnProducer } from './ingestSpawn';
import type { BuildConfig } from '../products/product';

export { sha256File } from './ingestLookup';

/** Where an ingest is; each stage's function takes its state and gives the next. */
export type IngestState =
  | { stage: 'plan' }
  | { stage: 'spawn'; plan: IngestPlan }
  | { stage: 'lookup'; plan: IngestPlan; build: BuildConfig }
  | { stage: 'commit'; plan: IngestPlan; build: BuildConfig }
  | { stage: 'done'; summary: IngestSummary };

export async function ingestFile(opts: IngestOptions): Promise<IngestSummary> {
  const clock = new IngestClock();
  // What the stages opened, closed here whatever happens: the producer (stopped wherever it is)
  // and the database when this ingest opened it.
  const held: Held = { db: null, channel: null };
  let s: IngestState = { stage: 'plan' };
  try {
    for (;;) {
      switch (s.stage) {
        case 'plan':
          s = { stage: 'spawn', plan: planIngest(opts) };
          clock.planDone();
          break;
        case 'spawn': {
          const { build, channel } = await spawnProducer(s.plan);
          held.channel = channel;
          clock.spawnDone();
          s = { stage: 'lookup', plan: s.plan, build };
          break;
        }
        case 'lookup': {
          // (a cache candidate may stop the producer and start another: held.channel)
          const r = await lookupCache(s.plan, s.build, held, clock);
          clock.lookupDone();
          s = r.kind === 'hit' ? { stage: 'done', summary: r.summary } : { stage: 'commit', plan: s.plan, build: s.build };
          break;
        }
        case 'commit':
          s = { stage: 'done', summary: await commitBuild(s.plan, s.build, held.channel!, held.db!, clock) };
          break;
        case 'done':
          return s.summary;
      }
    }
  } catch (e) {
    throw translate(e, opts.signal);
  } finally {
    await held.channel?.close().catch(() => undefined);
    if (!opts.db && held.db) await closeDatabase(held.db).catch(() => undefined);
  }
}
