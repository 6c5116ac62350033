// The WebAssembly MBO kernel's source text, generated from the record layout (../mboLayout.ts)
// and the column batch (views.ts): every load offset, load width and signedness comes from the
// layout, every store width and the init() order from the columns. Only the decoding steps are
// written here (what goes to which column, the undefined price, the ts_recv split), once.
// scripts/genMboKernel.ts writes the result to mboKernel.wat and compiles it; mboLayout.test.ts
// fails when the committed mboKernel.wat differs from this output.
import { mboField, MBO_HEADER_TAG, MBO_RECORD_LEN, MBO_RTYPE, UNDEF_PRICE_HI, UNDEF_PRICE_LO, type MboFieldName, type RecordField } from '../mboLayout';
import { MBO_COLUMN_BYTES, MBO_COLUMN_NAMES, type MboColumnName } from './views';

const at = (f: RecordField, plus = 0): string => (f.offset + plus === 0 ? '' : ` offset=${f.offset + plus}`);

/** Load a whole field of the record at $pos (i32 for ≤ 4 bytes, i64 for 8). */
function load(name: MboFieldName): string {
  const f = mboField(name);
  const op = f.width === 8 ? 'i64.load' : f.width === 4 ? 'i32.load' : `i32.load${f.width * 8}_${f.signed ? 's' : 'u'}`;
  return `(${op}${at(f)} (local.get $pos))`;
}

/** Load the low or high u32 word of an 8-byte field. */
function loadWord(name: MboFieldName, half: 'lo' | 'hi'): string {
  const f = mboField(name);
  if (f.width !== 8) throw new Error(`${name} is not an 8-byte field`);
  return `(i32.load${at(f, half === 'hi' ? 4 : 0)} (local.get $pos))`;
}

/** Address of row $n of a column: $c holds $n·4, set before the first 4-byte column. */
function rowOf(col: MboColumnName): string {
  const bytes = MBO_COLUMN_BYTES[col];
  const index = bytes === 1 ? '(local.get $n)' : bytes === 4 ? '(local.get $c)' : `(i32.shl (local.get $n) (i32.const ${Math.log2(bytes)}))`;
  return `(i32.add (global.get $${col}) ${index})`;
}

const STORE: Record<number, string> = { 1: 'i32.store8', 2: 'i32.store16', 4: 'i32.store', 8: 'f64.store' };
/** Store into row $n of a column (a value starting with a line break continues on the next line). */
const store = (col: MboColumnName, value: string): string => `(${STORE[MBO_COLUMN_BYTES[col]]} ${rowOf(col)}${value.startsWith('\n') ? '' : ' '}${value})`;

const hex = (v: number, digits: number): string => v.toString(16).padStart(digits, '0');

/** The kernel module, as text for wat2wasm. */
export function mboKernelWat(): string {
  const length = mboField('length');
  const rtype = mboField('rtype');
  if (length.width !== 1 || rtype.width !== 1 || rtype.offset !== length.offset + 1) throw new Error('the kernel tests length and rtype with one 16-bit load');
  const price = mboField('price');
  const I = '        ';
  const cols = MBO_COLUMN_NAMES;
  const body = [
    `(br_if $done (i32.ge_u (local.get $n) (local.get $stop)))`,
    `(br_if $done (i32.ne (i32.load16_u${at(length)} (local.get $pos)) (i32.const 0x${hex(MBO_HEADER_TAG, 4)})))`,
    store('recordIndex', `\n${I}  (f64.add (local.get $rec) (f64.convert_i32_u (i32.sub (local.get $n) (local.get $row0))))`),
    store('publisherId', `\n${I}  ${load('publisher_id')}`),
    `(local.set $c (i32.shl (local.get $n) (i32.const 2)))`,
    store('instrumentId', load('instrument_id')),
    store('tsEventLo', loadWord('ts_event', 'lo')),
    store('tsEventHi', loadWord('ts_event', 'hi')),
    store('orderIdLo', loadWord('order_id', 'lo')),
    store('orderIdHi', loadWord('order_id', 'hi')),
    ';; price: i64::MAX is the undefined price (NaN)',
    `(local.set $p ${load('price')})`,
    store(
      'price',
      `\n${I}  (select\n${I}    (f64.const nan)\n${I}    (f64.convert_i64_${price.signed ? 's' : 'u'} (local.get $p))\n${I}    (i64.eq (local.get $p) (i64.const 0x${hex(UNDEF_PRICE_HI, 8)}${hex(UNDEF_PRICE_LO, 8)})))`,
    ),
    store('size', load('size')),
    store('flags', load('flags')),
    store('channelId', load('channel_id')),
    `(local.set $a ${load('action')})`,
    store('action', '(local.get $a)'),
    store('side', load('side')),
    ';; action counts',
    `(local.set $a (i32.add (global.get $actionCounts) (i32.shl (local.get $a) (i32.const 3))))`,
    `(f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (f64.const 1)))`,
    ';; ts_recv and its exact seconds/nanos split (cached second start)',
    `(local.set $ts ${load('ts_recv')})`,
    store('tsRecvLo', '(i32.wrap_i64 (local.get $ts))'),
    store('tsRecvHi', '(i32.wrap_i64 (i64.shr_u (local.get $ts) (i64.const 32)))'),
    `(local.set $d (i64.sub (local.get $ts) (global.get $secStart)))`,
    `(if (i64.ge_u (local.get $d) (i64.const 1000000000))`,
    `  (then`,
    `    (local.set $sec (i64.div_u (local.get $ts) (i64.const 1000000000)))`,
    `    (global.set $secStart (i64.mul (local.get $sec) (i64.const 1000000000)))`,
    `    (global.set $secVal (f64.convert_i64_u (local.get $sec)))`,
    `    (local.set $d (i64.sub (local.get $ts) (global.get $secStart)))))`,
    store('tsRecvSec', '(global.get $secVal)'),
    store('tsRecvNano', '(i32.wrap_i64 (local.get $d))'),
    store('tsInDelta', load('ts_in_delta')),
    store('sequence', load('sequence')),
    `(local.set $pos (i32.add (local.get $pos) (i32.const ${MBO_RECORD_LEN})))`,
    `(local.set $n (i32.add (local.get $n) (i32.const 1)))`,
    `(br $next)))`,
  ];
  const initParams = cols.length + 1;
  return [
    ';; GENERATED by scripts/genMboKernel.ts from src-worker/dbn/mboLayout.ts (offsets, widths)',
    ';; and wasm/views.ts (columns) — do not edit; change the layout or kernelSource.ts instead.',
    ';;',
    `;; MBO hot-path kernel: decodes a run of plain ${MBO_RECORD_LEN}-byte MBO records (rtype 0x${hex(MBO_RTYPE, 2)}, length byte`,
    `;; ${MBO_RECORD_LEN / 4}) from the input region into column arrays, all in this module's memory. The JS`,
    ';; decoder copies the columns into the caller\'s MboBatch unless it is its own batch. No bounds',
    ';; checks are needed beyond wasm\'s own.',
    '(module',
    '  (memory (export "memory") 1)',
    '  ;; column base addresses (init() parameter order = views.ts COLUMNS), then action counts',
    ...cols.map((c) => `  (global $${c} (mut i32) (i32.const 0))   ;; ${MBO_COLUMN_BYTES[c]} byte(s) per row`),
    '  (global $actionCounts (mut i32) (i32.const 0))   ;; f64[256]',
    '  ;; cached start of the current ts_recv second',
    '  (global $secStart (mut i64) (i64.const 0))',
    '  (global $secVal (mut f64) (f64.const 0))',
    '',
    '  (func (export "init")',
    `    (param${' i32'.repeat(initParams)})`,
    ...[...cols, 'actionCounts'].map((c, i) => `    (global.set $${c} (local.get ${i}))`).map((l, i, a) => (i === a.length - 1 ? `${l})` : l)),
    '',
    '  ;; Decode up to $max records starting at byte $pos into rows $row0..; $rec is the stream',
    '  ;; index of the first. Stops at the first record that is not a plain MBO. Returns the',
    '  ;; number of rows written.',
    '  (func (export "run") (param $pos i32) (param $row0 i32) (param $max i32) (param $rec f64) (result i32)',
    '    (local $n i32) (local $stop i32) (local $ts i64) (local $d i64) (local $sec i64) (local $p i64)',
    '    (local $a i32) (local $c i32)',
    '    (local.set $n (local.get $row0))',
    '    (local.set $stop (i32.add (local.get $row0) (local.get $max)))',
    '    (block $done',
    '      (loop $next',
    ...body.map((l) => I + l),
    '    (i32.sub (local.get $n) (local.get $row0)))',
    ')',
    '',
  ].join('\n');
}

/** mboKernel.wasm.ts: the compiled module as base64 (no file read or fetch at run time). */
export function wasmModuleSource(wasm: Uint8Array): string {
  return [
    '// GENERATED by scripts/genMboKernel.ts from mboKernel.wat — do not edit.',
    'export const MBO_KERNEL_WASM_BASE64 =',
    `  '${Buffer.from(wasm).toString('base64')}';`,
    '',
  ].join('\n');
}
