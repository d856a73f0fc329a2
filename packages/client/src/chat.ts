// chat(messages, model?, options): POST /v1/chat/completions, answered whole or as a stream of chunks.
import { type ResponseMeta, metaFrom } from "./meta.ts";
import { type InferenceOptions, type Usage, callSettings, inferenceBody, inferenceHeaders, invalidArgument, optionalModel, usageFrom } from "./options.ts";
import { KeywayStream, type StreamChunkBase } from "./stream.ts";
import type { Transport } from "./transport.ts";
import type { WireAssistantMessage, WireChatChunk, WireChatCompletion, WireToolCall, WireToolCallDelta } from "./wire.ts";

export type ContentPart =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string; detail?: "auto" | "low" | "high" } }
  | { type: string; [field: string]: unknown };

/** A message as keyway (and OpenAI) take it. */
export interface ChatMessage {
  role: "system" | "developer" | "user" | "assistant" | "tool";
  content: string | ContentPart[] | null;
  name?: string;
  tool_call_id?: string;
  tool_calls?: WireToolCall[];
}

export interface ChatTool {
  type: "function";
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
}

export interface ChatOptions extends InferenceOptions {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string | string[];
  tools?: ChatTool[];
  toolChoice?: "auto" | "none" | "required" | { type: "function"; function: { name: string } };
  /** `{type: "json_object"}` or `{type: "json_schema", json_schema: {name, schema, strict?}}`. */
  responseFormat?: Record<string, unknown>;
  /** Stream the answer: chat() then returns a ChatStream. */
  stream?: boolean;
  /** With stream: ask for the usage chunk at the end (default true). */
  includeUsage?: boolean;
}

export type ToolCall = WireToolCall;

export interface ChatResult extends ResponseMeta {
  /** The answer's text ("" when the model only called tools). */
  text: string;
  /** The assistant message as it came (append it to `messages` to go on with the conversation). */
  message: WireAssistantMessage;
  toolCalls: ToolCall[];
  finishReason: string | null;
  /** The model that answered, as the provider names it. */
  model: string;
  usage: Usage | null;
  /** keyway's JSON answer, untouched. */
  raw: WireChatCompletion;
}

export interface ChatChunk extends StreamChunkBase {
  /** Tool-call fragments: `index` says which call, `function.arguments` arrives in pieces. */
  toolCalls: WireToolCallDelta[];
  raw: WireChatChunk;
}

export type ChatStream = KeywayStream<ChatChunk>;

/** A string stands for one user message. */
function messagesOf(messages: ChatMessage[] | string): ChatMessage[] {
  if (typeof messages === "string") {
    if (messages === "") throw invalidArgument("'messages' must not be empty.", "messages");
    return [{ role: "user", content: messages }];
  }
  if (!Array.isArray(messages) || messages.length === 0) throw invalidArgument("'messages' must be a non-empty list of messages (or a string).", "messages");
  return messages;
}

function chatBody(messages: ChatMessage[] | string, model: string | undefined, options: ChatOptions, stream: boolean) {
  const fields: Record<string, unknown> = {
    model: optionalModel(model),
    messages: messagesOf(messages),
    temperature: options.temperature,
    top_p: options.topP,
    max_tokens: options.maxTokens,
    stop: options.stop,
    tools: options.tools,
    tool_choice: options.toolChoice,
    response_format: options.responseFormat,
  };
  if (stream) {
    fields.stream = true;
    if (options.includeUsage !== false) fields.stream_options = { include_usage: true };
  }
  return inferenceBody(fields, options);
}

export function chatChunk(data: unknown): ChatChunk | undefined {
  const raw = data as WireChatChunk;
  if (typeof raw !== "object" || raw === null || !Array.isArray(raw.choices)) return undefined;
  const choice = raw.choices[0];
  return {
    text: choice?.delta?.content ?? "",
    toolCalls: choice?.delta?.tool_calls ?? [],
    finishReason: choice?.finish_reason ?? null,
    usage: usageFrom(raw.usage),
    raw,
  };
}

export async function chatStream(transport: Transport, messages: ChatMessage[] | string, model: string | undefined, options: ChatOptions = {}): Promise<ChatStream> {
  const body = chatBody(messages, model, options, true);
  return transport.send(
    { method: "POST", path: "/v1/chat/completions", body, headers: inferenceHeaders(options), ...callSettings(options), stream: true },
    async (response) => new KeywayStream(response, chatChunk),
  );
}

export async function chat(transport: Transport, messages: ChatMessage[] | string, model: string | undefined, options: ChatOptions = {}): Promise<ChatResult> {
  const body = chatBody(messages, model, options, false);
  const { body: raw, response } = await transport.json<WireChatCompletion>({
    method: "POST",
    path: "/v1/chat/completions",
    body,
    headers: inferenceHeaders(options),
    ...callSettings(options),
  });
  const choice = raw.choices?.[0];
  const message: WireAssistantMessage = choice?.message ?? { role: "assistant", content: null };
  const usage = usageFrom(raw.usage);
  return {
    ...metaFrom(response, usage?.costUsd ?? null),
    text: typeof message.content === "string" ? message.content : "",
    message,
    toolCalls: message.tool_calls ?? [],
    finishReason: choice?.finish_reason ?? null,
    model: raw.model,
    usage,
    raw,
  };
}
