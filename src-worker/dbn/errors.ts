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
