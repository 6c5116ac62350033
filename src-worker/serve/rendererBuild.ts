// Browser mode serves the built window (out/renderer). It is built on demand — when missing
// or older than any source it is made from — so `serve` works right after `npm ci`.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Inputs of the window bundle, relative to the project root. */
export const RENDERER_SOURCES = ['src-renderer', 'contracts', 'package-lock.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

export function rendererOutDir(root: string): string {
  return join(root, 'out', 'renderer');
}

/** Why the window must be (re)built, or null when out/renderer is current. */
export function rendererBuildReason(root: string): string | null {
  const index = join(rendererOutDir(root), 'index.html');
  if (!existsSync(index)) return 'no build of the window yet';
  const built = statSync(index).mtimeMs;
  for (const src of RENDERER_SOURCES) if (newestMtime(join(root, src)) > built) return `${src} changed since the last build`;
  return null;
}

export class RendererBuildError extends Error {
  constructor(
    readonly userMessage: string,
    readonly hint: string,
  ) {
    super(userMessage);
    this.name = 'RendererBuildError';
  }
}

/** Builds the window with Vite (src-renderer/vite.config.ts) in a child process. */
export async function buildRenderer(root: string, log: (line: string) => void): Promise<void> {
  const config = join(root, 'src-renderer', 'vite.config.ts');
  if (!existsSync(config)) throw new RendererBuildError('the window sources are missing (src-renderer/vite.config.ts)', 'run from the project folder after npm ci');
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const started = Date.now();
  const out: string[] = [];
  const code = await new Promise<number>((resolve) => {
    const p = spawn(process.execPath, [vite, 'build', '--config', config, '--logLevel', 'warn'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    p.stdout.on('data', (d: Buffer) => out.push(d.toString()));
    p.stderr.on('data', (d: Buffer) => out.push(d.toString()));
    p.on('error', () => resolve(-1));
    p.on('exit', (c) => resolve(c ?? -1));
  });
  if (code !== 0) throw new RendererBuildError('building the window failed', out.join('').trim().split('\n').slice(-15).join('\n'));
  log(`window built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export async function ensureRendererBuilt(root: string, log: (line: string) => void): Promise<string> {
  const reason = rendererBuildReason(root);
  if (reason) {
    log(`building the window (${reason}) …`);
    await buildRenderer(root, log);
  }
  return rendererOutDir(root);
}
