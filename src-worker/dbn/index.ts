// DBN I/O for Spymaster: decode and encode Databento Binary Encoding (v1, v2, v3; raw or zstd).
//
// READING A FILE (bounded memory, any size):
//   for await (const ev of readDbnFile(path, { batchSize?, signal?, onBytes?(read, total), zstd?, fragment?, version? })) {
//     switch (ev.kind) {
//       case 'metadata':   ev.metadata: DbnMetadata (u64 fields as bigint)          — first, once (not for fragments)
//       case 'mbo':        ev.batch: MboBatch, rows 0..batch.count-1                 — the batch object is REUSED:
//                          finish with it (or copy) before pulling the next event; its
//                          arrays are views into the decoder's memory — never transfer
//                          their .buffer (copy with slice() to keep or send data)
//       case 'definition': ev.definition: InstrumentDefinition (v3 shape, any input version)
//       case 'end':        ev.counts: { records, by_rtype, by_action, skipped }     — last
//     }
//   }
//   Events come in file order (MBO records before a definition are delivered before it).
//   Errors are DbnError subclasses (code, offset, userMessage, hint); on damage every complete
//   record before it has been yielded first. zstd is sniffed from the first bytes.
//
// IN MEMORY: decodeDbnSync(bytes, { fragment?, version?, tolerant?, zstd? }) →
//   { metadata, mbo: MboBatch (all rows), definitions, counts, error? }.
//
// PUSH DECODER (no I/O, raw DBN bytes): const d = new DbnDecoder({ fragment?, version?, tsOut?, wasm?, onOtherRecord? });
//   const batch = d.createBatch(8192)   // the decoder's own columns: the wasm kernel fills them in place
//   d.push(bytes) | d.space(n)+d.commit(k); d.finish() at EOF; loop d.next(batch) →
//   'metadata' (d.metadata) | 'mbo' (batch full: consume, batch.count = 0) | 'definition'
//   (d.definition; batch holds earlier MBO rows) | 'need-more' | 'end'; d.counts().
//   Other rtypes: onOtherRecord(bytes, rtype, offset); decodeRecordHeader(bytes) reads their header.
//
// WRITING (DBN v3): const w = openDbnFileWriter('out.dbn.zst', { level? })  // .zst ⇒ zstd
//   (or new DbnWriter(sink: DbnSink, { compress?, level? }));
//   w.writeMetadata(makeMetadata({ dataset, start, ... })); w.writeMboBatch(batch);
//   w.writeDefinition({ instrument_id, raw_symbol, instrument_class: 'C', strike_price, ... });
//   await w.close();
//
// TEXT (format.ts, Databento's encodings): mboJson(batch, i), mboCsvLine(batch, i),
//   writeMboCsvRow(batch, i, bytes, pos), MBO_CSV_HEADER, definitionJson(def), metadataJsonObject(md).
//
// zstd back ends: 'cli' | 'thread' | 'napi' | 'wasm' | 'js' (readDbnFile option `zstd`);
//   default = fastest available (defaultZstdBackend()).
//
// u64 HELPERS (u64.ts): hiLoToSecNano, secNanoToHiLo, u64ToDecimal, i64ToDecimal,
//   secNanoToDecimal, decimalToU64, hiLoToBigInt, bigintToHiLo, priceToHiLo.
//
// Version upgrade policy: MBO records are identical in v1–v3; definitions are upgraded to the
// v3 layout in one place (definition.ts upgradeDefinition); metadata keeps the input version
// and symbol_cstr_len; other rtypes are skipped by length and counted. See docs/DBN.md.

export * from './mboBatch';
export * from './u64';
export * from './errors';
export * from './enums';
export {
  type DbnMetadata,
  type SymbolMapping,
  type MappingInterval,
  makeMetadata,
  encodeMetadataV3,
  decodeMetadataBody,
  DBN_VERSION,
  UNDEF_TIMESTAMP,
} from './metadata';
export {
  type InstrumentDefinition,
  defaultDefinition,
  encodeDefinitionV3,
  upgradeDefinition,
  pxToNumber,
  UNDEF_PRICE,
  UNDEF_TS,
  DEFINITION_LAYOUTS,
} from './definition';
export { DbnDecoder, type DbnDecoderOptions, type DecodeStep, type DbnCounts } from './decoder';
export { decodeRecordHeader, type RecordHeader } from './recordHeader';
export { readDbnFile, decodeDbnSync, type DbnEvent, type ReadDbnOptions, type DecodedDbn, type DecodeSyncOptions } from './reader';
export { DbnWriter, openDbnFileWriter, fileSink, memorySink, type DbnSink, type DbnWriterOptions } from './encoder';
export { availableZstdBackends, defaultZstdBackend, type ZstdBackend } from './zstd';
export { mboJson, mboCsvLine, writeMboCsvRow, MBO_CSV_HEADER, MBO_CSV_MAX_ROW, definitionJson, metadataJsonObject, countsJsonObject } from './format';
