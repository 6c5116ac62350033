import { col, type TableDecl } from '../columns';

// One row per immutable per-day build. A dataset is visible only once status = 'ready'.
export const catalogDatasets: TableDecl = {
  stage: 'catalog',
  product: null,
  name: 'datasets',
  meaning: 'one row per pipeline build: inputs, configuration, versions, row counts, timings and status',
  columns: [
    col('dataset_id', 'u32', '', 'surrogate key used by every product table'),
    col('dataset_key', 'utf8', '', 'hash of (source SHA-256, instrument/session config, params, pipeline version): the cache key'),
    col('source_path', 'utf8', '', 'path of the DBN file as given by the user'),
    col('source_sha256', 'utf8', '', 'SHA-256 of the source file bytes (hex)'),
    col('source_bytes', 'u64', 'bytes', 'size of the source file'),
    col('symbol', 'utf8', '', 'raw symbol of the selected instrument, e.g. ESH4'),
    col('instrument_id', 'u32', '', 'venue instrument id of the selected instrument'),
    col('session_date', 'utf8', '', 'trading date of the session window (YYYY-MM-DD, exchange time zone)'),
    col('session_start_ts_ns', 'ts_ns', 'ns', 'first window start of the session window, UTC'),
    col('session_end_ts_ns', 'ts_ns', 'ns', 'end of the session window (exclusive), UTC'),
    col('tick_int', 'i64', '1e-9 USD', 'tick size in price units'),
    col('config_json', 'utf8', '', 'resolved instrument/session configuration (JSON)'),
    col('params_hash', 'utf8', '', 'hash of the model parameter file used for gold'),
    col('pipeline_version', 'utf8', '', 'version of the pipeline code that built the dataset'),
    col('rows_json', 'utf8', '', 'row counts per table (JSON)'),
    col('timings_json', 'utf8', '', 'seconds per stage (JSON)'),
    col('status', 'utf8', '', "'building', 'ready' or 'failed'"),
    col('created_at', 'utf8', '', 'ISO-8601 time the build started'),
    col('lookup_key', 'utf8', '', 'hash of (source path, size, mtime, resolved config, params, pipeline version): finds a cached build before the file is hashed; a hit is then confirmed by source_sha256'),
  ],
  key: ['dataset_id'],
};
