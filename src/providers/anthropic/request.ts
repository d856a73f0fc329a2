// An OpenAI chat request -> a POST /v1/messages request: parameters mapped, the unanswerable ones dropped and named.
import type { ChatRequest, ProviderContext, ToolChoice, ToolDefinition, UpstreamRequest } from "../../plugins/sdk.ts";
import { applyResponseFormat } from "./json-output.ts";
import { cacheControlOf, translateMessages } from "./messages.ts";
import { refusesTemperatureWithTopP } from "./models.ts";
import { ANTHROPIC_VERSION, type AnthropicTool, type AnthropicToolChoice } from "./types.ts";

/** Anthropic requires max_tokens; when the client gives neither max_tokens nor max_completion_tokens, keyway asks for this. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/** The highest temperature Anthropic accepts (OpenAI allows up to 2). */
export const ANTHROPIC_MAX_TEMPERATURE = 1;

/** OpenAI parameters translated below; they never pass through as they are. */
const TRANSLATED = new Set([
  "model", "messages", "stream", "stream_options", "max_tokens", "max_completion_tokens", "temperature",
  "top_p", "stop", "tools", "tool_choice", "parallel_tool_calls", "user", "response_format",
]);

/**
 * Known OpenAI parameters the Messages API cannot honour. They are removed; they are named in `dropped`
 * unless they hold OpenAI's own default (which asks for nothing): `n: 1`, `logprobs: false`, ...
 */
const UNSUPPORTED: Readonly<Record<string, unknown>> = {
  n: 1,
  logprobs: false,
  top_logprobs: undefined,
  presence_penalty: 0,
  frequency_penalty: 0,
  seed: undefined,
  logit_bias: undefined,
  functions: undefined,
  function_call: undefined,
  modalities: undefined,
  audio: undefined,
  prediction: undefined,
  reasoning_effort: undefined,
  service_tier: undefined,
  store: false,
  metadata: undefined,
  web_search_options: undefined,
  verbosity: undefined,
};

function asksForSomething(name: string, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  const neutral = UNSUPPORTED[name];
  if (typeof neutral === "object" && neutral !== null) return JSON.stringify(value) !== JSON.stringify(neutral);
  return value !== neutral;
}

export function anthropicHeaders(ctx: ProviderContext): Record<string, string> {
  const version = ctx.options.anthropic_version;
  const beta = ctx.options.anthropic_beta;
  const headers: Record<string, string> = {
    "x-api-key": ctx.apiKey,
    "anthropic-version": typeof version === "string" ? version : ANTHROPIC_VERSION,
  };
  if (typeof beta === "string") headers["anthropic-beta"] = beta;
  else if (Array.isArray(beta)) headers["anthropic-beta"] = beta.filter((b) => typeof b === "string").join(",");
  return headers;
}

function translateTools(tools: readonly ToolDefinition[]): AnthropicTool[] {
  return tools.map((tool, i) => {
    if (tool.type !== "function" || typeof tool.function?.name !== "string") {
      throw new Error(`tools[${i}]: only tools of type 'function' can be sent to Anthropic`);
    }
    const { name, description, parameters } = tool.function;
    const translated: AnthropicTool = { name, input_schema: parameters ?? { type: "object", properties: {} } };
    if (description !== undefined) translated.description = description;
    // A cache breakpoint on a tool caches the tool list up to it.
    const cache = cacheControlOf(tool) ?? cacheControlOf(tool.function);
    if (cache) translated.cache_control = cache;
    return translated;
  });
}

function translateToolChoice(choice: ToolChoice | undefined, parallel: unknown): AnthropicToolChoice | undefined {
  let translated: AnthropicToolChoice | undefined;
  if (choice === undefined || choice === null || choice === "auto") translated = { type: "auto" };
  else if (choice === "required") translated = { type: "any" };
  else if (choice === "none") return { type: "none" };
  else if (typeof choice === "object" && choice.type === "function" && typeof choice.function?.name === "string") {
    translated = { type: "tool", name: choice.function.name };
  } else throw new Error("tool_choice must be 'auto', 'required', 'none' or {type: 'function', function: {name}}");
  if (parallel === false) return { ...translated, disable_parallel_tool_use: true };
  // Anthropic's default is auto: say nothing unless the client asked for something else.
  return choice === undefined || choice === null ? undefined : translated;
}

function stopSequences(stop: ChatRequest["stop"]): string[] | undefined {
  if (stop === undefined || stop === null) return undefined;
  const list = typeof stop === "string" ? [stop] : stop;
  return list.length > 0 ? list : undefined;
}

export function buildMessagesBody(request: ChatRequest, ctx: ProviderContext): { body: Record<string, unknown>; dropped: string[] } {
  const dropped: string[] = [];
  const { system, messages } = translateMessages(request.messages);
  const body: Record<string, unknown> = {
    model: ctx.model,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    messages,
  };
  if (system !== undefined) body.system = system;
  if (typeof request.temperature === "number") {
    // Decision: OpenAI's 0-2 scale is not rescaled (that would change every value the client chose);
    // values above Anthropic's maximum are clamped to 1, and since the client's value was not honoured
    // as given, `temperature` is named in the dropped-parameters header. Values 0-1 pass unchanged.
    body.temperature = Math.min(request.temperature, ANTHROPIC_MAX_TEMPERATURE);
    if (request.temperature > ANTHROPIC_MAX_TEMPERATURE) dropped.push("temperature");
  }
  if (typeof request.top_p === "number") {
    // Claude Opus 4.1 and later refuse the pair: temperature is kept, top_p is dropped and named.
    if (typeof body.temperature === "number" && refusesTemperatureWithTopP(ctx.model)) dropped.push("top_p");
    else body.top_p = request.top_p;
  }
  const stop = stopSequences(request.stop);
  if (stop) body.stop_sequences = stop;
  if (request.tools && request.tools.length > 0) {
    body.tools = translateTools(request.tools);
    const choice = translateToolChoice(request.tool_choice, request.parallel_tool_calls);
    if (choice) body.tool_choice = choice;
  }
  applyResponseFormat(request, ctx, body);
  if (typeof request.user === "string" && request.user !== "") body.metadata = { user_id: request.user };
  if (ctx.stream) body.stream = true;
  for (const [name, value] of Object.entries(request)) {
    if (TRANSLATED.has(name)) continue;
    if (name in UNSUPPORTED) {
      if (asksForSomething(name, value)) dropped.push(name);
      continue;
    }
    // Parameters keyway does not know (Anthropic's own, like top_k or thinking) pass through unchanged.
    if (!(name in body)) body[name] = value;
  }
  return { body, dropped };
}

export function toMessagesRequest(request: ChatRequest, ctx: ProviderContext): UpstreamRequest {
  const { body, dropped } = buildMessagesBody(request, ctx);
  return {
    url: `${ctx.baseUrl}/v1/messages`,
    method: "POST",
    headers: { ...anthropicHeaders(ctx), "content-type": "application/json" },
    body: JSON.stringify(body),
    dropped: dropped.length > 0 ? dropped : undefined,
  };
}
