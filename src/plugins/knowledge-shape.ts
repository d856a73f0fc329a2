// Checks the optional knowledge a provider adapter declares (prices, model groups, key patterns, rate-limit headers),
// so a plugin's bad table is refused at start-up, not met as a wrong charge or a missed redaction later.
import { MICRO_PLACES, scaledExactly } from "./exact-decimal.ts";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const isStringList = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === "string" && item !== "");

/** A non-negative USD amount per million tokens that is a whole number of micro-USD (money math is exact on it). */
function isPerMtok(value: unknown): boolean {
  return typeof value === "number" && value >= 0 && scaledExactly(value, MICRO_PLACES) !== undefined;
}

function priceProblems(prices: unknown): string[] {
  if (!isRecord(prices)) return ["'prices' must be an object: model id -> { input_per_mtok, output_per_mtok }"];
  const problems: string[] = [];
  const optional = (value: unknown) => value === undefined || isPerMtok(value);
  for (const [model, price] of Object.entries(prices)) {
    const ok =
      isRecord(price) && isPerMtok(price.input_per_mtok) && isPerMtok(price.output_per_mtok) &&
      optional(price.cache_read_per_mtok) && optional(price.cache_write_per_mtok);
    if (!ok) {
      problems.push(
        `'prices.${model}' must be { input_per_mtok, output_per_mtok, cache_read_per_mtok?, cache_write_per_mtok? }, each USD >= 0 with at most six decimals`,
      );
    }
  }
  return problems;
}

function groupProblems(groups: unknown): string[] {
  if (!isRecord(groups)) return ["'modelGroups' must be an object: group name -> model id"];
  return Object.entries(groups)
    .filter(([, model]) => typeof model !== "string" || model === "")
    .map(([group]) => `'modelGroups.${group}' must be a model id (a non-empty string)`);
}

function keyPatternProblems(patterns: unknown): string[] {
  if (!Array.isArray(patterns)) return ["'keyPatterns' must be an array of RegExp"];
  return patterns.flatMap((pattern, index) => {
    if (!(pattern instanceof RegExp)) return [`'keyPatterns[${index}]' must be a RegExp`];
    return new RegExp(pattern.source, pattern.flags.replace("g", "")).test("") ? [`'keyPatterns[${index}]' must not match empty text`] : [];
  });
}

function rateLimitProblems(headers: unknown): string[] {
  if (!isRecord(headers)) return ["'rateLimitHeaders' must be an object { remainingRequests?, remainingTokens? }"];
  const problems: string[] = [];
  for (const [field, names] of Object.entries(headers)) {
    if (field !== "remainingRequests" && field !== "remainingTokens") problems.push(`'rateLimitHeaders.${field}' is not a field keyway knows (remainingRequests, remainingTokens)`);
    else if (!isStringList(names)) problems.push(`'rateLimitHeaders.${field}' must be an array of header names`);
  }
  return problems;
}

function keySettingProblems(names: unknown): string[] {
  return Array.isArray(names) && names.every((name) => typeof name === "string" && name !== "") ? [] : ["'keySettings' must be an array of setting names"];
}

/** Every problem with the knowledge fields of a provider adapter; empty when absent or usable. */
export function knowledgeProblems(adapter: Record<string, unknown>): string[] {
  return [
    ...(adapter.prices === undefined ? [] : priceProblems(adapter.prices)),
    ...(adapter.modelGroups === undefined ? [] : groupProblems(adapter.modelGroups)),
    ...(adapter.keyPatterns === undefined ? [] : keyPatternProblems(adapter.keyPatterns)),
    ...(adapter.rateLimitHeaders === undefined ? [] : rateLimitProblems(adapter.rateLimitHeaders)),
    ...(adapter.keySettings === undefined ? [] : keySettingProblems(adapter.keySettings)),
  ];
}
