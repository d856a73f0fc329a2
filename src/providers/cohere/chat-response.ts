// Cohere v2 chat answer -> OpenAI chat.completion; also the finish-reason and usage rules the stream shares.
import type { ChatCompletion, FinishReason, ProviderContext, ToolCall, Usage } from "../../plugins/sdk.ts";
import { arrayAt, isRecord, numberAt, recordAt, stringAt } from "./wire.ts";

/**
 * COMPLETE and STOP_SEQUENCE end normally, MAX_TOKENS is a cut, TOOL_CALL waits for tool results.
 * ERROR ("the generation failed due to an internal error") and TIMEOUT are upstream failures: they throw,
 * so the client gets an upstream error instead of a silently truncated answer.
 */
export function finishReasonFromCohere(reason: string | undefined, error?: string): FinishReason {
  switch (reason) {
    case "COMPLETE":
    case "STOP_SEQUENCE":
      return "stop";
    case "MAX_TOKENS":
      return "length";
    case "TOOL_CALL":
      return "tool_calls";
    case "ERROR":
    case "TIMEOUT":
      throw new Error(`Cohere ended the generation with ${reason}${error ? `: ${error}` : ""}`);
    default:
      return "stop";
  }
}

/**
 * Token counts from `usage.billed_units` (what Cohere charges: `tokens` also counts the prompt Cohere adds itself),
 * falling back to `usage.tokens`; undefined when neither is there.
 */
export function usageFromCohere(usage: unknown): Usage | undefined {
  const tokens = recordAt(usage, "tokens");
  const billed = recordAt(usage, "billed_units");
  const input = numberAt(billed, "input_tokens") ?? numberAt(tokens, "input_tokens");
  const output = numberAt(billed, "output_tokens") ?? numberAt(tokens, "output_tokens");
  if (input === undefined && output === undefined) return undefined;
  const out: Usage = { prompt_tokens: input ?? 0, completion_tokens: output ?? 0, total_tokens: (input ?? 0) + (output ?? 0) };
  const cached = numberAt(usage, "cached_tokens");
  if (cached !== undefined) out.prompt_tokens_details = { cached_tokens: cached };
  return out;
}

function toolCallsOf(message: Record<string, unknown> | undefined): ToolCall[] {
  return (arrayAt(message, "tool_calls") ?? []).flatMap((call): ToolCall[] => {
    const fn = recordAt(call, "function");
    const name = stringAt(fn, "name");
    if (!name) return [];
    return [{ id: stringAt(call, "id") ?? "", type: "function", function: { name, arguments: stringAt(fn, "arguments") ?? "{}" } }];
  });
}

/** Text parts joined; `thinking` parts and the tool plan are not content. */
function textOf(message: Record<string, unknown> | undefined): string {
  const content = message?.content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part) => (isRecord(part) && part.type === "text" ? (stringAt(part, "text") ?? "") : "")).join("");
}

export function fromCohereChat(json: unknown, ctx: ProviderContext): ChatCompletion {
  if (!isRecord(json)) throw new Error("the answer is not a JSON object");
  const message = recordAt(json, "message");
  const toolCalls = toolCallsOf(message);
  const text = textOf(message);
  const finish = finishReasonFromCohere(stringAt(json, "finish_reason"));
  const completion: ChatCompletion = {
    id: stringAt(json, "id") ?? `chatcmpl-${crypto.randomUUID()}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: ctx.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: text === "" && toolCalls.length > 0 ? null : text,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: finish,
        logprobs: null,
      },
    ],
  };
  const usage = usageFromCohere(json.usage);
  if (usage) completion.usage = usage;
  return completion;
}
