// The `forecast --json` tables for docs/FORECAST.md (issue 11), `npx tsx bench/forecastTable.ts`:
// ingests the real ESH4 hour (18:00–19:00 New York) and the demo span (src-worker/host/demo.ts
// settings; simulated into bench/out/ when missing — delete it after a simulator change) into a
// temporary DuckDB, evaluates every family with the default parameters against spot moves (as
// `forecast --json`) and mid moves (`--target mid`), writes bench/results/forecast-table.json
// and replaces the tables between the markers in docs/FORECAST.md. Rerun after merging
// simulator or model changes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FORECAST_EVAL_HORIZONS_S, FORECAST_FAMILIES } from '../contracts/forecast';
import { DEFAULT_PARAMS } from '../contracts/params';
import { datasetFeatureRows, forecastReport, resolveDataset, type EvalTarget } from '../src-worker/forecast/datasetForecasts';
import type { Evaluation } from '../src-worker/forecast/evaluate';
import { ingestFile } from '../src-worker/pipeline/ingest';
import { closeDatabase, openDatabase } from '../src-worker/store/database';
import { demoInput, REAL_INPUT, type ForecastInput } from './forecastInputs';

const DOC = 'docs/FORECAST.md';
const BEGIN = '<!-- forecast-table:begin (bench/forecastTable.ts) -->';
const END = '<!-- forecast-table:end -->';

const f3 = (x: number | null) => (x === null ? '—' : x.toFixed(3));

function table(e: Evaluation): string {
  const hs = FORECAST_EVAL_HORIZONS_S;
  const head = `| family | ${hs.map((h) => `hit ${h}s`).join(' | ')} | ${hs.map((h) => `MAE ${h}s`).join(' | ')} | coverage 1s | Brier 1s |`;
  const sep = `|---|${hs.map(() => '---:').join('|')}|${hs.map(() => '---:').join('|')}|---:|---:|`;
  const lines = FORECAST_FAMILIES.map((fam) => {
    const r = e[fam]!;
    return `| ${fam} | ${hs.map((h) => f3(r[h].hit_rate)).join(' | ')} | ${hs.map((h) => f3(r[h].mae_ticks)).join(' | ')} | ${f3(r['1'].coverage)} | ${f3(r['1'].brier)} |`;
  });
  const n = hs.map((h) => e.no_change![h].n).join(' / ');
  return [head, sep, ...lines, '', `n (windows with an outcome) at ${hs.join(' / ')} s: ${n}; MAE of no-change = the no_change row.`].join('\n');
}

async function evaluate(inp: ForecastInput, dir: string): Promise<Record<EvalTarget, Evaluation> & { validWindows: number; windows: number }> {
  const dbPath = join(dir, `${inp.name}.duckdb`);
  const s = await ingestFile({ file: inp.file, dbPath, ...inp.ingest, bronze: false });
  const db = await openDatabase(dbPath, { readOnly: true });
  try {
    const d = await resolveDataset(db, s.datasetId);
    const rows = await datasetFeatureRows(db, d);
    return {
      spot: forecastReport(d.datasetId, DEFAULT_PARAMS, rows, FORECAST_FAMILIES, 'spot').families,
      mid: forecastReport(d.datasetId, DEFAULT_PARAMS, rows, FORECAST_FAMILIES, 'mid').families,
      windows: rows.length,
      validWindows: rows.filter((r) => r.valid).length,
    };
  } finally {
    await closeDatabase(db);
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'forecast-table-'));
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  try {
    const real = await evaluate(REAL_INPUT, dir);
    const demo = await evaluate(await demoInput(), dir);
    writeFileSync('bench/results/forecast-table.json', JSON.stringify({ generated: when, params: DEFAULT_PARAMS, real, demo }, null, 2) + '\n');
    const md = [
      BEGIN,
      `Generated ${when} by \`npx tsx bench/forecastTable.ts\`, default parameters (uncalibrated). hit = directional hit rate over the non-zero realised moves the family gave a direction for; MAE in ticks.`,
      '',
      `**Real ESH4 2023-12-25, 18:00–19:00 New York** (${real.validWindows} valid of ${real.windows} windows) — spot moves (\`forecast --json\`):`,
      '',
      table(real.spot),
      '',
      'The same windows scored against mid moves (`forecast --json --target mid`):',
      '',
      table(real.mid),
      '',
      `**Demo span** (simulated ES, src-worker/host/demo.ts settings; ${demo.validWindows} valid of ${demo.windows} windows) — spot moves:`,
      '',
      table(demo.spot),
      '',
      'Mid moves:',
      '',
      table(demo.mid),
      END,
    ].join('\n');
    const doc = readFileSync(DOC, 'utf8');
    const a = doc.indexOf(BEGIN);
    const b = doc.indexOf(END);
    if (a < 0 || b < a) throw new Error(`${DOC}: markers not found`);
    writeFileSync(DOC, doc.slice(0, a) + md + doc.slice(b + END.length));
    console.log(md);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
