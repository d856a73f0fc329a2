// Writes a built-in adapter's price list compactly: model id -> [input, output] USD per million tokens.
import type { ModelPrice } from "../plugins/sdk.ts";

export function perMtok(table: Record<string, readonly [input: number, output: number]>): Record<string, ModelPrice> {
  return Object.fromEntries(Object.entries(table).map(([model, [input, output]]) => [model, { input_per_mtok: input, output_per_mtok: output }]));
}
