// What the Anthropic dialect's encoders share: stop reasons and usage in Anthropic's terms, and the SSE event frame.
import type { Usage } from "../../plugins/sdk.ts";

const STOP_REASONS: Readonly<Record<string, string>> = {
  stop: "end_turn",
  length: "max_tokens",
  tool_calls: "tool_use",
  function_call: "tool_use",
  content_filter: "refusal",
};

/** An OpenAI finish_reason as Anthropic's stop_reason (a finished answer without one ended its turn). */
export function stopReasonOf(finishReason: string | null | undefined): string {
  return (finishReason && STOP_REASONS[finishReason]) || "end_turn";
}

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

const count = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? value : 0);

/**
 * OpenAI's usage in Anthropic's terms: OpenAI's prompt_tokens includes cached input, Anthropic counts cache reads
 * and writes apart from input_tokens.
 */
export function anthropicUsage(usage: Usage | undefined): AnthropicUsage {
  const details = usage?.prompt_tokens_details;
  const cacheRead = count(details?.cached_tokens);
  const cacheWrite = count(details?.cache_write_tokens);
  return {
    input_tokens: Math.max(0, count(usage?.prompt_tokens) - cacheRead - cacheWrite),
    output_tokens: count(usage?.completion_tokens),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  };
}

const encoder = new TextEncoder();

/** One SSE event as Anthropic frames it: the event name, and its JSON (whose `type` is the same name). */
export function sseEvent<E extends { type: string }>(data: E): string {
  return `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

export const bytes = (text: string): Uint8Array => encoder.encode(text);
