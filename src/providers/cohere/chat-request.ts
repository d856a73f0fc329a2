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

/**
 * v2 forces REQUIRED or NONE; `auto` is the default. v2 cannot name a function, so a named one is forced by offering
 * that tool alone with REQUIRED (`only`); a name no tool has is refused.
 */
function toCohereToolChoice(choice: ToolChoice | undefined, tools: readonly CohereTool[]): { value?: string; only?: string } {
  if (choice === "required") return { value: "REQUIRED" };
  if (choice === "none") return { value: "NONE" };
  if (choice === undefined || choice === null || choice === "auto") return {};
  const name = typeof choice === "object" && isRecord(choice.function) ? choice.function.name : undefined;
  if (typeof name !== "string") throw new Error("tool_choice must be 'auto', 'required', 'none' or {type: 'function', function: {name}}");
  if (!tools.some((tool) => tool.function.name === name)) throw new Error(`tool_choice names '${name}', which is not one of the tools`);
  return { value: "REQUIRED", only: name };
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
  let tools: CohereTool[] = [];
  if (Array.isArray(request.tools) && request.tools.length > 0) {
    const translated = toCohereTools(request.tools);
    tools = translated.tools;
    body.tools = tools;
    if (translated.strict && body.strict_tools === undefined) body.strict_tools = true;
  }
  const choice = toCohereToolChoice(request.tool_choice, tools);
  if (choice.value && tools.length > 0) body.tool_choice = choice.value;
  if (choice.only) body.tools = tools.filter((tool) => tool.function.name === choice.only);
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
