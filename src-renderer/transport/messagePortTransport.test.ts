import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messagePortTransport } from './messagePortTransport';

// Electron cannot launch on these machines, so the MessagePort path is checked here with
// Node's own MessageChannel standing in for the port main posts to the window.

describe('MessagePort transport (Electron)', () => {
  const g = globalThis as unknown as { window?: EventTarget };
  beforeEach(() => {
    g.window = new EventTarget();
  });
  afterEach(() => {
    delete g.window;
  });

  it('queues until main hands over the port, then carries envelope bytes both ways', async () => {
    const t = messagePortTransport();
    const statuses: string[] = [];
    const got: number[][] = [];
    t.onStatus((s) => statuses.push(s));
    t.onMessage((b) => got.push([...b]));
    t.send(new Uint8Array([1, 2, 3])); // before the port exists: kept
    const ch = new MessageChannel();
    const fromWindow: number[][] = [];
    ch.port2.onmessage = (ev) => fromWindow.push([...(ev.data as Uint8Array)]);
    g.window!.dispatchEvent(new MessageEvent('message', { data: 'spymaster:engine-port', ports: [ch.port1] }));
    ch.port2.postMessage(new Uint8Array([9, 8]).buffer); // engines may post ArrayBuffers
    ch.port2.postMessage(new Uint8Array([7]));
    await new Promise((r) => setTimeout(r, 50));
    expect(statuses).toContain('open');
    expect(fromWindow).toEqual([[1, 2, 3]]);
    expect(got).toEqual([[9, 8], [7]]);
    t.close();
    ch.port2.close();
  });

  it('ignores unrelated window messages', async () => {
    const t = messagePortTransport();
    const statuses: string[] = [];
    t.onStatus((s) => statuses.push(s));
    g.window!.dispatchEvent(new MessageEvent('message', { data: 'something else' }));
    await new Promise((r) => setTimeout(r, 10));
    expect(statuses).not.toContain('open');
    t.close();
  });
});
