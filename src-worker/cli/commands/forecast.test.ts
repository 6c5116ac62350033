// The `forecast` command on a real ingest (ESH4 2023-12-25, 18:00–18:10 New York): the CSV
// stream (header, one row per valid window × family × horizon, prices from ticks), the JSON
// evaluation (shape, and queue_imbalance's hit rate equal to an independent SQL count over
// the stored book snapshots), parameter files and overrides, and `--help` on every command.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FORECAST_EVAL_HORIZONS_S, FORECAST_FAMILIES } from '../../../contracts/forecast';
import { ingestFile } from '../../pipeline/ingest';
import { closeDatabase, openDatabase, queryRows } from '../../store/database';
import { CliError } from '../cliError';
import { CSV_HEADER, run } from './forecast';
import { run as runIngest } from './ingest';

const FILE = '../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst';
const dir = mkdtempSync(join(tmpdir(), 'cli-forecast-'));
const db = join(dir, 'real.duckdb');
let validWindows = 0;

beforeAll(async () => {
  const s = await ingestFile({ file: FILE, dbPath: db, start: '18:00', end: '18:10', tz: 'America/New_York', bronze: false });
  const d = await openDatabase(db, { readOnly: true });
  validWindows = Number((await queryRows(d, `SELECT count(*) AS n FROM gold.future_mbo__forecast_features_1s WHERE book_valid AND dataset_id = ${s.datasetId}`))[0].n);
  await closeDatabase(d);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function capture(argv: string[]): Promise<string> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
    chunks.push(String(c));
    return true;
  });
  try {
    expect(await run(argv)).toBe(0);
  } finally {
    spy.mockRestore();
  }
  return chunks.join('');
}

describe('forecast command', () => {
  it('--csv: the header, then one row per valid window × family × horizon', async () => {
    const text = await capture(['--db', db, '--csv']);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(CSV_HEADER);
    expect(validWindows).toBeGreaterThan(500);
    expect(lines.length - 1).toBe(validWindows * FORECAST_FAMILIES.length * 30);
    const rows = lines.slice(1).map((l) => l.split(','));
    for (const r of rows.slice(0, 5000)) {
      expect(r).toHaveLength(10);
      const [end, fam, h, spot, pred, price, dir, conf, lo, hi] = r;
      expect(BigInt(end) % 1_000_000_000n).toBe(0n);
      expect(FORECAST_FAMILIES).toContain(fam);
      expect(Number(h)).toBeGreaterThanOrEqual(1);
      expect(Number(price)).toBeCloseTo(Number(pred) * 0.25, 4);
      expect(['-1', '0', '1']).toContain(dir);
      expect(Number(lo)).toBeLessThanOrEqual(Number(pred) + 1e-6);
      expect(Number(hi)).toBeGreaterThanOrEqual(Number(pred) - 1e-6);
      expect(Number(conf)).toBeGreaterThanOrEqual(0);
      if (fam === 'no_change') expect(Number(pred)).toBe(Number(spot));
      if (fam === 'queue_imbalance') expect(Math.abs(Number(pred) - Number(spot))).toBeCloseTo(Number(dir) === 0 ? 0 : 0.5, 6);
    }
    const ofi = await capture(['--db', db, '--csv', '--family', 'ofi']);
    const ofiLines = ofi.trimEnd().split('\n').slice(1);
    expect(ofiLines.length).toBe(validWindows * 30);
    expect(ofiLines.every((l) => l.split(',')[1] === 'ofi')).toBe(true);
  }, 60_000);

  it('--json: every family × horizon with the issue\'s fields; queue_imbalance equals an independent SQL count', async () => {
    const j = JSON.parse(await capture(['--db', db, '--json']));
    expect(j.dataset_id).toBe(1);
    expect(j.params.version).toBe(2);
    expect(Object.keys(j.families)).toEqual([...FORECAST_FAMILIES]);
    for (const fam of FORECAST_FAMILIES) {
      expect(Object.keys(j.families[fam])).toEqual(FORECAST_EVAL_HORIZONS_S.map(String));
      for (const h of FORECAST_EVAL_HORIZONS_S) expect(Object.keys(j.families[fam][h]).sort()).toEqual(['brier', 'coverage', 'hit_rate', 'mae_no_change_ticks', 'mae_ticks', 'n']);
    }
    expect(j.families.no_change['5'].coverage).toBe(0);
    expect(j.families.no_change['5'].mae_ticks).toBe(j.families.no_change['5'].mae_no_change_ticks);
    expect(j.families.particle['1'].brier).toBeNull();
    expect(j.families.queue_imbalance['1'].brier).toBeGreaterThan(0);
    // Independent: sign(q_bid − q_ask) vs the sign of the spot move, straight from book_snapshot_1s.
    const d = await openDatabase(db, { readOnly: true });
    try {
      for (const h of [1, 5, 30]) {
        const [q] = await queryRows(
          d,
          `WITH s AS (SELECT window_end_ts_ns AS w, spot_ref_price_int AS sp, sign(best_bid_qty::BIGINT - best_ask_qty::BIGINT) AS qi FROM silver.future_mbo__book_snapshot_1s WHERE book_valid)
           SELECT count(*) AS n, count(*) FILTER (WHERE b.sp <> a.sp) AS nz, count(*) FILTER (WHERE b.sp <> a.sp AND a.qi <> 0) AS cov,
                  count(*) FILTER (WHERE a.qi <> 0 AND a.qi = sign(b.sp - a.sp)) AS hits
           FROM s a JOIN s b ON b.w = a.w + ${h}::BIGINT * 1000000000`,
        );
        const e = j.families.queue_imbalance[String(h)];
        expect(e.n).toBe(Number(q.n));
        expect(e.coverage).toBeCloseTo(Number(q.cov) / Number(q.nz), 12);
        expect(e.hit_rate).toBeCloseTo(Number(q.hits) / Number(q.cov), 12);
      }
    } finally {
      await closeDatabase(d);
    }
    // Mid moves (no bid–ask bounce): the queue rule is right far more often.
    const mid = JSON.parse(await capture(['--db', db, '--json', '--target', 'mid']));
    expect(mid.families.queue_imbalance['1'].hit_rate).toBeGreaterThan(0.6);
  }, 60_000);

  it('parameter files and --set: forecast parameters apply at once; bad files are refused naming the field', async () => {
    const base = JSON.parse(await capture(['--db', db, '--json']));
    const changed = JSON.parse(await capture(['--db', db, '--json', '--set', 'beta=0.2', '--set', 'extrapolation=slope']));
    expect(changed.params).toMatchObject({ beta: 0.2, extrapolation: 'slope' });
    expect(changed.families.particle['5'].mae_ticks).not.toBe(base.families.particle['5'].mae_ticks);
    expect(changed.families.queue_imbalance).toEqual(base.families.queue_imbalance);
    const good = join(dir, 'p.json');
    writeFileSync(good, JSON.stringify({ version: 2, qi_step_ticks: 1 }));
    const q = JSON.parse(await capture(['--db', db, '--json', '--params', good]));
    expect(q.families.queue_imbalance['1'].mae_ticks).not.toBe(base.families.queue_imbalance['1'].mae_ticks);
    const v3 = join(dir, 'v3.json');
    writeFileSync(v3, JSON.stringify({ version: 3 }));
    await expect(run(['--db', db, '--json', '--params', v3])).rejects.toThrow(/version 3 is not supported/);
    const unknown = join(dir, 'unknown.json');
    writeFileSync(unknown, JSON.stringify({ version: 2, betta: 1 }));
    await expect(run(['--db', db, '--json', '--params', unknown])).rejects.toThrow(/unknown parameter 'betta'/);
    await expect(run(['--db', db, '--json', '--set', 'sigma_near=7'])).rejects.toBeInstanceOf(CliError);
    await expect(run(['--db', db, '--json', '--dataset', '9'])).rejects.toThrow(/no ready dataset 9/);
    await expect(run(['--db', db])).rejects.toThrow(/--csv or --json/);
  }, 60_000);

  it('ingest --set: a forecast parameter is a cache hit (no rebuild), a gold weight builds a new dataset', async () => {
    const ingest = async (...set: string[]) => {
      const chunks: string[] = [];
      const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
        chunks.push(String(c));
        return true;
      });
      const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        expect(await runIngest([FILE, '--db', db, '--start', '18:00', '--end', '18:10', '--tz', 'America/New_York', '--no-bronze', '--json', ...set.flatMap((x) => ['--set', x])])).toBe(0);
      } finally {
        spy.mockRestore();
        err.mockRestore();
      }
      return JSON.parse(chunks.join(''));
    };
    const same = await ingest('beta=0.3', 'extrapolation=slope', 'perm_w=30');
    expect(same.cacheHit).toBe(true);
    expect(same.datasetId).toBe(1);
    const rebuilt = await ingest('nu_rho=0.5');
    expect(rebuilt.cacheHit).toBe(false);
    expect(rebuilt.datasetId).toBe(2);
    await expect(runIngest([FILE, '--db', db, '--set', 'betta=1'])).rejects.toThrow(/unknown parameter 'betta'/);
  }, 120_000);

  it('every subcommand answers --help (exit 0, its usage)', () => {
    for (const cmd of ['forecast', 'ingest', 'inspect', 'book', 'query', 'serve', 'simulate']) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', 'src-worker/cli/main.ts', cmd, '--help'], { encoding: 'utf8' });
      expect(out).toMatch(new RegExp(`usage: npm run cli -- ${cmd}`));
    }
    // A bad parameter file is a non-zero exit with the field in the message.
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ version: 2, gama: 1 }));
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'src-worker/cli/main.ts', 'forecast', '--db', db, '--json', '--params', bad], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      status = (e as { status: number }).status;
      stderr = String((e as { stderr: string }).stderr);
    }
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/unknown parameter 'gama'/);
  }, 120_000);
});
