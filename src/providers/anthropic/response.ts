// A Messages API answer -> an OpenAI chat.completion; the stop-reason and usage mappings the stream shares.
import type { ChatCompletion, FinishReason, ToolCall, Usage } from "../../plugins/sdk.ts";
import type { AnthropicResponse, AnthropicUsage } from "./types.ts";

const FINISH_REASONS: Readonly<Record<string, FinishReason>> = {
  end_turn: "stop",
  stop_sequence: "stop",
  // A paused server-tool turn ends this answer normally; the client may send it back to continue.
  pause_turn: "stop",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  tool_use: "tool_calls",
  refusal: "content_filter",
};

export function finishReasonOf(stopReason: string | null | undefined): FinishReason {
  if (stopReason === null || stopReason === undefined) return null;
  return FINISH_REASONS[stopReason] ?? "stop";
}

const count = (value: number | null | undefined): number => (typeof value === "number" ? value : 0);

/**
 * Anthropic counts cached input apart; OpenAI's prompt_tokens includes it: cached_tokens says how much was read from
 * the cache, cache_write_tokens how much was written to it (each priced at its own rate). Thinking is in output_tokens.
 */
export function usageOf(usage: AnthropicUsage): Usage {
  const cacheRead = count(usage.cache_read_input_tokens);
  const cacheWrite = count(usage.cache_creation_input_tokens);
  const prompt = count(usage.input_tokens) + cacheRead + cacheWrite;
  const completion = count(usage.output_tokens);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cacheRead, cache_write_tokens: cacheWrite },
  };
}

/** An answer given through the JSON tool alone ends normally, not with tool_calls. */
function answeredInJson(stopReason: string | null, jsonAnswer: string | undefined, toolCalls: ToolCall[]): FinishReason | undefined {
  return stopReason === "tool_use" && jsonAnswer !== undefined && toolCalls.length === 0 ? "stop" : undefined;
}

function isAnthropicResponse(json: unknown): json is AnthropicResponse {
  if (typeof json !== "object" || json === null) return false;
  const record = json as Record<string, unknown>;
  return record.type === "message" && Array.isArray(record.content);
}

/**
 * `jsonTool`: the tool that carries a JSON answer (./json-output.ts), when the request asked for one that way: its
 * input becomes the message's text (other text, a preamble, is left out) and the answer ends with `stop`.
 */
export function fromMessagesResponse(json: unknown, jsonTool?: string): ChatCompletion {
  if (!isAnthropicResponse(json)) throw new Error("expected a Messages API object of type 'message'");
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  let jsonAnswer: string | undefined;
  for (const block of json.content) {
    if (block.type === "text" && typeof block.text === "string") texts.push(block.text);
    else if (block.type === "tool_use" && jsonTool !== undefined && block.name === jsonTool) jsonAnswer ??= JSON.stringify(block.input ?? {});
    else if (block.type === "tool_use" && typeof block.id === "string" && typeof block.name === "string") {
      toolCalls.push({ id: block.id, type: "function", function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
    }
  }
  if (jsonAnswer !== undefined) texts.splice(0, texts.length, ...(toolCalls.length === 0 ? [jsonAnswer] : []));
  const message: ChatCompletion["choices"][number]["message"] = {
    role: "assistant",
    content: texts.length > 0 ? texts.join("") : null,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const completion: ChatCompletion = {
    id: json.id,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: json.model,
    choices: [{ index: 0, message, finish_reason: answeredInJson(json.stop_reason, jsonAnswer, toolCalls) ?? finishReasonOf(json.stop_reason) ?? "stop", logprobs: null }],
  };
  if (json.usage) completion.usage = usageOf(json.usage);
  return completion;
}
