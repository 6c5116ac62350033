// `npx tsx bench/cellStore.ts [--reps N]` — what storing each grid cell once costs and buys,
// paired in one process on the real ESH4 hour (18:00–19:00 New York, 1.44 M cells):
//   write  the same cells into the previous layout (silver depth_and_flow_1s: 14 values + gold
//          physics_surface_1s: 24 stored values and 8 VIRTUAL columns, two tables; DDL from
//          src-worker/store/testing/previousSchema.ts) and into the current one
//          (silver.future_mbo__cells_1s: 28 values, no generated columns), alternating, each into
//          a fresh file with DuckDB on one thread, INSERT … SELECT from an in-memory copy, then
//          COMMIT and CHECKPOINT. Process CPU and wall per layout; file size.
//   read   the replay's queries against both files: a 60-window chunk of all 25 heatmap fields
//          (windowChunk.ts) and a 900-window one-field slab (slabBuilder.ts), liquidity_velocity
//          and rho, through the gold table (previous) and the gold view (current).
// Writes bench/results/cell-store.json. CPU figures are what to compare on this shared VM.
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { storedColumns, viewDdl } from '../contracts/columns';
import { HEATMAP_FIELDS } from '../contracts/protocol';
import { SILVER_FUTURE_MBO_CELLS_1S } from '../contracts/generated/tables';
import { goldFuturePhysicsSurface1s } from '../contracts/tables/gold';
import { silverFutureCells1s, silverFutureDepthAndFlow1s } from '../contracts/tables/silver';
import { ingestFile } from '../src-worker/pipeline/ingest';
import { WRITE_DISABLED_COMPRESSION } from '../src-worker/store/database';
import { PREVIOUS_VERSION_CELL_DDL } from '../src-worker/store/testing/previousSchema';

const FILE = '../shared/data/real/esh4-glbx-mdp3-20231225.mbo.dbn.zst';
const OUT = join('bench', 'out');
mkdirSync(OUT, { recursive: true });
mkdirSync(join('bench', 'results'), { recursive: true });
const argReps = process.argv.indexOf('--reps');
const REPS = argReps > 0 ? Number(process.argv[argReps + 1]) : 5;

const SOURCE = join(OUT, 'cell-store-source.duckdb');
const summary = await ingestFile({ file: FILE, dbPath: SOURCE, start: '18:00', end: '19:00', tz: 'America/New_York' });
const DS = summary.datasetId;

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return +s[Math.floor(s.length / 2)].toFixed(1);
};
const quote = (names: string[]) => names.map((n) => `"${n}"`).join(', ');

type Layout = 'previous' | 'cells';
const fileOf = (l: Layout) => join(OUT, `cell-store-${l}.duckdb`);

/** One build's cell write into a fresh file: CPU and wall ms, file bytes. */
async function write(layout: Layout): Promise<{ cpu: number; wall: number; bytes: number }> {
  const path = fileOf(layout);
  rmSync(path, { force: true });
  rmSync(path + '.wal', { force: true });
  const inst = await DuckDBInstance.create(path, { threads: '1', memory_limit: '512MB' });
  const c = await inst.connect();
  try {
    await c.run(`ATTACH '${SOURCE}' AS src (READ_ONLY)`);
    // The rows to write, in memory first (the SELECT side is then a plain scan in both layouts).
    const silverCols = quote(silverFutureDepthAndFlow1s.columns.map((x) => x.name));
    const goldStored = quote(['dataset_id', 'window_end_ts_ns', 'side', 'price_int', 'spot_ref_price_int', 'rel_ticks', 'rel_ticks_side',
      'add_intensity', 'pull_intensity', 'fill_intensity', 'rho', 'phi_rest', 'nu', 'u_ema_2', 'u_ema_8', 'u_ema_32', 'u_ema_128',
      'du_dt', 'd2u_dt2', 'du_dx', 'd2u_dx2', 'dnu_dx', 'd2nu_dx2', 'wall_strength']);
    if (layout === 'previous') {
      await c.run(`CREATE TEMP TABLE s AS SELECT ${silverCols} FROM src.silver.future_mbo__depth_and_flow_1s WHERE dataset_id = ${DS}`);
      await c.run(`CREATE TEMP TABLE g AS SELECT ${goldStored} FROM src.gold.future_mbo__physics_surface_1s WHERE dataset_id = ${DS}`);
      for (const ddl of PREVIOUS_VERSION_CELL_DDL) await c.run(ddl);
    } else {
      await c.run(`CREATE TEMP TABLE s AS SELECT * FROM src.silver.future_mbo__cells_1s WHERE dataset_id = ${DS}`);
      await c.run('CREATE SCHEMA silver');
      await c.run(SILVER_FUTURE_MBO_CELLS_1S.ddl);
    }
    await c.run('DETACH src');
    await c.run(`SET disabled_compression_methods = '${WRITE_DISABLED_COMPRESSION}'`);
    const c0 = cpuMs();
    const t0 = performance.now();
    await c.run('BEGIN');
    if (layout === 'previous') {
      await c.run(`INSERT INTO silver.future_mbo__depth_and_flow_1s SELECT * FROM s`);
      await c.run(`INSERT INTO gold.future_mbo__physics_surface_1s (${goldStored}) SELECT * FROM g`);
    } else await c.run(`INSERT INTO ${SILVER_FUTURE_MBO_CELLS_1S.name} SELECT * FROM s`);
    await c.run('COMMIT');
    await c.run('CHECKPOINT');
    return { cpu: cpuMs() - c0, wall: performance.now() - t0, bytes: 0 };
  } finally {
    c.closeSync();
    inst.closeSync();
  }
}

const writes: Record<Layout, { cpu: number[]; wall: number[] }> = { previous: { cpu: [], wall: [] }, cells: { cpu: [], wall: [] } };
for (let rep = 0; rep < REPS; rep++) {
  for (const l of (rep % 2 ? ['cells', 'previous'] : ['previous', 'cells']) as Layout[]) {
    const r = await write(l);
    writes[l].cpu.push(r.cpu);
    writes[l].wall.push(r.wall);
  }
}
const bytes = { previous: statSync(fileOf('previous')).size, cells: statSync(fileOf('cells')).size };

// ---- reads: the replay's queries on the gold table (previous) and the gold view (current) ----
async function readConn(layout: Layout): Promise<{ c: DuckDBConnection; close(): void }> {
  const inst = await DuckDBInstance.create(fileOf(layout), { access_mode: 'READ_ONLY' });
  const c = await inst.connect();
  if (layout === 'cells') {
    // A read-only file cannot take the views: define them as this session's temp views, from the contracts.
    for (const d of [silverFutureDepthAndFlow1s, goldFuturePhysicsSurface1s]) {
      const ddl = viewDdl(d, d.viewOf!);
      await c.run(ddl.replace(/^CREATE VIEW IF NOT EXISTS [^ ]+/, `CREATE TEMP VIEW ${d.stage}_${d.name}`));
    }
  }
  return { c, close: () => (c.closeSync(), inst.closeSync()) };
}
const goldName = (l: Layout) => (l === 'previous' ? 'gold.future_mbo__physics_surface_1s' : 'gold_physics_surface_1s');
const first = BigInt(summary.sessionStartNs) + 1_000_000_000n;
const queries: Record<string, (g: string) => string> = {
  chunk60AllFields: (g) => {
    const from = first + 600n * 1_000_000_000n;
    return `SELECT CAST(round(exp(rho) - 1) AS UINTEGER) AS depth, ${HEATMAP_FIELDS.map((f) => `CAST(${f} AS FLOAT)`).join(', ')}
              FROM ${g} WHERE dataset_id = ${DS} AND window_end_ts_ns BETWEEN ${from} AND ${from + 59n * 1_000_000_000n}`;
  },
  slab900LiquidityVelocity: (g) => {
    const from = first + 600n * 1_000_000_000n;
    return `SELECT price_int, CAST(liquidity_velocity AS FLOAT) FROM ${g} WHERE dataset_id = ${DS} AND window_end_ts_ns BETWEEN ${from} AND ${from + 899n * 1_000_000_000n}`;
  },
  slab900Rho: (g) => {
    const from = first + 600n * 1_000_000_000n;
    return `SELECT price_int, CAST(rho AS FLOAT) FROM ${g} WHERE dataset_id = ${DS} AND window_end_ts_ns BETWEEN ${from} AND ${from + 899n * 1_000_000_000n}`;
  },
  sessionGridLiquidityVelocity: (g) => `SELECT price_int, CAST(liquidity_velocity AS FLOAT) FROM ${g} WHERE dataset_id = ${DS} AND liquidity_velocity <> 0`,
};
const conns = { previous: await readConn('previous'), cells: await readConn('cells') };
const reads: Record<string, Record<Layout, number[]>> = {};
for (let rep = 0; rep < 4 * REPS; rep++)
  for (const [name, q] of Object.entries(queries))
    for (const l of (rep % 2 ? ['cells', 'previous'] : ['previous', 'cells']) as Layout[]) {
      const c0 = cpuMs();
      const r = await conns[l].c.stream(q(goldName(l)));
      while ((await r.fetchChunk())?.rowCount) {
        /* drain */
      }
      ((reads[name] ??= { previous: [], cells: [] })[l]).push(cpuMs() - c0);
    }
conns.previous.close();
conns.cells.close();

const cells = summary.rows['silver.future_mbo.depth_and_flow_1s'];
const result = {
  benchmark: 'cell-store',
  date: new Date().toISOString(),
  machine: `2-core VM, Node ${process.version}`,
  loadAvg1m: +loadavg()[0].toFixed(2),
  input: { file: FILE, session: '2023-12-25 18:00–19:00 America/New_York', cells },
  storedValuesPerCell: { previous: 14 + 24, previousVirtualColumns: 8, cells: storedColumns(silverFutureCells1s.columns).length },
  write: {
    reps: REPS,
    method: 'INSERT … SELECT from memory, threads=1, ALP/ALP-RD off, BEGIN … COMMIT + CHECKPOINT, fresh file each time, layouts alternated',
    previousMs: { cpuMedian: median(writes.previous.cpu), wallMedian: median(writes.previous.wall), cpu: writes.previous.cpu.map(Math.round) },
    cellsMs: { cpuMedian: median(writes.cells.cpu), wallMedian: median(writes.cells.wall), cpu: writes.cells.cpu.map(Math.round) },
    nsPerCellCpu: { previous: +((median(writes.previous.cpu) * 1e6) / cells).toFixed(0), cells: +((median(writes.cells.cpu) * 1e6) / cells).toFixed(0) },
    fileBytes: bytes,
  },
  readCpuMsMedian: Object.fromEntries(Object.entries(reads).map(([k, v]) => [k, { previous: median(v.previous), cells: median(v.cells) }])),
};
writeFileSync(join('bench', 'results', 'cell-store.json'), JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result, null, 2));
