// Typed DBN errors. Each carries a stable `code`, the byte offset in the (decompressed)
// DBN stream where the problem was found, a sentence for a person and a hint. The CLI
// prints `userMessage` + `hint`; programs switch on `code`.

export type DbnErrorCode =
  | 'NOT_DBN'
  | 'LEGACY_DBZ'
  | 'UNSUPPORTED_VERSION'
  | 'TRUNCATED_METADATA'
  | 'INVALID_METADATA'
  | 'TRUNCATED_RECORD'
  | 'RECORD_TOO_SHORT'
  | 'CORRUPT_ZSTD'
  | 'TRUNCATED_ZSTD'
  | 'ZSTD_UNAVAILABLE'
  | 'EMPTY_INPUT'
  | 'IO'
  | 'ABORTED'
  | 'ENCODE';

export class DbnError extends Error {
  readonly code: DbnErrorCode;
  /** Byte offset in the decompressed DBN stream (or compressed file for zstd errors); -1 if none. */
  readonly offset: number;
  readonly userMessage: string;
  readonly hint: string;
  constructor(code: DbnErrorCode, offset: number, userMessage: string, hint = '', options?: { cause?: unknown }) {
    super(offset >= 0 ? `${userMessage} (at byte ${offset})` : userMessage, options);
    this.name = 'DbnError';
    this.code = code;
    this.offset = offset;
    this.userMessage = offset >= 0 ? `${userMessage} (at byte ${offset})` : userMessage;
    this.hint = hint;
  }
}

/** Bytes are not DBN (wrong magic) — e.g. a CSV, a Parquet file or random data. */
export class NotDbnError extends DbnError {
  constructor(offset: number, what: string) {
    super('NOT_DBN', offset, `not a DBN file: ${what}`, 'expected a Databento .dbn or .dbn.zst file (it starts with "DBN" and a version byte)');
    this.name = 'NotDbnError';
  }
}

/**
 * What a file that is not DBN looks like, in words (never its bytes: an error shown to a page
 * must not leak the content of a file it was pointed at).
 */
export function describeLeadingBytes(b: Uint8Array): string {
  if (b.length === 0) return 'it is empty';
  const starts = (...sig: number[]) => sig.every((x, i) => b[i] === x);
  if (starts(0x1f, 0x8b)) return 'it looks like a gzip-compressed file (decompress it first; Spymaster reads .dbn or .dbn.zst)';
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06)) return 'it looks like a zip archive (extract the .dbn or .dbn.zst file inside it)';
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) return 'it is zstd-compressed but its name does not end in .zst';
  if (starts(0x42, 0x5a, 0x68)) return 'it looks like a bzip2-compressed file';
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return 'it looks like an xz-compressed file';
  if (starts(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c)) return 'it looks like a 7-Zip archive';
  if (starts(0x50, 0x41, 0x52, 0x31)) return 'it looks like a Parquet file';
  if (starts(0x25, 0x50, 0x44, 0x46)) return 'it looks like a PDF document';
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'it looks like a PNG image';
  if (starts(0x7f, 0x45, 0x4c, 0x46)) return 'it looks like a program (ELF executable)';
  if (starts(0x41, 0x52, 0x52, 0x4f, 0x57, 0x31)) return 'it looks like an Arrow file';
  const head = b.subarray(0, Math.min(b.length, 512));
  let printable = 0;
  for (const x of head) if (x === 9 || x === 10 || x === 13 || (x >= 0x20 && x < 0x7f) || x >= 0x80) printable++;
  if (printable === head.length) {
    const text = new TextDecoder('utf-8', { fatal: false }).decode(head).trimStart();
    if (/^[[{]/.test(text)) return 'it looks like text (JSON)';
    if (/^<(!doctype|html|\?xml)/i.test(text)) return 'it looks like text (HTML or XML)';
    const firstLine = text.split(/\r?\n/, 1)[0];
    if (firstLine.includes(',') || firstLine.includes('\t')) return 'it looks like text (CSV or a table)';
    return 'it looks like text';
  }
  return 'it is binary data of an unknown kind';
}

/** The legacy DBZ format (zstd skippable frame + "DBZ" metadata), superseded by DBN in 2022. */
export class LegacyDbzError extends DbnError {
  constructor() {
    super(
      'LEGACY_DBZ',
      0,
      'this is a legacy .dbz file (Databento Binary Zstandard, the pre-2023 predecessor of DBN), which is not supported',
      'convert it with the dbn CLI of an old release or download the data again as DBN',
    );
    this.name = 'LegacyDbzError';
  }
}

export class UnsupportedVersionError extends DbnError {
  constructor(version: number) {
    super('UNSUPPORTED_VERSION', 3, `unsupported DBN version ${version} (supported: 1, 2, 3)`, 'update Spymaster or re-encode the file as DBN v3 with the dbn CLI');
    this.name = 'UnsupportedVersionError';
  }
}

export class TruncatedMetadataError extends DbnError {
  constructor(offset: number, detail: string) {
    super('TRUNCATED_METADATA', offset, `truncated DBN metadata: ${detail}`, 'the file was cut off inside its header; download it again');
    this.name = 'TruncatedMetadataError';
  }
}

export class InvalidMetadataError extends DbnError {
  constructor(offset: number, detail: string) {
    super('INVALID_METADATA', offset, `invalid DBN metadata: ${detail}`, 'the header is damaged; download the file again');
    this.name = 'InvalidMetadataError';
  }
}

export class TruncatedRecordError extends DbnError {
  constructor(
    offset: number,
    readonly recordLength: number,
    readonly available: number,
    readonly recordsBefore: number,
  ) {
    super(
      'TRUNCATED_RECORD',
      offset,
      `truncated record: the file ends ${available} bytes into a ${recordLength}-byte record, after ${recordsBefore} complete records`,
      'the file was cut off (interrupted download?); every complete record before the damage was read',
    );
    this.name = 'TruncatedRecordError';
  }
}

export class RecordTooShortError extends DbnError {
  constructor(offset: number, length: number) {
    super('RECORD_TOO_SHORT', offset, `corrupt record: length ${length} bytes is shorter than a 16-byte record header`, 'the file is damaged; records before this point were read');
    this.name = 'RecordTooShortError';
  }
}

export class CorruptZstdError extends DbnError {
  constructor(offset: number, detail: string, cause?: unknown) {
    super('CORRUPT_ZSTD', offset, `corrupt zstd data: ${detail}`, 'the compressed file is damaged; download it again (records before the damage were read)', { cause });
    this.name = 'CorruptZstdError';
  }
}

export class TruncatedZstdError extends DbnError {
  constructor(offset: number) {
    super('TRUNCATED_ZSTD', offset, 'truncated zstd stream: the compressed file ends inside a frame', 'the file was cut off; every complete record before the cut was read');
    this.name = 'TruncatedZstdError';
  }
}

export function isDbnError(e: unknown): e is DbnError {
  return e instanceof DbnError;
}
