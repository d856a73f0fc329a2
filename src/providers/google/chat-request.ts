// An OpenAI chat request -> a Gemini generateContent / streamGenerateContent request: generation settings,
// tools and tool choice, response formats; what Gemini cannot honour is dropped and named.
import { invalidRequest } from "../../core/errors.ts";
import type { ChatRequest, ProviderContext, ToolDefinition, UpstreamRequest } from "../../plugins/sdk.ts";
import { toGeminiConversation } from "./chat-messages.ts";
import { toGeminiSchema } from "./schema.ts";
import { bareModel, googleHeaders, isRecord, modelMethodUrl } from "./wire.ts";

/** OpenAI parameters translated below (or, like stream_options, made moot: Gemini always reports usage). */
const TRANSLATED = new Set([
  "model",
  "messages",
  "stream",
  "stream_options",
  "max_tokens",
  "max_completion_tokens",
  "temperature",
  "top_p",
  "top_k",
  "stop",
  "n",
  "presence_penalty",
  "frequency_penalty",
  "seed",
  "response_format",
  "tools",
  "tool_choice",
  "functions",
  "function_call",
  "parallel_tool_calls",
  "generationConfig",
]);

/** OpenAI parameters Gemini has no counterpart for (or keyway does not translate): removed and reported. */
const UNSUPPORTED = new Set([
  "user",
  "logit_bias",
  "logprobs",
  "top_logprobs",
  "metadata",
  "store",
  "service_tier",
  "modalities",
  "audio",
  "prediction",
  "reasoning_effort",
  "web_search_options",
  "verbosity",
  "safety_identifier",
  "prompt_cache_key",
]);

/** Gemini 3 and later: the models that insist on thought signatures for replayed function calls. */
export function needsSignatureSentinel(model: string): boolean {
  return /^gemini-(?:[3-9]|\d{2,})/.test(bareModel(model));
}

function functionTools(body: ChatRequest, dropped: string[]): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  for (const tool of body.tools ?? []) {
    if (tool.type === "function" && isRecord(tool.function)) tools.push(tool);
    else if (!dropped.includes("tools")) dropped.push("tools");
  }
  // Legacy `functions` are function tools by another name.
  const legacy = Array.isArray(body.functions) ? body.functions : [];
  for (const fn of legacy) if (isRecord(fn) && typeof fn.name === "string") tools.push({ type: "function", function: fn as ToolDefinition["function"] });
  return tools;
}

function declaration(tool: ToolDefinition): Record<string, unknown> {
  const { name, description, parameters } = tool.function;
  const out: Record<string, unknown> = { name };
  if (description) out.description = description;
  // A function without parameters leaves them unset; an empty object schema would be refused.
  if (isRecord(parameters) && isRecord(parameters.properties) && Object.keys(parameters.properties).length > 0) {
    out.parameters = toGeminiSchema(parameters);
  }
  return out;
}

function toolConfig(choice: unknown): Record<string, unknown> | undefined {
  const config = (mode: string, allowedFunctionNames?: string[]) => ({
    functionCallingConfig: allowedFunctionNames ? { mode, allowedFunctionNames } : { mode },
  });
  if (choice === undefined || choice === null) return undefined;
  if (choice === "auto") return config("AUTO");
  if (choice === "required") return config("ANY");
  if (choice === "none") return config("NONE");
  const named = isRecord(choice) ? (isRecord(choice.function) ? choice.function.name : choice.name) : undefined;
  if (typeof named === "string") return config("ANY", [named]);
  throw invalidRequest("tool_choice must be 'auto', 'required', 'none' or {type: 'function', function: {name}}.", "tool_choice");
}

function stopSequences(stop: unknown): string[] | undefined {
  if (typeof stop === "string") return [stop];
  if (Array.isArray(stop)) return stop.filter((s): s is string => typeof s === "string");
  return undefined;
}

function responseFormat(format: unknown, config: Record<string, unknown>): void {
  if (!isRecord(format) || format.type === "text") return;
  if (format.type === "json_object") {
    config.responseMimeType = "application/json";
  } else if (format.type === "json_schema") {
    config.responseMimeType = "application/json";
    const schema = isRecord(format.json_schema) ? format.json_schema.schema : undefined;
    if (isRecord(schema)) config.responseSchema = toGeminiSchema(schema);
  } else {
    throw invalidRequest(`response_format type '${String(format.type)}' is not one of text, json_object, json_schema.`, "response_format");
  }
}

function generationConfig(body: ChatRequest): Record<string, unknown> {
  const given = isRecord(body.generationConfig) ? body.generationConfig : {};
  const config: Record<string, unknown> = { ...given };
  const set = (key: string, value: unknown) => {
    if (value !== undefined && value !== null) config[key] = value;
  };
  set("temperature", body.temperature);
  set("topP", body.top_p);
  set("topK", body.top_k);
  set("maxOutputTokens", body.max_completion_tokens ?? body.max_tokens);
  set("stopSequences", stopSequences(body.stop));
  set("candidateCount", body.n);
  set("presencePenalty", body.presence_penalty);
  set("frequencyPenalty", body.frequency_penalty);
  set("seed", body.seed);
  responseFormat(body.response_format, config);
  return config;
}

/** The Gemini request body and the OpenAI parameters left behind. */
export function toGeminiChatBody(body: ChatRequest, model: string): { payload: Record<string, unknown>; dropped: string[] } {
  const dropped: string[] = [];
  const payload: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (TRANSLATED.has(key) || value === undefined) continue;
    if (UNSUPPORTED.has(key)) dropped.push(key);
    else payload[key] = value; // provider-specific (safetySettings, cachedContent, ...) goes through unchanged
  }
  // Gemini cannot be told to call one tool at a time; only asking for that is worth reporting.
  if (body.parallel_tool_calls === false) dropped.push("parallel_tool_calls");

  const conversation = toGeminiConversation(body.messages, { signatureSentinel: needsSignatureSentinel(model) });
  if (conversation.systemInstruction) payload.systemInstruction = conversation.systemInstruction;
  payload.contents = conversation.contents;

  const tools = functionTools(body, dropped);
  if (tools.length > 0) payload.tools = [{ functionDeclarations: tools.map(declaration) }];
  const choice = toolConfig(body.tool_choice ?? legacyFunctionCall(body.function_call));
  if (choice && tools.length > 0) payload.toolConfig = choice;

  const config = generationConfig(body);
  if (Object.keys(config).length > 0) payload.generationConfig = config;
  return { payload, dropped };
}

function legacyFunctionCall(call: unknown): unknown {
  if (call === "auto" || call === "none") return call;
  return isRecord(call) && typeof call.name === "string" ? { type: "function", function: { name: call.name } } : undefined;
}

/**
 * Safety settings configured with the key or the provider (`options.safety_settings`): Gemini's own list of
 * {category, threshold}, or a {category: threshold} map. A request's own safetySettings win.
 */
export function configuredSafetySettings(options: Readonly<Record<string, unknown>>): unknown[] | undefined {
  const configured = options.safety_settings;
  if (Array.isArray(configured)) return configured;
  if (!isRecord(configured)) return undefined;
  return Object.entries(configured).map(([category, threshold]) => ({ category, threshold }));
}

export function geminiChatRequest(body: ChatRequest, ctx: ProviderContext): UpstreamRequest {
  const { payload, dropped } = toGeminiChatBody(body, ctx.model);
  const safety = configuredSafetySettings(ctx.options);
  if (safety && payload.safetySettings === undefined && payload.safety_settings === undefined) payload.safetySettings = safety;
  const url = ctx.stream ? modelMethodUrl(ctx, "streamGenerateContent", "?alt=sse") : modelMethodUrl(ctx, "generateContent");
  return { url, method: "POST", headers: googleHeaders(ctx), body: JSON.stringify(payload), dropped: dropped.length > 0 ? dropped : undefined };
}
