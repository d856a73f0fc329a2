// Estimates a request's tokens and cost before the call, to reserve budgets and credits.
import type { EndpointName } from "../plugins/sdk.ts";
import type { Price } from "../usage/prices.ts";
import { costMicros } from "../usage/prices.ts";

export interface Estimate {
  inputTokens: number;
  outputTokens: number;
  /** At list price, micro-USD. */
  listMicros: number;
}

/** About four characters a token: the usual rule of thumb for English text and JSON. */
export function estimateTokens(body: Record<string, unknown>): number {
  const text = JSON.stringify(body.messages ?? body.prompt ?? body.input ?? "");
  return Math.max(1, Math.ceil(text.length / 4));
}

export function estimateRequest(endpoint: EndpointName, body: Record<string, unknown>, price: Price | undefined, defaultOutput: number): Estimate {
  const inputTokens = estimateTokens(body);
  const asked = typeof body.max_completion_tokens === "number" ? body.max_completion_tokens : typeof body.max_tokens === "number" ? body.max_tokens : undefined;
  const outputTokens = endpoint === "embeddings" ? 0 : (asked ?? defaultOutput);
  return { inputTokens, outputTokens, listMicros: costMicros(price, inputTokens, outputTokens) };
}
