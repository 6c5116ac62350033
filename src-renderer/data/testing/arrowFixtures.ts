// TEST-ONLY: builds frame and slab payloads from the contract schemas (contracts/generated)
// so decode and apply are checked against the same layout the engine writes.
import { Bool, makeData, RecordBatch, Schema, Struct, Table, tableToIPC } from 'apache-arrow';

export function ipc(schema: Schema, n: number, cols: Record<string, ArrayLike<unknown>>, meta?: Record<string, string>, nulls?: Record<string, boolean[]>): Uint8Array {
  const children = schema.fields.map((f) => {
    const v = cols[f.name] ?? new Float32Array(n);
    let nullBitmap: Uint8Array | undefined;
    const nl = nulls?.[f.name];
    if (nl) {
      nullBitmap = new Uint8Array(Math.ceil(n / 8));
      for (let i = 0; i < n; i++) if (!nl[i]) nullBitmap[i >> 3] |= 1 << (i & 7);
    }
    if (f.type instanceof Bool) {
      const bits = new Uint8Array(Math.ceil(n / 8));
      for (let i = 0; i < n; i++) if ((v as ArrayLike<boolean>)[i]) bits[i >> 3] |= 1 << (i & 7);
      return makeData({ type: f.type, length: n, data: bits });
    }
    return makeData({ type: f.type as never, length: n, data: v as never, nullBitmap, nullCount: nl ? nl.filter(Boolean).length : 0 } as never);
  });
  const sch = new Schema(schema.fields, meta ? new Map(Object.entries(meta)) : undefined);
  return tableToIPC(new Table([new RecordBatch(sch, makeData({ type: new Struct(schema.fields), length: n, children }))]), 'stream');
}
