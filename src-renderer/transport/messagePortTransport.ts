import { toBytes, type Transport, type TransportStatus } from './transport';

// Electron: main creates a MessageChannel, hands one end to the engine utility process and
// posts the other to this window as `window.postMessage('spymaster:engine-port', '*', [port])`.
// A new port (engine restarted by main's supervisor) replaces the old one.

export function messagePortTransport(): Transport {
  let port: MessagePort | null = null;
  let onMsg: (b: Uint8Array) => void = () => {};
  let onStat: (s: TransportStatus) => void = () => {};
  const queue: Uint8Array[] = [];

  const adopt = (p: MessagePort) => {
    port?.close();
    port = p;
    p.onmessage = (ev) => {
      const b = toBytes(ev.data);
      if (b) onMsg(b);
    };
    p.start();
    onStat('open');
    while (queue.length) p.postMessage(queue.shift()!);
  };

  window.addEventListener('message', (ev: MessageEvent) => {
    if (ev.data === 'spymaster:engine-port' && ev.ports[0]) adopt(ev.ports[0]);
  });
  queueMicrotask(() => onStat('connecting'));

  return {
    kind: 'electron',
    send(bytes) {
      if (port) port.postMessage(bytes);
      else queue.push(bytes);
    },
    onMessage(cb) {
      onMsg = cb;
    },
    onStatus(cb) {
      onStat = cb;
    },
    close() {
      port?.close();
      port = null;
    },
  };
}
