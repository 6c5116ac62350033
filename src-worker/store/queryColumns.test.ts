// queryColumns reads a whole result even when another statement runs on the same connection
// while it is being read. A streaming DuckDB result is cut short, silently, by the next
// statement on its connection (measured: 2,048 of 200,000 rows); the engine shares its
// read-write connection between the ingest and the forecasts' feature-row reads, and a cancel
// during a build produced "forecast.failed: column window_end_s did not come back as doubles".
import { describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, queryColumns } from './database';

describe('queryColumns', () => {
  it('returns every row when another statement runs on its connection meanwhile', async () => {
    const db = await openDatabase(':memory:');
    try {
      await db.conn.run('CREATE TABLE t AS SELECT range::DOUBLE AS x FROM range(200000)');
      // Statements on the same connection all the while the result is read.
      let reading = true;
      const noise = (async () => {
        for (let k = 0; reading; k++) await db.conn.run(k % 2 ? 'SELECT 42' : 'BEGIN; CREATE TABLE u AS SELECT 1 AS y; ROLLBACK');
      })();
      const r = await queryColumns(db, 'SELECT x FROM t ORDER BY x');
      reading = false;
      await noise;
      expect(r.rowCount).toBe(200_000);
      const x = r.columns.x as Float64Array;
      expect(x).toBeInstanceOf(Float64Array);
      expect(x[199_999]).toBe(199_999);
    } finally {
      await closeDatabase(db);
    }
  });
});
