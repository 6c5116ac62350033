// Arguments of an engine process (browser-mode child and Electron utility process alike):
//   --db PATH        database file (default: <cache>/spymaster.duckdb)
//   --open PATH      a DBN file to open as soon as the window says hello
//   --open-options J its session options as JSON ({"start":"18:00","end":"19:00","tz":…})
//   --demo           open the embedded demo when the window says hello
import { defaultCacheDir, defaultDbPath } from './cacheDir';
import type { FileOpenOptions, InitialOpen } from './engineHost';

export interface EngineProcessConfig {
  dbPath: string;
  cacheDir: string;
  initial: InitialOpen;
}

export function parseEngineArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): EngineProcessConfig {
  const cacheDir = defaultCacheDir(env);
  let dbPath = defaultDbPath(cacheDir);
  let initial: InitialOpen = { kind: 'none' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--db') dbPath = argv[++i];
    else if (a === '--open') initial = { kind: 'file', path: argv[++i], options: initial.kind === 'file' ? initial.options : undefined };
    else if (a === '--open-options') {
      const raw = argv[++i];
      let options: FileOpenOptions | undefined;
      try {
        options = JSON.parse(raw) as FileOpenOptions;
      } catch {
        options = undefined; // a damaged value opens the file with defaults
      }
      if (initial.kind === 'file') initial = { kind: 'file', path: initial.path, options };
    } else if (a === '--demo') initial = { kind: 'demo' };
  }
  return { dbPath, cacheDir, initial };
}

export function engineArgs(c: { dbPath?: string; initial: InitialOpen }): string[] {
  const out: string[] = [];
  if (c.dbPath) out.push('--db', c.dbPath);
  if (c.initial.kind === 'file') {
    out.push('--open', c.initial.path);
    if (c.initial.options && Object.keys(c.initial.options).length) out.push('--open-options', JSON.stringify(c.initial.options));
  }
  else if (c.initial.kind === 'demo') out.push('--demo');
  return out;
}
