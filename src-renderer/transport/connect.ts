import { messagePortTransport } from './messagePortTransport';
import { serveToken } from './serveToken';
import type { Transport } from './transport';
import { webSocketTransport } from './webSocketTransport';

/** Electron preload present → MessagePort; otherwise the browser-mode WebSocket (with the serve token). */
export function connectTransport(): Transport {
  if (window.spymasterElectron) return messagePortTransport();
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const token = serveToken();
  return webSocketTransport(`${proto}//${location.host}/engine${token ? `?token=${encodeURIComponent(token)}` : ''}`);
}
