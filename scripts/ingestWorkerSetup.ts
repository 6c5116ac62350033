// vitest global setup: the ingest worker bundle is built (or found up to date) once before any
// test starts, so every test that ingests with threads 'auto' or 'worker' runs the worker.
import { ensureIngestWorker } from './buildIngestWorker';

export default async function setup(): Promise<void> {
  await ensureIngestWorker();
}
