// `npm start`: the workstation. Launches Electron (electron-vite build, then the app) when an
// Electron binary and a display exist; otherwise says why and starts browser mode (the serve
// command on the embedded demo, or on a file given as an argument) and prints the URL.
// Works right after `npm ci`: browser mode builds the window on demand.
import { spawn, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './electronBinary';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const args = process.argv.slice(2);

async function browserMode(reason: string): Promise<void> {
  process.stdout.write(`Electron cannot launch here: ${reason}.\nStarting browser mode instead …\n`);
  const { run } = await import('../src-worker/cli/commands/serve');
  const { formatCliError } = await import('../src-worker/cli/cliError');
  try {
    process.exitCode = await run(args);
  } catch (e) {
    process.stderr.write(formatCliError(e));
    process.exitCode = 1;
  }
}

function electronMode(exe: string): Promise<{ launched: boolean; reason: string }> {
  process.stdout.write('Building the workstation (electron-vite build) …\n');
  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) return Promise.resolve({ launched: false, reason: 'the Electron build failed' });
  const files = args.filter((a) => !a.startsWith('--')).map((a) => resolve(a));
  return new Promise((done) => {
    const started = Date.now();
    const child = spawn(exe, [ROOT, ...files], { cwd: ROOT, stdio: 'inherit' });
    child.on('error', (e) => done({ launched: false, reason: e.message }));
    child.on('exit', (code, signal) => {
      // An exit within seconds with an error is a launch failure (no GPU/display libraries …).
      if (code !== 0 && Date.now() - started < 5000) done({ launched: false, reason: `Electron exited at start (${signal ?? `code ${code}`})` });
      else {
        process.exitCode = code ?? 0;
        done({ launched: true, reason: '' });
      }
    });
  });
}

const bin = findElectronBinary(ROOT);
if (!bin.ok) await browserMode(bin.reason);
else {
  const r = await electronMode(bin.path);
  if (!r.launched) await browserMode(r.reason);
}
