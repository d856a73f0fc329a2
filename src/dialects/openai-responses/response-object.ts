// The pieces of a Responses `response` object shared by the JSON answer and the stream's events: ids, the envelope,
// output items (message with output_text, function_call), the status a chat finish reason stands for, and usage.
import type { FinishReason, Usage } from "../../plugins/sdk.ts";

export type ResponseItem = Record<string, unknown>;
export type ResponseStatus = "in_progress" | "completed" | "incomplete" | "failed";

const hex = () => crypto.randomUUID().replaceAll("-", "");
export const newResponseId = () => `resp_${hex()}`;
export const newMessageId = () => `msg_${hex()}`;
export const newFunctionCallId = () => `fc_${hex()}`;

export function outputTextPart(text: string): Record<string, unknown> {
  return { type: "output_text", text, annotations: [], logprobs: [] };
}

export function messageItem(id: string, text: string, status: "in_progress" | "completed"): ResponseItem {
  return { id, type: "message", status, role: "assistant", content: status === "in_progress" && text === "" ? [] : [outputTextPart(text)] };
}

export function functionCallItem(id: string, callId: string, name: string, args: string, status: "in_progress" | "completed"): ResponseItem {
  return { id, type: "function_call", status, arguments: args, call_id: callId, name };
}

/** A chat finish reason as the response's status and why it is incomplete (Responses has no finish reason). */
export function statusFor(finish: FinishReason | undefined): { status: ResponseStatus; incomplete_details: { reason: string } | null } {
  if (finish === "length") return { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } };
  if (finish === "content_filter") return { status: "incomplete", incomplete_details: { reason: "content_filter" } };
  return { status: "completed", incomplete_details: null };
}

const count = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : 0);

/** Chat usage in the Responses shape: input/output tokens with their cache (read, write) and reasoning details. */
export function responsesUsage(usage: Usage): Record<string, unknown> {
  const completionDetails = usage.completion_tokens_details as { reasoning_tokens?: unknown } | undefined;
  return {
    input_tokens: count(usage.prompt_tokens),
    input_tokens_details: { cached_tokens: count(usage.prompt_tokens_details?.cached_tokens), cache_write_tokens: count(usage.prompt_tokens_details?.cache_write_tokens) },
    output_tokens: count(usage.completion_tokens),
    output_tokens_details: { reasoning_tokens: count(completionDetails?.reasoning_tokens) },
    total_tokens: count(usage.total_tokens),
  };
}

export interface Envelope {
  id: string;
  createdAt: number;
  model: string;
  status: ResponseStatus;
  output: ResponseItem[];
  incompleteDetails?: { reason: string } | null;
  error?: { code: string; message: string } | null;
  usage?: Record<string, unknown> | null;
}

/**
 * The whole `response` object. The request's settings are not repeated (keyway answers from the translated call):
 * the echo fields hold Responses' defaults.
 */
export function responseObject(envelope: Envelope): Record<string, unknown> {
  return {
    id: envelope.id,
    object: "response",
    created_at: envelope.createdAt,
    status: envelope.status,
    ...(envelope.status === "completed" ? { completed_at: Math.floor(Date.now() / 1000) } : {}),
    error: envelope.error ?? null,
    incomplete_details: envelope.incompleteDetails ?? null,
    instructions: null,
    max_output_tokens: null,
    model: envelope.model,
    output: envelope.output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: null,
    text: { format: { type: "text" } },
    tool_choice: "auto",
    tools: [],
    top_p: null,
    truncation: "disabled",
    usage: envelope.usage ?? null,
    metadata: {},
  };
}
