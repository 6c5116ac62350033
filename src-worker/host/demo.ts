// The embedded demo: with no file, the workstation opens a simulated ES session built
// deterministically on first use and cached as a DBN file (the ingest cache then makes later
// runs instant). Size: 25 simulated minutes around the 09:30 New York open at reduced
// intensity, the session window 09:25–09:45 — small enough to simulate and ingest in seconds
// on a 2-core machine, long enough to show the open's order flow. Settings: resources/demo.json.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { IngestProgress } from '../../contracts/protocol';
import demoConfig from '../../resources/demo.json';
import { simulateToFile } from '../sim/index';
import type { DemoSource } from './engineHost';

export const DEMO: Omit<typeof demoConfig, 'about'> = demoConfig;

export function demoFilePath(cacheDir: string): string {
  return join(cacheDir, 'demo', `demo-es-v${DEMO.version}-seed${DEMO.seed}.dbn.zst`);
}

export const demoIngestOptions = { symbol: DEMO.symbol, date: DEMO.date, start: DEMO.sessionStart, end: DEMO.sessionEnd, tz: DEMO.tz };

export async function prepareDemo(cacheDir: string, onProgress: (p: IngestProgress) => void, signal: AbortSignal): Promise<DemoSource> {
  const file = demoFilePath(cacheDir);
  if (!existsSync(file)) {
    mkdirSync(join(cacheDir, 'demo'), { recursive: true });
    const tmp = file.replace(/\.dbn\.zst$/, `.partial-${process.pid}.dbn.zst`);
    rmSync(tmp, { force: true });
    const started = Date.now();
    onProgress({ stage: 'simulating demo session', bytesRead: 0, bytesTotal: 0, events: 0, eventsPerSec: 0, etaSec: null, fraction: 0 });
    await simulateToFile({
      out: tmp,
      symbol: DEMO.symbol,
      seed: DEMO.seed,
      date: DEMO.date,
      start: DEMO.simStart,
      end: DEMO.simEnd,
      tz: DEMO.tz,
      intensity: DEMO.intensity,
      signal,
      onProgress: (p) => {
        const elapsed = (Date.now() - started) / 1000;
        onProgress({
          stage: 'simulating demo session',
          bytesRead: 0,
          bytesTotal: 0,
          events: p.futuresRecords,
          eventsPerSec: elapsed > 0 ? p.futuresRecords / elapsed : 0,
          etaSec: p.fraction > 0.02 ? (elapsed / p.fraction) * (1 - p.fraction) : null,
          fraction: p.fraction,
        });
      },
    });
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
