// Estimates a request's tokens and cost before the call, to reserve budgets and credits: an upper bound, so a
// reservation covers the call (the prompt by its UTF-8 bytes, the output by max_tokens); and, for a stream that
// ends without usage, a typical count to charge.
import type { EndpointName } from "../plugins/sdk.ts";
import type { Price } from "../usage/prices.ts";
import { costMicros } from "../usage/prices.ts";

export interface Estimate {
  inputTokens: number;
  outputTokens: number;
  /** At list price, micro-USD. */
  listMicros: number;
}

/**
 * A typical prompt token count, for usage a provider did not report: about four characters a token for ASCII
 * (English, code, JSON), one token a character for everything else (CJK and other dense scripts).
 */
export function estimateTokens(body: Record<string, unknown>): number {
  const text = JSON.stringify(body.messages ?? body.prompt ?? body.input ?? "");
  let ascii = 0;
  let other = 0;
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) ascii++;
    else other++;
  }
  return Math.max(1, Math.ceil(ascii / 4) + other);
}

/**
 * No fewer prompt tokens than a provider will count for the request's text: its whole body's UTF-8 bytes
 * (messages, tools, schemas), since a tokenizer makes at most one token a byte. Media a provider fetches from a URL
 * count only for the URL's bytes.
 */
export function promptTokensBound(body: Record<string, unknown>): number {
  return Math.max(1, Buffer.byteLength(JSON.stringify(body), "utf8"));
}

const positiveInteger = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) && value >= 1 ? Math.ceil(value) : undefined;

/** The most output tokens the request allows: max_tokens (or the default) for each of its `n` choices. */
export function outputTokensBound(endpoint: EndpointName, body: Record<string, unknown>, defaultOutput: number): number {
  if (endpoint === "embeddings" || endpoint === "moderations") return 0;
  const perChoice = positiveInteger(body.max_completion_tokens) ?? positiveInteger(body.max_tokens) ?? defaultOutput;
  const choices = Math.max(positiveInteger(body.n) ?? 1, positiveInteger(body.best_of) ?? 1);
  return perChoice * choices;
}

export function estimateRequest(endpoint: EndpointName, body: Record<string, unknown>, price: Price | undefined, defaultOutput: number): Estimate {
  const inputTokens = promptTokensBound(body);
  const outputTokens = outputTokensBound(endpoint, body, defaultOutput);
  return { inputTokens, outputTokens, listMicros: costMicros(price, inputTokens, outputTokens) };
}
