// OpenAI chat request -> Cohere v2 /v2/chat body: messages, tools, tool_choice, sampling and output options.
// Parameters keyway does not know are passed through (`k`, `safety_mode`, `documents`, `thinking`, ...).
import type { ChatMessage, ChatRequest, ContentPart, ProviderContext, ToolChoice, UpstreamRequest } from "../../plugins/sdk.ts";
import { type CohereContentPart, type CohereMessage, type CohereTool, isRecord } from "./wire.ts";

/** OpenAI parameters this function translates itself (or consumes: `stream_options` is keyway's business). */
const TRANSLATED = new Set([
  "model", "messages", "stream", "stream_options", "tools", "tool_choice", "max_tokens", "max_completion_tokens",
  "top_p", "stop", "response_format",
]);

/** OpenAI parameters Cohere v2 has no equivalent for (or answers in a shape keyway does not translate). */
const UNSUPPORTED = [
  "n", "logit_bias", "user", "logprobs", "top_logprobs", "parallel_tool_calls", "service_tier", "store",
  "metadata", "modalities", "audio", "prediction", "reasoning_effort", "web_search_options", "functions", "function_call",
];

export function cohereHeaders(ctx: ProviderContext): Record<string, string> {
  return { authorization: `Bearer ${ctx.apiKey}`, "content-type": "application/json" };
}

function textParts(content: ChatMessage["content"]): string | CohereContentPart[] {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.flatMap((part) => (part.type === "text" && typeof part.text === "string" ? [{ type: "text" as const, text: part.text }] : []));
}

function userPart(part: ContentPart): CohereContentPart {
  if (part.type === "text" && typeof part.text === "string") return { type: "text", text: part.text };
  if (part.type === "image_url" && isRecord(part.image_url) && typeof part.image_url.url === "string") {
    const { url, detail } = part.image_url;
    return { type: "image_url", image_url: typeof detail === "string" ? { url, detail } : { url } };
  }
  throw new Error(`Cohere does not accept '${part.type}' content parts; send text or image_url parts`);
}

function assistantMessage(message: ChatMessage): CohereMessage {
  const out: Extract<CohereMessage, { role: "assistant" }> = { role: "assistant" };
  const content = textParts(message.content);
  if (content.length > 0) out.content = content;
  if (message.tool_calls && message.tool_calls.length > 0) {
    out.tool_calls = message.tool_calls.map((call) => ({
      id: call.id,
      type: "function",
      function: { name: call.function.name, arguments: call.function.arguments },
    }));
  }
  return out;
}

export function toCohereMessage(message: ChatMessage): CohereMessage {
  switch (message.role) {
    case "system":
    case "developer":
      return { role: "system", content: textParts(message.content) };
    case "user": {
      const { content } = message;
      return { role: "user", content: Array.isArray(content) ? content.map(userPart) : (content ?? "") };
    }
    case "assistant":
      return assistantMessage(message);
    case "tool":
      if (typeof message.tool_call_id !== "string") throw new Error("a tool message needs its tool_call_id");
      return { role: "tool", tool_call_id: message.tool_call_id, content: textParts(message.content) };
    default:
      throw new Error(`Cohere does not accept '${message.role}' messages; send tool calls and tool messages instead`);
  }
}

function toCohereTools(tools: unknown[]): { tools: CohereTool[]; strict: boolean } {
  let strict = false;
  const out = tools.map((tool): CohereTool => {
    const fn = isRecord(tool) && tool.type === "function" && isRecord(tool.function) ? tool.function : undefined;
    if (!fn || typeof fn.name !== "string") {
      throw new Error("Cohere accepts only function tools: {type: 'function', function: {name, parameters}}");
    }
    if (fn.strict === true) strict = true;
    const definition: CohereTool["function"] = { name: fn.name };
    if (typeof fn.description === "string") definition.description = fn.description;
    if (isRecord(fn.parameters)) definition.parameters = fn.parameters;
    return { type: "function", function: definition };
  });
  return { tools: out, strict };
}

/** v2 forces REQUIRED or NONE; `auto` is the default; a named function cannot be forced (reported as dropped). */
function toCohereToolChoice(choice: ToolChoice | undefined): { value?: string; dropped: boolean } {
  if (choice === "required") return { value: "REQUIRED", dropped: false };
  if (choice === "none") return { value: "NONE", dropped: false };
  if (choice === undefined || choice === "auto") return { dropped: false };
  return { dropped: true };
}

function toCohereResponseFormat(format: ChatRequest["response_format"]): Record<string, unknown> | undefined {
  if (!format) return undefined;
  if (format.type === "json_schema") {
    const schema = isRecord(format.json_schema) ? format.json_schema.schema : undefined;
    return isRecord(schema) ? { type: "json_object", json_schema: schema } : { type: "json_object" };
  }
  return format;
}

export function toCohereChatBody(request: ChatRequest, ctx: ProviderContext): { body: Record<string, unknown>; dropped: string[] } {
  const dropped = UNSUPPORTED.filter((param) => param in request);
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request)) {
    if (!TRANSLATED.has(key) && !UNSUPPORTED.includes(key)) body[key] = value;
  }
  body.model = ctx.model;
  body.messages = request.messages.map(toCohereMessage);
  if (request.messages.some((message) => message.name !== undefined)) dropped.push("messages[].name");
  body.stream = ctx.stream;
  if (Array.isArray(request.tools) && request.tools.length > 0) {
    const { tools, strict } = toCohereTools(request.tools);
    body.tools = tools;
    if (strict && body.strict_tools === undefined) body.strict_tools = true;
  }
  const choice = toCohereToolChoice(request.tool_choice);
  if (choice.value) body.tool_choice = choice.value;
  if (choice.dropped) dropped.push("tool_choice");
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens !== undefined) body.max_tokens = maxTokens;
  if (request.top_p !== undefined) body.p = request.top_p;
  if (request.stop !== undefined) body.stop_sequences = typeof request.stop === "string" ? [request.stop] : request.stop;
  const format = toCohereResponseFormat(request.response_format);
  if (format) body.response_format = format;
  return { body, dropped };
}

export function toCohereChatRequest(request: ChatRequest, ctx: ProviderContext): UpstreamRequest {
  const { body, dropped } = toCohereChatBody(request, ctx);
  return {
    url: `${ctx.baseUrl}/v2/chat`,
    headers: { ...cohereHeaders(ctx), accept: ctx.stream ? "text/event-stream" : "application/json" },
    body: JSON.stringify(body),
    dropped: dropped.length > 0 ? dropped : undefined,
  };
}
