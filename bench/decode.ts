// `npm run bench:decode` — DBN decode speed and memory on a ≥ 1 GiB input.
//
// 1. Builds the input in a temp dir: the real ESH4 session (68,792 MBO records) re-encoded
//    over and over with timestamps shifted by one day per copy and order ids made unique,
//    written as raw DBN v3 and as .dbn.zst (zstd level 3), in one pass, bounded memory.
// 2. Measures, each in a fresh child process (so peak RSS is the decoder's own):
//    - core / core-js: the I/O-free decoder on 256 MiB already in memory (pure decode), with
//      the wasm kernel and with the JS loop
//    - raw:  readDbnFile on the raw file (file reads + decode into MboBatch columns)
//    - zstd: readDbnFile on the .zst file with every available zstd back end
//    - the reference `zstd -dc FILE > /dev/null` on the same compressed file
//    Rates are records per wall second and per CPU second of the process (the machine is
//    shared: CPU time says what one core does when it gets the core).
// 3. Writes bench/results/decode.json and prints a table; deletes the temp files.
//
// Options: --gib N (input size, default 1.0), --runs N (default 3, best is reported), --keep,
// --modes a,b (development only: measure a subset; the JSON then lacks the others).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync, openSync, readSync, closeSync } from 'node:fs';
import { cpus, tmpdir, totalmem, loadavg } from 'node:os';
import { join } from 'node:path';
import {
  availableZstdBackends,
  DbnDecoder,
  decodeDbnSync,
  openDbnFileWriter,
  readDbnFile,
  type ZstdBackend,
} from '../src-worker/dbn/index';
import { ZSTD_CLI } from '../src-worker/dbn/zstd';
import { readFileSync } from 'node:fs';

const ESH4 = join(process.cwd(), '..', 'shared', 'data', 'real', 'esh4-glbx-mdp3-20231225.mbo.dbn.zst');

interface ChildResult {
  mode: string;
  records: number;
  bytes: number;
  wallS: number;
  cpuS: number;
  maxRssMiB: number;
}

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}

async function child(mode: string, file: string): Promise<void> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let records = 0;
  let bytes = 0;
  if (mode === 'core' || mode === 'core-js') {
    // Pure decoder: 256 MiB of the raw file in memory, pushed in 4 MiB chunks.
    const fd = openSync(file, 'r');
    const buf = new Uint8Array(256 << 20);
    const n = readSync(fd, buf, 0, buf.length, 0);
    closeSync(fd);
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    const dec = new DbnDecoder({ bufferSize: 8 << 20, wasm: mode === 'core' });
    const batch = dec.createBatch(8192);
    const CH = 4 << 20;
    for (let at = 0; at < n; at += CH) {
      dec.push(buf.subarray(at, Math.min(n, at + CH)));
      for (;;) {
        const s = dec.next(batch);
        if (s === 'mbo') {
          records += batch.count;
          batch.count = 0;
        } else if (s === 'need-more') break;
      }
    }
    records += batch.count;
    bytes = n;
    const c = process.cpuUsage(c1);
    report({ mode, records, bytes, wallS: (performance.now() - t1) / 1000, cpuS: (c.user + c.system) / 1e6, maxRssMiB: process.resourceUsage().maxRSS / 1024 });
    return;
  }
  const zstd = mode.startsWith('zst-') ? (mode.slice(4) as ZstdBackend) : undefined;
  for await (const ev of readDbnFile(file, { zstd, onBytes: (r) => (bytes = r) })) {
    if (ev.kind === 'mbo') records += ev.batch.count;
  }
  const c = process.cpuUsage(c0);
  report({ mode, records, bytes, wallS: (performance.now() - t0) / 1000, cpuS: (c.user + c.system) / 1e6, maxRssMiB: process.resourceUsage().maxRSS / 1024 });
}

function report(r: ChildResult): void {
  process.stdout.write(JSON.stringify(r) + '\n');
}

function runChild(mode: string, file: string): ChildResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/decode.ts', '--child', mode, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`child ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
}

/** Re-encode ESH4 until the raw file reaches `targetBytes`; write raw and zstd in one pass. */
async function buildInput(dir: string, targetBytes: number): Promise<{ raw: string; zst: string; records: number; copies: number }> {
  const src = decodeDbnSync(new Uint8Array(readFileSync(ESH4)));
  const b = src.mbo;
  const n = b.count;
  const orig = { tsEventHi: b.tsEventHi.slice(0, n), tsEventLo: b.tsEventLo.slice(0, n), tsRecvHi: b.tsRecvHi.slice(0, n), tsRecvLo: b.tsRecvLo.slice(0, n), tsRecvSec: b.tsRecvSec.slice(0, n), orderIdHi: b.orderIdHi.slice(0, n) };
  const copies = Math.ceil(targetBytes / (n * 56));
  const md = { ...src.metadata!, end: src.metadata!.start + BigInt(copies) * 86400000000000n };
  const raw = join(dir, 'esh4x.dbn');
  const zst = join(dir, 'esh4x.dbn.zst');
  const wRaw = openDbnFileWriter(raw);
  const wZst = openDbnFileWriter(zst, { level: 3 });
  wRaw.writeMetadata(md);
  wZst.writeMetadata(md);
  for (let k = 0; k < copies; k++) {
    const off = BigInt(k) * 86400000000000n; // one day per copy
    const offHi = Number(off >> 32n);
    const offLo = Number(off & 0xffffffffn);
    for (let i = 0; i < n; i++) {
      let lo = orig.tsEventLo[i] + offLo;
      b.tsEventLo[i] = lo >>> 0;
      b.tsEventHi[i] = orig.tsEventHi[i] + offHi + (lo >= 4294967296 ? 1 : 0);
      lo = orig.tsRecvLo[i] + offLo;
      b.tsRecvLo[i] = lo >>> 0;
      b.tsRecvHi[i] = orig.tsRecvHi[i] + offHi + (lo >= 4294967296 ? 1 : 0);
      b.tsRecvSec[i] = orig.tsRecvSec[i] + k * 86400;
      b.orderIdHi[i] = orig.orderIdHi[i] + k; // unique ids per copy (+k·2^32)
    }
    wRaw.writeMboBatch(b);
    wZst.writeMboBatch(b);
  }
  await wRaw.close();
  await wZst.close();
  return { raw, zst, records: copies * n, copies };
}

function best(rs: ChildResult[]): ChildResult {
  return rs.reduce((a, r) => (r.wallS < a.wallS ? r : a));
}

async function main(): Promise<void> {
  const gib = Number(arg('gib', '1'));
  const runs = Number(arg('runs', '3'));
  const keep = process.argv.includes('--keep');
  const dir = mkdtempSync(join(tmpdir(), 'spymaster-bench-decode-'));
  const uptimeBefore = loadavg();
  try {
    console.log(`building ≥ ${gib} GiB input in ${dir} …`);
    const tb = performance.now();
    const input = await buildInput(dir, gib * 2 ** 30);
    const rawSize = statSync(input.raw).size;
    const zstSize = statSync(input.zst).size;
    console.log(`  ${input.records.toLocaleString()} records (${input.copies} copies of ESH4), raw ${(rawSize / 2 ** 30).toFixed(2)} GiB, zstd ${(zstSize / 2 ** 20).toFixed(0)} MiB, built in ${((performance.now() - tb) / 1000).toFixed(1)} s`);

    const modes: [string, string][] = [['core', input.raw], ['core-js', input.raw], ['raw', input.raw], ...availableZstdBackends().map((b) => [`zst-${b}`, input.zst] as [string, string])];
    const results: Record<string, ChildResult & { runs: ChildResult[] }> = {};
    const only = arg('modes', '');
    for (const [mode, file] of modes) {
      if (only && !only.split(',').includes(mode)) continue;
      const rs: ChildResult[] = [];
      // The slow portable back ends run once: they are fallbacks, not contenders.
      const n = mode === 'zst-js' || mode === 'zst-wasm' ? 1 : runs;
      for (let i = 0; i < n; i++) rs.push(runChild(mode, file));
      const b = best(rs);
      if (!mode.startsWith('core') && b.records !== input.records) throw new Error(`${mode}: decoded ${b.records} records, expected ${input.records}`);
      results[mode] = { ...b, runs: rs };
      console.log(`  ${mode.padEnd(9)} ${(b.records / b.wallS / 1e6).toFixed(1)} M rec/s wall, ${(b.records / b.cpuS / 1e6).toFixed(1)} M rec/s cpu, peak RSS ${b.maxRssMiB.toFixed(0)} MiB`);
    }

    // Reference: zstd -dc on the same compressed file.
    const ref: number[] = [];
    if (ZSTD_CLI) {
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        const r = spawnSync('sh', ['-c', `'${ZSTD_CLI}' -dc -q -- '${input.zst}' > /dev/null`]);
        if (r.status !== 0) throw new Error('zstd -dc failed');
        ref.push((performance.now() - t) / 1000);
      }
    }
    const refS = ref.length ? Math.min(...ref) : NaN;
    console.log(`  zstd -dc  ${(rawSize / refS / 1e6).toFixed(0)} MB/s of DBN (${refS.toFixed(2)} s)`);

    if (only) return; // partial development run: no JSON

    const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', totalMemGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform };
    const rate = (r: ChildResult): { recordsPerSecWall: number; recordsPerSecCpu: number; mbPerSecWall: number; wallS: number; cpuS: number; peakRssMiB: number } => ({
      recordsPerSecWall: Math.round(r.records / r.wallS),
      recordsPerSecCpu: Math.round(r.records / r.cpuS),
      mbPerSecWall: Math.round(rawSize / r.wallS / 1e6),
      wallS: +r.wallS.toFixed(3),
      cpuS: +r.cpuS.toFixed(3),
      peakRssMiB: Math.round(r.maxRssMiB),
    });
    const zstdModes = Object.keys(results).filter((m) => m.startsWith('zst-'));
    const out = {
      date: new Date().toISOString(),
      machine,
      loadAverageBefore: uptimeBefore.map((x) => +x.toFixed(2)),
      loadAverageAfter: loadavg().map((x) => +x.toFixed(2)),
      input: { records: input.records, copiesOfEsh4: input.copies, rawBytes: rawSize, zstdBytes: zstSize, zstdLevel: 3, dbnVersion: 3 },
      runsPerMode: runs,
      coreDecodeInMemory: Object.fromEntries(
        (['core', 'core-js'] as const).map((m) => [
          m === 'core' ? 'wasmKernel' : 'jsLoop',
          { records: results[m].records, bytes: results[m].bytes, wallS: +results[m].wallS.toFixed(3), cpuS: +results[m].cpuS.toFixed(3), recordsPerSecWall: Math.round(results[m].records / results[m].wallS), recordsPerSecCpu: Math.round(results[m].records / results[m].cpuS), peakRssMiB: Math.round(results[m].maxRssMiB) },
        ]),
      ),
      rawFile: rate(results.raw),
      zstdFile: Object.fromEntries(zstdModes.map((m) => [m.slice(4), { ...rate(results[m]), vsZstdDc: +(refS / results[m].wallS).toFixed(2) }])),
      zstdDcReference: { wallS: +refS.toFixed(3), mbPerSecDecompressed: Math.round(rawSize / refS / 1e6) },
      targets: { rawRecordsPerSecOneCore: 40e6, zstdVsZstdDc: 0.8 },
    };
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/decode.json', JSON.stringify(out, null, 2) + '\n');
    console.log('wrote bench/results/decode.json');
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  child(process.argv[3], process.argv[4]).catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
