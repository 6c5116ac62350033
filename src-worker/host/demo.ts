// The embedded demo: with no file, the workstation opens a simulated ES session built
// deterministically on first use and cached as a DBN file (the ingest cache then makes later
// runs instant). Size: 25 simulated minutes around the 09:30 New York open at reduced
// intensity, the session window 09:25–09:45 — small enough to simulate and ingest in seconds
// on a 2-core machine, long enough to show the open's order flow.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { IngestProgress } from '../../contracts/protocol';
import type { DemoSource } from './engineHost';

export const DEMO = {
  version: 1,
  seed: 20240102,
  symbol: 'ESH4',
  date: '2024-01-02',
  tz: 'America/New_York',
  simStart: '09:20',
  simEnd: '09:45',
  sessionStart: '09:25',
  sessionEnd: '09:45',
  intensity: 0.15,
};

export function demoFilePath(cacheDir: string): string {
  return join(cacheDir, 'demo', `demo-es-v${DEMO.version}-seed${DEMO.seed}.dbn.zst`);
}

export const demoIngestOptions = { symbol: DEMO.symbol, date: DEMO.date, start: DEMO.sessionStart, end: DEMO.sessionEnd, tz: DEMO.tz };

export async function prepareDemo(cacheDir: string, onProgress: (p: IngestProgress) => void, signal: AbortSignal): Promise<DemoSource> {
  const file = demoFilePath(cacheDir);
  if (!existsSync(file)) {
    mkdirSync(join(cacheDir, 'demo'), { recursive: true });
    const tmp = `${file}.partial`;
    rmSync(tmp, { force: true });
    const started = Date.now();
    onProgress({ stage: 'simulating demo session', bytesRead: 0, bytesTotal: 0, events: 0, eventsPerSec: 0, etaSec: null, fraction: 0 });
    const spec = '../sim/index';
    const sim = (await import(/* @vite-ignore */ spec)) as { simulateToFile(o: Record<string, unknown>): Promise<unknown> };
    await sim.simulateToFile({ out: tmp, seed: DEMO.seed, date: DEMO.date, start: DEMO.simStart, end: DEMO.simEnd, tz: DEMO.tz, intensity: DEMO.intensity, signal });
    if (signal.aborted) {
      rmSync(tmp, { force: true });
      throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
    }
    renameSync(tmp, file);
    onProgress({ stage: 'simulating demo session', bytesRead: 0, bytesTotal: 0, events: 0, eventsPerSec: 0, etaSec: 0, fraction: 1 });
    process.stderr.write(`[engine] demo session simulated in ${((Date.now() - started) / 1000).toFixed(1)} s → ${file}\n`);
  }
  return { file, options: demoIngestOptions };
}
