// Money settings are exact decimals: the platform markup in whole basis points, prices in whole micro-USD per
// million tokens. Anything finer is refused at load, so no money amount is ever rounded before the charge.
import { MICRO_PLACES, scaledExactly } from "../plugins/exact-decimal.ts";
import type { ConfigIssue } from "./errors.ts";

type Tree = Record<string, unknown>;

const mapping = (value: unknown): Tree | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Tree) : undefined;

/**
 * A percentage setting (`platform.markup_percent`, `platform.byok_fee_percent`) in basis points (10 % -> 1000).
 * Config validation has refused anything finer.
 */
export function markupBasisPoints(percent: number): number {
  const bps = scaledExactly(percent, 2);
  if (bps === undefined || bps < 0) throw new RangeError(`percentage ${percent} is not a whole number of basis points`);
  return bps;
}

function priceIssues(providers: Tree): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [name, provider] of Object.entries(providers)) {
    const models = mapping(provider)?.models;
    for (const [index, model] of (Array.isArray(models) ? models : []).entries()) {
      for (const field of ["input_per_mtok", "output_per_mtok", "cache_read_per_mtok", "cache_write_per_mtok"]) {
        const price = mapping(model)?.[field];
        if (typeof price === "number" && scaledExactly(price, MICRO_PLACES) === undefined) {
          issues.push({ path: `providers.${name}.models[${index}].${field}`, message: `${price} is finer than a micro-USD per million tokens; write at most six decimals` });
        }
      }
    }
  }
  return issues;
}

/** Markups finer than a basis point and prices finer than a micro-USD per million tokens. */
export function moneyPrecisionIssues(tree: Tree): ConfigIssue[] {
  const issues = priceIssues(mapping(tree.providers) ?? {});
  for (const field of ["markup_percent", "byok_fee_percent"]) {
    const percent = mapping(tree.platform)?.[field];
    if (typeof percent === "number" && percent >= 0 && scaledExactly(percent, 2) === undefined) {
      const nearest = Math.round(percent * 100) / 100;
      issues.push({ path: `platform.${field}`, message: `${percent} is finer than a basis point; write at most two decimals (like ${nearest})` });
    }
  }
  return issues;
}
