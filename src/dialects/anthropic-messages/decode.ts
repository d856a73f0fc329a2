// A Messages API request -> keyway's internal (OpenAI chat) body, with the client's own body kept for Anthropic.
// What only Anthropic can honour (server tools, documents by URL, containers) is named in `nativeOnly`, so another
// provider refuses the call instead of silently answering something else.
import type { DecodedCall, NativeRequest } from "../../core/dialect.ts";
import { invalidRequest } from "../../core/errors.ts";
import type { ToolDefinition } from "../../plugins/sdk.ts";
import { bodyValidator } from "../body-check.ts";
import { decodeMessages, type NativeOnly, systemMessage } from "./decode-messages.ts";
import { CountTokensBody, MessagesBody } from "./schemas.ts";

/** The native formats these requests are in. */
export const ANTHROPIC_MESSAGES = "anthropic-messages";
export const ANTHROPIC_COUNT_TOKENS = "anthropic-count-tokens";

/** Top-level fields of Anthropic's own features that no translation can carry. */
const ANTHROPIC_ONLY = ["container", "mcp_servers", "context_management"];

/** The client headers that go to Anthropic with its own body. */
const NATIVE_HEADERS = ["anthropic-version", "anthropic-beta"];

/** Thinking budgets at or above these ask for OpenAI's medium and high reasoning effort. */
const MEDIUM_EFFORT_BUDGET = 4_096;
const HIGH_EFFORT_BUDGET = 16_384;

const validateMessages = bodyValidator(MessagesBody);
const validateCount = bodyValidator(CountTokensBody);

type Prompt = CountTokensBody;

function decodeTools(tools: Prompt["tools"], nativeOnly: NativeOnly): ToolDefinition[] {
  const out: ToolDefinition[] = [];
  for (const [i, tool] of (tools ?? []).entries()) {
    if (tool.type !== undefined && tool.type !== "custom") {
      // A server tool (web_search_..., code_execution_..., bash_...): Anthropic runs it, no one else can.
      nativeOnly.push(`tools[${i}]`);
      continue;
    }
    const schema = tool.input_schema;
    if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
      throw invalidRequest(`'tools[${i}].input_schema' must be a JSON schema object.`, `tools[${i}].input_schema`);
    }
    const fn: ToolDefinition["function"] = { name: tool.name, parameters: structuredClone(schema) as Record<string, unknown> };
    if (typeof tool.description === "string") fn.description = tool.description;
    out.push({ type: "function", function: fn });
  }
  return out;
}

function decodeToolChoice(choice: Prompt["tool_choice"], internal: Record<string, unknown>): void {
  if (!choice) return;
  if (choice.type === "any") internal.tool_choice = "required";
  else if (choice.type === "none") internal.tool_choice = "none";
  else if (choice.type === "tool") {
    if (!choice.name) throw invalidRequest("'tool_choice.name' is required when 'tool_choice.type' is 'tool'.", "tool_choice.name");
    internal.tool_choice = { type: "function", function: { name: choice.name } };
  } else internal.tool_choice = "auto";
  if (choice.disable_parallel_tool_use === true) internal.parallel_tool_calls = false;
}

/** Extended thinking as OpenAI's reasoning effort, by its budget (providers without reasoning name it as dropped). */
function reasoningEffort(thinking: Prompt["thinking"]): string | undefined {
  if (thinking?.type !== "enabled") return undefined;
  const budget = thinking.budget_tokens ?? 0;
  return budget >= HIGH_EFFORT_BUDGET ? "high" : budget >= MEDIUM_EFFORT_BUDGET ? "medium" : "low";
}

/** The prompt part of the internal body: messages (system first), tools, tool choice, reasoning, keyway's fields. */
function decodePrompt(body: Prompt, nativeOnly: NativeOnly): Record<string, unknown> {
  const internal: Record<string, unknown> = {
    model: body.model,
    messages: [...systemMessage(body.system), ...decodeMessages(body.messages, nativeOnly)],
  };
  const tools = decodeTools(body.tools, nativeOnly);
  if (tools.length > 0) {
    internal.tools = tools;
    decodeToolChoice(body.tool_choice, internal);
  }
  const effort = reasoningEffort(body.thinking);
  if (effort) internal.reasoning_effort = effort;
  for (const name of ANTHROPIC_ONLY) if (body[name] !== undefined) nativeOnly.push(name);
  for (const name of ["byok_api_key", "provider", "routing"] as const) if (body[name] !== undefined) internal[name] = body[name];
  return internal;
}

function nativeRequest(format: NativeRequest["format"], body: Record<string, unknown>, headers: Headers, nativeOnly: NativeOnly): NativeRequest {
  const picked: Record<string, string> = {};
  for (const name of NATIVE_HEADERS) {
    const value = headers.get(name);
    if (value !== null && value.trim() !== "") picked[name] = value.trim();
  }
  const native: NativeRequest = { format, body, headers: picked };
  if (nativeOnly.length > 0) native.nativeOnly = nativeOnly;
  return native;
}

/** POST /v1/messages: the internal chat call, and the client's body as it is for Anthropic. */
export function decodeMessagesRequest(raw: unknown, headers: Headers): DecodedCall {
  const body = validateMessages(raw) as MessagesBody;
  const nativeOnly: NativeOnly = [];
  const internal = decodePrompt(body, nativeOnly);
  internal.max_tokens = body.max_tokens;
  if (body.stream !== undefined) internal.stream = body.stream;
  if (body.stop_sequences && body.stop_sequences.length > 0) internal.stop = body.stop_sequences;
  for (const name of ["temperature", "top_p", "top_k"] as const) if (body[name] !== undefined) internal[name] = body[name];
  if (typeof body.metadata?.user_id === "string" && body.metadata.user_id !== "") internal.user = body.metadata.user_id;
  return { endpoint: "chat", body: internal, native: nativeRequest(ANTHROPIC_MESSAGES, body, headers, nativeOnly) };
}

/**
 * POST /v1/messages/count_tokens: the prompt alone, checked and translated as a Messages request's would be. Free:
 * counted by a provider speaking Anthropic's API, else estimated by keyway, never translated into a generation.
 */
export function decodeCountTokensRequest(raw: unknown, headers: Headers): DecodedCall {
  const body = validateCount(raw) as CountTokensBody;
  const nativeOnly: NativeOnly = [];
  const internal = decodePrompt(body, nativeOnly);
  const native = { ...nativeRequest(ANTHROPIC_COUNT_TOKENS, body, headers, nativeOnly), estimateElsewhere: true };
  return { endpoint: "chat", body: internal, native, unmetered: true };
}
