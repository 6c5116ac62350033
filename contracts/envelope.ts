// One binary envelope for every message in both directions and over both transports
// (Electron MessagePort, browser-mode WebSocket):
//   u32 LE  json byte length
//   ...     UTF-8 JSON of the control message (Request or EngineEvent)
//   u32 LE  number of payload parts
//   u32 LE  × n  byte length of each part
//   ...     the parts (Arrow IPC streams), back to back
// Decoding returns views into the received buffer (no copy of the payload).

export interface Envelope<M> {
  message: M;
  parts: Uint8Array[];
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export function encodeEnvelope<M>(message: M, parts: Uint8Array[] = []): Uint8Array {
  const json = enc.encode(JSON.stringify(message));
  const headerLen = 4 + json.length + 4 + 4 * parts.length;
  const total = headerLen + parts.reduce((s, p) => s + p.byteLength, 0);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, json.length, true);
  out.set(json, 4);
  let o = 4 + json.length;
  dv.setUint32(o, parts.length, true);
  o += 4;
  for (const p of parts) {
    dv.setUint32(o, p.byteLength, true);
    o += 4;
  }
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

export class EnvelopeError extends Error {
  constructor(message: string) {
    super(`malformed envelope: ${message}`);
    this.name = 'EnvelopeError';
  }
}

export function decodeEnvelope<M>(bytes: Uint8Array): Envelope<M> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8) throw new EnvelopeError('shorter than its header');
  const jsonLen = dv.getUint32(0, true);
  if (4 + jsonLen + 4 > bytes.byteLength) throw new EnvelopeError('JSON length past the end');
  const message = JSON.parse(dec.decode(bytes.subarray(4, 4 + jsonLen))) as M;
  let o = 4 + jsonLen;
  const n = dv.getUint32(o, true);
  o += 4;
  if (o + 4 * n > bytes.byteLength) throw new EnvelopeError('part table past the end');
  const lens: number[] = [];
  for (let i = 0; i < n; i++, o += 4) lens.push(dv.getUint32(o, true));
  const parts: Uint8Array[] = [];
  for (const len of lens) {
    if (o + len > bytes.byteLength) throw new EnvelopeError('part past the end');
    parts.push(bytes.subarray(o, o + len));
    o += len;
  }
  return { message, parts };
}
