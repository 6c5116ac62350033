// Persistent window bounds and recent files: one small JSON file in userData. A missing or
// damaged file gives the defaults (never a crash); writes go through a temp file + rename.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized?: boolean;
}

export interface Settings {
  version: 1;
  bounds: WindowBounds;
  recentFiles: string[];
}

export const MAX_RECENT = 10;
export const DEFAULT_SETTINGS: Settings = { version: 1, bounds: { width: 1440, height: 900 }, recentFiles: [] };

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function sanitizeSettings(raw: unknown): Settings {
  const out: Settings = structuredClone(DEFAULT_SETTINGS);
  if (typeof raw !== 'object' || raw === null) return out;
  const r = raw as Partial<Settings>;
  const b = r.bounds as Partial<WindowBounds> | undefined;
  if (b && num(b.width) && num(b.height) && b.width >= 400 && b.height >= 300) {
    out.bounds = { width: Math.round(b.width), height: Math.round(b.height) };
    if (num(b.x) && num(b.y)) Object.assign(out.bounds, { x: Math.round(b.x), y: Math.round(b.y) });
    if (b.maximized === true) out.bounds.maximized = true;
  }
  if (Array.isArray(r.recentFiles)) out.recentFiles = r.recentFiles.filter((f): f is string => typeof f === 'string' && f.length > 0).slice(0, MAX_RECENT);
  return out;
}

export class SettingsStore {
  private data: Settings;

  constructor(private readonly file: string) {
    let raw: unknown = null;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      /* first run or damaged file: defaults */
    }
    this.data = sanitizeSettings(raw);
  }

  get(): Settings {
    return this.data;
  }

  setBounds(bounds: WindowBounds): void {
    this.data.bounds = sanitizeSettings({ bounds }).bounds;
    this.save();
  }

  addRecent(path: string): string[] {
    this.data.recentFiles = [path, ...this.data.recentFiles.filter((p) => p !== path)].slice(0, MAX_RECENT);
    this.save();
    return this.data.recentFiles;
  }

  clearRecent(): void {
    this.data.recentFiles = [];
    this.save();
  }

  private save(): void {
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, JSON.stringify(this.data, null, 2));
      renameSync(tmp, this.file);
    } catch (e) {
      process.stderr.write(`[main] could not save settings: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
}
