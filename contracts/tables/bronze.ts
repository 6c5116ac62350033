import { charEnum, col, virtualCol, type ColumnDecl, type TableDecl } from '../columns';

// Bronze: canonical MBO events of the selected instrument, typed once, in file order.
const mboColumns = (): ColumnDecl[] => [
  col('dataset_id', 'u32', '', 'catalog.datasets row this event belongs to'),
  col('seq_in_file', 'u64', '', 'index of the record in the source file (0-based), the processing order'),
  col('ts_recv', 'ts_ns', 'ns', 'capture-server receive time, UTC; all clock logic uses it'),
  col('ts_event', 'ts_ns', 'ns', 'matching-engine time, UTC'),
  // Always 0xA0 in an MBO table: computed, not stored (one value less per event).
  virtualCol('rtype', 'u8', '', 'record type (0xA0 = 160 = MBO)', 'CAST(160 AS UTINYINT)'),
  col('publisher_id', 'u16', '', 'Databento publisher (dataset + venue)'),
  col('instrument_id', 'u32', '', 'venue instrument id'),
  charEnum('action', ['A', 'C', 'F', 'M', 'N', 'R', 'T'], 'A add, C cancel, M modify, R clear, T trade, F fill, N none (any other code is stored as N)'),
  charEnum('side', ['A', 'B', 'N'], 'A ask, B bid, N none'),
  col('price', 'price_int', '1e-9 USD', 'order or trade price; NULL when undefined (i64::MAX)', true),
  col('size', 'u32', 'contracts', 'order quantity (A/M), removed quantity (C), traded quantity (T/F)'),
  col('channel_id', 'u8', '', 'venue channel'),
  col('order_id', 'u64', '', 'venue order id (exact u64)'),
  col('flags', 'u8', '', 'bit field: 0x80 F_LAST, 0x40 F_TOB, 0x20 F_SNAPSHOT, 0x10 F_MBP, 0x08 F_BAD_TS_RECV, 0x04 F_MAYBE_BAD_BOOK'),
  col('ts_in_delta', 'i32', 'ns', 'ts_recv minus venue send time'),
  col('sequence', 'u32', '', 'venue message sequence number'),
];

export const bronzeFutureMbo: TableDecl = {
  stage: 'bronze',
  product: 'future_mbo',
  name: 'mbo',
  meaning: 'MBO events of the selected futures instrument from the start of the file through the end of the session window',
  columns: mboColumns(),
  key: ['dataset_id', 'seq_in_file'],
};

export const bronzeFutureOptionMbo: TableDecl = {
  stage: 'bronze',
  product: 'future_option_mbo',
  name: 'mbo',
  meaning: 'MBO events of the option instruments on the selected underlying, same columns as futures',
  columns: mboColumns(),
  key: ['dataset_id', 'seq_in_file'],
};
