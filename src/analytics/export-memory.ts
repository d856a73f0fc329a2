// Keeps a long export's memory flat. Each page of rows leaves garbage (row objects, cells, the page's text) that
// the collector, left to its own pace, lets pile up (a million-row export grew keyway's RSS by about 90 MB); a full
// collection every 25,000 rows holds it to about 30 MB above where it started (bench/ scenario h; every 50,000 rows
// measured 36 to 46 MB, too near the 50 MB target). Each collection pauses the gateway for a few ms, so they stay
// rare: 40 for a million rows. (Every 8,000 rows held it to 10 MB at 125 pauses per million rows; an asynchronous
// collection request barely helped: 65 MB.)

/** Rows between two forced collections. */
export const ROWS_PER_COLLECTION = 25_000;

/** Returns a function to call after each page with its row count; it forces a collection every `rowsPerCollection` rows. */
export function garbageCollector(rowsPerCollection = ROWS_PER_COLLECTION, collect: () => void = () => Bun.gc(true)): (rows: number) => void {
  let since = 0;
  return (rows: number) => {
    since += rows;
    if (since < rowsPerCollection) return;
    since -= rowsPerCollection;
    collect();
  };
}
