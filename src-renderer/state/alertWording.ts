import type { Alert } from '../../contracts/protocol';

// The engine words its alerts once for every front end; the window adapts them to the person
// reading them: menu paths that exist only in the Electron shell become the browser page's
// button, raw leading bytes are described in words first, and a truncated file says plainly
// that nothing was opened.

export type Mode = 'electron' | 'browser' | null;

/** "74 68 69 73 20 69 73 20" → 'text ("this is ")', or null when the bytes are not text. */
export function describeBytes(hex: string): string | null {
  const bytes = hex.trim().split(/\s+/).map((h) => parseInt(h, 16));
  if (bytes.length === 0 || bytes.some((b) => !Number.isFinite(b))) return null;
  const printable = bytes.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127));
  if (printable) return `text (“${String.fromCharCode(...bytes).replace(/\s+/g, ' ').trim()}…”)`;
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'a ZIP archive';
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'a gzip file';
  if (bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46) return 'a PDF';
  return null;
}

export function wordAlert(a: Alert, mode: Mode): Alert {
  let { message, hint } = a;
  if (mode === 'browser') {
    const fix = (t: string) => t.replace(/File ▸ Open DBN…/g, 'Open file… (top left) or drop it on the window');
    message = fix(message);
    hint = hint === undefined ? undefined : fix(hint);
  }
  const m = /not a DBN file: it starts with bytes ((?:[0-9a-f]{2} ?)+)/i.exec(message);
  if (m) {
    const looks = describeBytes(m[1]);
    if (looks) message = `Not a DBN file: it looks like ${looks}. (It starts with bytes ${m[1].trim()}.)`;
  }
  if (a.severity === 'error' && hint && /every complete record before the cut was read/.test(hint)) {
    hint = 'The file was cut off. Nothing was opened: a session is built from the whole file. Download or copy it again.';
  }
  return hint === undefined ? { ...a, message } : { ...a, message, hint };
}
