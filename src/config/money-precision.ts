// Money settings are exact decimals: the platform markup in whole basis points, prices in whole micro-USD per
// million tokens. Anything finer is refused at load, so no money amount is ever rounded before the charge.
import { MICRO_PLACES, scaledExactly } from "../plugins/exact-decimal.ts";
import type { ConfigIssue } from "./errors.ts";

type Tree = Record<string, unknown>;

const mapping = (value: unknown): Tree | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Tree) : undefined;

/** `platform.markup_percent` in basis points (10 % -> 1000). Config validation has refused anything finer. */
export function markupBasisPoints(percent: number): number {
  const bps = scaledExactly(percent, 2);
  if (bps === undefined || bps < 0) throw new RangeError(`markup_percent ${percent} is not a whole number of basis points`);
  return bps;
}

function priceIssues(providers: Tree): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [name, provider] of Object.entries(providers)) {
    const models = mapping(provider)?.models;
    for (const [index, model] of (Array.isArray(models) ? models : []).entries()) {
      for (const field of ["input_per_mtok", "output_per_mtok"]) {
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
  const markup = mapping(tree.platform)?.markup_percent;
  if (typeof markup === "number" && markup >= 0 && scaledExactly(markup, 2) === undefined) {
    const nearest = Math.round(markup * 100) / 100;
    issues.push({ path: "platform.markup_percent", message: `${markup} is finer than a basis point; write at most two decimals (like ${nearest})` });
  }
  return issues;
}
