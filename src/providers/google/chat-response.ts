// A Gemini GenerateContentResponse -> an OpenAI chat completion: candidates to choices, function calls to
// tool calls, finish reasons, usage. The finish-reason and usage rules are shared with the stream translator.
import type { ChatCompletion, FinishReason, ProviderContext, ToolCall, Usage } from "../../plugins/sdk.ts";
import type { GeminiCandidate, GeminiFunctionCall, GeminiPart, GeminiUsageMetadata } from "./wire.ts";
import { asGeminiResponse } from "./wire.ts";

/** Gemini's reasons for stopping that mean a filter cut the answer short. */
const FILTERED = new Set([
  "SAFETY",
  "RECITATION",
  "BLOCKLIST",
  "PROHIBITED_CONTENT",
  "SPII",
  "IMAGE_SAFETY",
  "IMAGE_PROHIBITED_CONTENT",
  "IMAGE_RECITATION",
]);

export function finishReasonOf(reason: string, calledTools: boolean): FinishReason {
  if (reason === "MAX_TOKENS") return "length";
  if (FILTERED.has(reason)) return "content_filter";
  return calledTools ? "tool_calls" : "stop";
}

export function usageOf(meta: GeminiUsageMetadata | undefined): Usage | undefined {
  if (!meta) return undefined;
  const prompt = (meta.promptTokenCount ?? 0) + (meta.toolUsePromptTokenCount ?? 0);
  const thoughts = meta.thoughtsTokenCount ?? 0;
  // Thinking tokens are billed as output, as OpenAI counts reasoning tokens in completion_tokens.
  const completion = (meta.candidatesTokenCount ?? 0) + thoughts;
  const usage: Usage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: meta.totalTokenCount ?? prompt + completion,
    prompt_tokens_details: { cached_tokens: meta.cachedContentTokenCount ?? 0 },
  };
  if (thoughts > 0) usage.completion_tokens_details = { reasoning_tokens: thoughts };
  return usage;
}

/** `call_<n>` unless Gemini gave the call an id of its own. */
export function toolCallOf(call: GeminiFunctionCall, n: number): ToolCall {
  return {
    id: call.id ?? `call_${n}`,
    type: "function",
    function: { name: call.name, arguments: JSON.stringify(call.args ?? {}) },
  };
}

/** Answer text: the non-thought text parts, in order. */
export function visibleText(parts: readonly GeminiPart[]): string {
  return parts.map((part) => (typeof part.text === "string" && part.thought !== true ? part.text : "")).join("");
}

function choiceOf(candidate: GeminiCandidate, position: number): ChatCompletion["choices"][number] {
  const parts = candidate.content?.parts ?? [];
  const text = visibleText(parts);
  const calls = parts.flatMap((part) => (part.functionCall ? [part.functionCall] : [])).map(toolCallOf);
  const message: ChatCompletion["choices"][number]["message"] = { role: "assistant", content: text === "" ? null : text };
  if (calls.length > 0) message.tool_calls = calls;
  return {
    index: candidate.index ?? position,
    message,
    finish_reason: finishReasonOf(candidate.finishReason ?? "STOP", calls.length > 0),
    logprobs: null,
  };
}

export function newCompletionId(): string {
  return `chatcmpl-${crypto.randomUUID().replaceAll("-", "")}`;
}

export function toChatCompletion(json: unknown, ctx: ProviderContext): ChatCompletion {
  const response = asGeminiResponse(json);
  const candidates = response.candidates ?? [];
  let choices = candidates.map(choiceOf);
  if (choices.length === 0) {
    // The prompt itself was blocked: Gemini sends promptFeedback.blockReason and no candidates.
    if (!response.promptFeedback?.blockReason) throw new Error("Gemini answered with no candidates and no block reason");
    choices = [{ index: 0, message: { role: "assistant", content: null }, finish_reason: "content_filter", logprobs: null }];
  }
  const completion: ChatCompletion = {
    id: response.responseId ?? newCompletionId(),
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: response.modelVersion ?? ctx.model,
    choices,
  };
  const usage = usageOf(response.usageMetadata);
  if (usage) completion.usage = usage;
  return completion;
}
