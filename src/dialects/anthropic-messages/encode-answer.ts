// An internal chat.completion -> Anthropic's `message` object: text and tool_use content blocks, stop_reason,
// usage in Anthropic's counters, and keyway's additions (usage.cost in USD, byok_api_key) as in its OpenAI answers.
import type { AnswerMeta } from "../../core/dialect.ts";
import type { ChatCompletion, ToolCall } from "../../plugins/sdk.ts";
import { microsToUsd } from "../../usage/money.ts";
import { anthropicUsage, stopReasonOf } from "./wire.ts";

type Choice = ChatCompletion["choices"][number];

/** A tool call's arguments as the tool_use block's input object (arguments that are not a JSON object: empty). */
export function toolInput(args: string | undefined): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(args || "{}");
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function contentBlocks(message: Choice["message"] | undefined): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [];
  const text = message?.content;
  if (typeof text === "string" && text !== "") blocks.push({ type: "text", text });
  for (const call of (message?.tool_calls ?? []) as ToolCall[]) {
    blocks.push({ type: "tool_use", id: call.id, name: call.function.name, input: toolInput(call.function.arguments) });
  }
  return blocks;
}

export function encodeMessageAnswer(result: Record<string, unknown>, meta: AnswerMeta): Record<string, unknown> {
  const completion = result as unknown as ChatCompletion;
  const choice = completion.choices?.[0];
  return {
    id: completion.id,
    type: "message",
    role: "assistant",
    model: completion.model,
    content: contentBlocks(choice?.message),
    stop_reason: stopReasonOf(choice?.finish_reason),
    stop_sequence: null,
    usage: { ...anthropicUsage(completion.usage), cost: microsToUsd(meta.chargedMicros) },
    byok_api_key: meta.byok,
  };
}
