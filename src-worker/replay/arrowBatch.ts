// Arrow IPC encoding of one record batch straight from typed arrays (makeData, no row objects),
// so a 802-row grid frame or a 900 × 800 slab costs one pass over memory.
import { Bool, makeData, RecordBatch, RecordBatchStreamWriter, Schema, Struct, Utf8, type Data, type Field } from 'apache-arrow';

export type ColumnArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

export interface ColumnInput {
  /** One element per row; for Bool columns one byte (0/1) per row; for Utf8 columns strings. */
  values: ColumnArray | readonly string[];
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
  if (field.type instanceof Utf8) {
    if (!Array.isArray(input.values)) throw new Error(`column ${field.name} is text: give strings`);
    return utf8Data(field, length, input.values as readonly string[], nullCount, nullBitmap);
  }
  if (Array.isArray(input.values)) throw new Error(`column ${field.name} is not text`);
  const typed = input.values as ColumnArray;
  const values = typed.length === length ? typed : typed.subarray(0, length);
  const data = field.type instanceof Bool ? packBits(values as Uint8Array, length).bits : values;
  return makeData({ type: field.type, length, nullCount, nullBitmap, data } as never);
}

const utf8 = new TextEncoder();

function utf8Data(field: Field, length: number, strings: readonly string[], nullCount: number, nullBitmap: Uint8Array | undefined): Data {
  const bytes = strings.slice(0, length).map((x) => utf8.encode(x));
  const valueOffsets = new Int32Array(length + 1);
  for (let i = 0; i < length; i++) valueOffsets[i + 1] = valueOffsets[i] + bytes[i].length;
  const data = new Uint8Array(valueOffsets[length]);
  for (let i = 0; i < length; i++) data.set(bytes[i], valueOffsets[i]);
  return makeData({ type: field.type, length, nullCount, nullBitmap, valueOffsets, data } as never);
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
