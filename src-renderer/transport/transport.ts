// The window's only door to the engine. Two implementations (Electron MessagePort, browser
// WebSocket) carry the same envelope bytes; nothing above this file knows which one it has.

export type TransportStatus = 'connecting' | 'open' | 'closed';

export interface Transport {
  readonly kind: 'electron' | 'browser';
  send(bytes: Uint8Array): void;
  /** Replaces the message handler; bytes are one whole envelope. */
  onMessage(cb: (bytes: Uint8Array) => void): void;
  /** Called on every status change; 'open' again after a reconnect. */
  onStatus(cb: (s: TransportStatus) => void): void;
  /** Another window took the engine over (browser mode serves one window at a time). */
  onReplaced?(cb: () => void): void;
  close(): void;
}

/** WebSocket close code the serve command uses for "replaced by a newer window". */
export const REPLACED_BY_NEWER_WINDOW = 4000;

export interface SpymasterElectronApi {
  openFileDialog(): Promise<string | null>;
  onMenu(cb: (command: string, arg?: unknown) => void): void | (() => void);
  /** Path of a dropped File (sandboxed pages cannot see it otherwise). */
  pathForFile?(file: File): string;
  /** Tells main a file was opened from the window (Open Recent). */
  fileOpened?(path: string): void;
}

declare global {
  interface Window {
    spymasterElectron?: SpymasterElectronApi;
  }
}

export function toBytes(data: unknown): Uint8Array | null {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return null;
}
