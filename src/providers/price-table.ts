// Writes a built-in adapter's price list compactly: model id -> [input, output, cache read?, cache write?] USD per
// million tokens (a cache rate left out is priced as input).
import type { ModelPrice } from "../plugins/sdk.ts";

type Row = readonly [input: number, output: number, cacheRead?: number, cacheWrite?: number];

export function perMtok(table: Record<string, Row>): Record<string, ModelPrice> {
  return Object.fromEntries(
    Object.entries(table).map(([model, [input, output, cacheRead, cacheWrite]]) => {
      const price: ModelPrice = { input_per_mtok: input, output_per_mtok: output };
      if (cacheRead !== undefined) price.cache_read_per_mtok = cacheRead;
      if (cacheWrite !== undefined) price.cache_write_per_mtok = cacheWrite;
      return [model, price];
    }),
  );
}
