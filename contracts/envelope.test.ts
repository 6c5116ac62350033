import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, EnvelopeError } from './envelope';
import type { EngineEvent } from './protocol';

describe('envelope', () => {
  it('round-trips a control message with payload parts', () => {
    const msg: EngineEvent = { kind: 'frame', seq: 7, windowEndNs: '1703548800000000000', layers: ['snap', 'grid'] };
    const a = new Uint8Array([1, 2, 3]);
    const b = new Uint8Array(1000).map((_, i) => i & 255);
    const env = decodeEnvelope<EngineEvent>(encodeEnvelope(msg, [a, b]));
    expect(env.message).toEqual(msg);
    expect([...env.parts[0]]).toEqual([1, 2, 3]);
    expect(env.parts[1]).toEqual(b);
  });

  it('round-trips a message without parts', () => {
    const env = decodeEnvelope(encodeEnvelope({ kind: 'pause' }));
    expect(env).toEqual({ message: { kind: 'pause' }, parts: [] });
  });

  it('rejects truncated bytes with a typed error', () => {
    const bytes = encodeEnvelope({ kind: 'frame' }, [new Uint8Array(50)]);
    for (const cut of [0, 3, 7, 12, bytes.length - 1]) {
      expect(() => decodeEnvelope(bytes.subarray(0, cut))).toThrow(EnvelopeError);
    }
  });
});
