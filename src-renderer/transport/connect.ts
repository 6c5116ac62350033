import { messagePortTransport } from './messagePortTransport';
import type { Transport } from './transport';
import { webSocketTransport } from './webSocketTransport';

/** Electron preload present → MessagePort; otherwise the browser-mode WebSocket. */
export function connectTransport(): Transport {
  if (window.spymasterElectron) return messagePortTransport();
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return webSocketTransport(`${proto}//${location.host}/engine`);
}
