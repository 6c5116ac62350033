// Arrow IPC encoding of one record batch straight from typed arrays (makeData, no row objects),
// so a 802-row grid frame or a 900 × 800 slab costs one pass over memory.
import { Bool, makeData, RecordBatch, RecordBatchStreamWriter, Schema, Struct, type Data, type Field } from 'apache-arrow';

export type ColumnArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

export interface ColumnInput {
  /** One element per row; for Bool columns one byte (0/1) per row. */
  values: ColumnArray;
  /** Optional validity, one byte per row (0 = null). Required for nullable columns that hold nulls. */
  valid?: Uint8Array;
}

function packBits(bytes: Uint8Array, length: number): { bits: Uint8Array; zeros: number } {
  const bits = new Uint8Array((length + 7) >> 3);
  let zeros = 0;
  for (let i = 0; i < length; i++) {
    if (bytes[i]) bits[i >> 3] |= 1 << (i & 7);
    else zeros++;
  }
  return { bits, zeros };
}

function columnData(field: Field, length: number, input: ColumnInput | undefined): Data {
  if (!input) throw new Error(`column ${field.name} missing`);
  if (input.values.length < length) throw new Error(`column ${field.name}: ${input.values.length} values for ${length} rows`);
  let nullBitmap: Uint8Array | undefined;
  let nullCount = 0;
  if (input.valid) {
    if (!field.nullable) throw new Error(`column ${field.name} is not nullable`);
    const packed = packBits(input.valid, length);
    nullBitmap = packed.bits;
    nullCount = packed.zeros;
  }
  const values = input.values.length === length ? input.values : input.values.subarray(0, length);
  const data = field.type instanceof Bool ? packBits(values as Uint8Array, length).bits : values;
  return makeData({ type: field.type, length, nullCount, nullBitmap, data } as never);
}

/** One record batch with `schema`'s columns (a subset schema is fine) as an Arrow IPC stream. */
export function encodeBatch(schema: Schema, length: number, columns: Record<string, ColumnInput>): Uint8Array {
  const children = schema.fields.map((f) => columnData(f, length, columns[f.name]));
  const struct = makeData({ type: new Struct(schema.fields), length, nullCount: 0, children });
  const batch = new RecordBatch(schema, struct);
  return RecordBatchStreamWriter.writeAll([batch]).toUint8Array(true);
}

/** A schema with only the named columns (in the given order) and string metadata. */
export function subsetSchema(schema: Schema, names: readonly string[], metadata?: Record<string, string>): Schema {
  const fields = names.map((n) => {
    const f = schema.fields.find((x) => x.name === n);
    if (!f) throw new Error(`no column ${n} in schema`);
    return f;
  });
  return new Schema(fields, metadata ? new Map(Object.entries(metadata)) : undefined);
}
