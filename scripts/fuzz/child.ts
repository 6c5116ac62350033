// The fuzz loop, run in a child process so the supervisor (../fuzz.ts) can see a hang (no
// answer in 5 s: the child is killed) or a crash (the child dies) without dying itself.
// Input i is a pure function of (seed, i). Messages to the parent: begin / end / rejection / done.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulateToFile } from '../../src-worker/sim/index';
import { loadRealSeeds, makeSeed, PARAMS_SEED, type Seed } from './corpus';
import { mutateDbn, mutateParams, pick, rng, type Rand } from './mutate';
import { fuzzBook, fuzzDecode, fuzzIngest, fuzzParams, ProtocolTarget, type Result } from './targets';

export interface ChildConfig {
  seed: number;
  start: number;
  /** Epoch ms after which no new input starts. */
  until: number;
  dir: string;
  /** Run only this input and save its bytes (reproducing a finding). */
  replay?: number;
}

export type ChildMessage =
  | { t: 'begin'; i: number; target: string }
  | { t: 'end'; i: number; target: string; outcome: Result['outcome']; detail?: string; input: string }
  | { t: 'rejection'; i: number; detail: string }
  | { t: 'ready'; seeds: number }
  | { t: 'done'; next: number };

const send = (m: ChildMessage) => (process.send ? process.send(m) : process.stdout.write(`${JSON.stringify(m)}\n`));

async function simulatedSeeds(dir: string): Promise<Seed[]> {
  const out: Seed[] = [];
  for (const [name, intensity, seed] of [['sim-a.dbn', 0.05, 11], ['sim-b.dbn', 0.2, 12]] as const) {
    const file = join(dir, '..', name);
    if (!existsSync(file)) await simulateToFile({ out: file, symbol: 'ESH6', date: '2026-01-06', start: '09:29', end: '09:31', seed, intensity, clearBeforeSnapshot: true });
    const s = makeSeed(`simulated/${name}`, readFileSync(file));
    if (s) out.push(s);
  }
  return out;
}

/** Damaged parameters that are still JSON (syntax errors are the params target's business). */
function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function chooseTarget(r: Rand): 'decode' | 'params' | 'protocol' | 'ingest' {
  const x = r();
  return x < 0.8 ? 'decode' : x < 0.88 ? 'params' : x < 0.985 ? 'protocol' : 'ingest';
}

async function main(cfg: ChildConfig): Promise<void> {
  mkdirSync(cfg.dir, { recursive: true });
  const seeds = [...loadRealSeeds(), ...(await simulatedSeeds(cfg.dir))];
  const mboSeeds = seeds.filter((s) => /mbo|sim-/.test(s.name) && !s.fragment);
  send({ t: 'ready', seeds: seeds.length });
  let current = -1;
  process.on('unhandledRejection', (e) => send({ t: 'rejection', i: current, detail: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }));
  let protocol = null as ProtocolTarget | null;
  const fuzzFiles: string[] = [];
  const run = async (i: number, r: Rand): Promise<{ target: string; result: Result; input: string; bytes?: Uint8Array }> => {
    const target = chooseTarget(r);
    send({ t: 'begin', i, target });
    if (target === 'params') {
      const text = mutateParams(r, PARAMS_SEED);
      return { target, result: fuzzParams(text), input: `params ${text.slice(0, 120)}`, bytes: new TextEncoder().encode(text) };
    }
    if (target === 'protocol') {
      protocol ??= new ProtocolTarget(join(cfg.dir, 'engine'));
      // Now and then a damaged DBN file on disk for open_file to find.
      if (r() < 0.1) {
        const seed = pick(r, mboSeeds);
        const m = mutateDbn(r, seed, seeds);
        const f = join(cfg.dir, `proto-${i % 8}.dbn${m.compressed ? '.zst' : ''}`);
        writeFileSync(f, m.bytes);
        fuzzFiles[i % 8] = f;
      }
      const env = ProtocolTarget.envelope(r, fuzzFiles.filter(Boolean));
      return { target, result: await protocol.feed(env), input: `envelope ${env.length} bytes`, bytes: env };
    }
    if (target === 'ingest') {
      const seed = pick(r, mboSeeds);
      const m = mutateDbn(r, seed, seeds);
      const params = r() < 0.3 ? parseOrUndefined(mutateParams(r, PARAMS_SEED)) : undefined;
      const result = await fuzzIngest(join(cfg.dir, 'ingest'), i % 4, m.bytes, m.compressed, params, r).catch((e) => ({ outcome: 'crash' as const, detail: String(e) }));
      return { target, result, input: `${seed.name} ${m.ops.join('+') || 'unchanged'}${m.compressed ? ' (zst)' : ''}${params ? ' +params' : ''}`, bytes: m.bytes };
    }
    const seed = pick(r, seeds);
    const m = mutateDbn(r, seed, seeds);
    const input = `${seed.name} ${m.ops.join('+') || 'unchanged'}${m.compressed ? ' (zst)' : ''}`;
    const d = fuzzDecode(m.bytes, seed.fragment, m.compressed, r);
    if (d.outcome === 'crash' || d.outcome === 'wrong' || !d.decoded) return { target: 'decode', result: d, input, bytes: m.bytes };
    const b = fuzzBook(d.decoded);
    if (b.outcome !== 'ok') return { target: 'book', result: b, input, bytes: m.bytes };
    // Inputs that decoded MBO rows were also cross-checked through the book.
    return { target: d.decoded.mbo.count > 0 ? 'decode+book' : 'decode', result: d, input, bytes: m.bytes };
  };
  mkdirSync(join(cfg.dir, 'ingest'), { recursive: true });
  if (cfg.replay !== undefined) {
    current = cfg.replay;
    const { target, result, input, bytes } = await run(cfg.replay, rng(cfg.seed * 1_000_003 + cfg.replay));
    if (bytes) writeFileSync(join(cfg.dir, `input-${cfg.replay}.bin`), bytes);
    send({ t: 'end', i: cfg.replay, target, outcome: result.outcome, detail: `${result.detail ?? ''} (bytes saved to ${join(cfg.dir, `input-${cfg.replay}.bin`)})`, input });
    send({ t: 'done', next: cfg.replay + 1 });
    return;
  }
  let i = cfg.start;
  for (; Date.now() < cfg.until; i++) {
    current = i;
    const r = rng(cfg.seed * 1_000_003 + i);
    const { target, result, input } = await run(i, r);
    send({ t: 'end', i, target, outcome: result.outcome, detail: result.detail, input });
    if (i % 50 === 0) await new Promise((res) => setImmediate(res));
  }
  await protocol?.settle();
  send({ t: 'done', next: i });
}

const cfg = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
main(cfg).then(
  () => setTimeout(() => process.exit(0), 50),
  (e) => {
    process.stderr.write(`fuzz child failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(3);
  },
);

