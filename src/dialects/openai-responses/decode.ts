// A Responses request as keyway's internal (chat-shaped) call: `instructions` a system message, `input` the messages,
// function tools and tool_choice in chat's shape, `max_output_tokens`, sampling, `text.format` as response_format,
// `reasoning.effort` as reasoning_effort. The client's own body goes along for OpenAI, which answers it natively;
// what only OpenAI can honour (stored state, hosted tools) is named so any other provider refuses the call.
import type { DecodedCall } from "../../core/dialect.ts";
import { invalidRequest } from "../../core/errors.ts";
import type { ChatMessage, ToolChoice, ToolDefinition } from "../../plugins/sdk.ts";
import { decodeInput } from "./decode-input.ts";

type Body = Record<string, unknown>;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Fields whose meaning is the same in chat: copied as they are. keyway's own fields stay for the read stage. */
const SAME_IN_CHAT = ["model", "stream", "temperature", "top_p", "parallel_tool_calls", "user", "service_tier", "prompt_cache_key", "byok_api_key", "provider", "routing"];

/** Function tools in chat's nested shape; other (hosted) tools are only OpenAI's. */
function decodeTools(tools: Body[], nativeOnly: Set<string>): ToolDefinition[] {
  const out: ToolDefinition[] = [];
  tools.forEach((tool, index) => {
    if (tool.type !== "function") {
      nativeOnly.add("tools");
      return;
    }
    if (typeof tool.name !== "string") throw invalidRequest(`'tools[${index}].name' is required for a function tool.`, `tools[${index}].name`);
    const fn: ToolDefinition["function"] = { name: tool.name };
    if (typeof tool.description === "string") fn.description = tool.description;
    if (isRecord(tool.parameters)) fn.parameters = tool.parameters;
    if (typeof tool.strict === "boolean") fn.strict = tool.strict;
    out.push({ type: "function", function: fn });
  });
  return out;
}

/** tool_choice in chat's shape; allowed_tools narrows the tools offered. Undefined: leave it to the provider. */
function decodeToolChoice(choice: unknown, internal: Body, nativeOnly: Set<string>): ToolChoice | undefined {
  if (choice === undefined) return undefined;
  if (choice === "none" || choice === "auto" || choice === "required") return choice;
  if (!isRecord(choice)) throw invalidRequest("'tool_choice' must be none, auto, required or an object with a type.", "tool_choice");
  if (choice.type === "function") {
    if (typeof choice.name !== "string") throw invalidRequest("'tool_choice.name' names the function to call.", "tool_choice.name");
    return { type: "function", function: { name: choice.name } };
  }
  if (choice.type === "allowed_tools") {
    const allowed = new Set((Array.isArray(choice.tools) ? choice.tools : []).flatMap((t) => (isRecord(t) && typeof t.name === "string" ? [t.name] : [])));
    internal.tools = ((internal.tools as ToolDefinition[] | undefined) ?? []).filter((tool) => allowed.has(tool.function.name));
    return choice.mode === "required" ? "required" : "auto";
  }
  nativeOnly.add("tool_choice");
  return undefined;
}

/** text.format as chat's response_format (json_schema, json_object); plain text asks for nothing. */
function decodeTextFormat(text: unknown): Body | undefined {
  const format = isRecord(text) ? text.format : undefined;
  if (!isRecord(format) || format.type === "text") return undefined;
  if (format.type === "json_object") return { type: "json_object" };
  if (format.type === "json_schema") {
    if (typeof format.name !== "string" || !isRecord(format.schema)) {
      throw invalidRequest("'text.format' of type json_schema needs a name and a schema.", isRecord(format.schema) ? "text.format.name" : "text.format.schema");
    }
    const schema: Body = { name: format.name, schema: format.schema };
    if (typeof format.description === "string") schema.description = format.description;
    if (typeof format.strict === "boolean") schema.strict = format.strict;
    return { type: "json_schema", json_schema: schema };
  }
  throw invalidRequest("'text.format.type' must be text, json_schema or json_object.", "text.format.type");
}

/** Fields that need OpenAI's stored state or services: a call naming them can only go to OpenAI. */
function stateFields(body: Body, nativeOnly: Set<string>): void {
  if (body.previous_response_id !== undefined) nativeOnly.add("previous_response_id");
  // store: true keeps the response at OpenAI for later reference; false (or left out, then nothing is stored
  // elsewhere) asks nothing another provider cannot give.
  if (body.store === true) nativeOnly.add("store");
  if (body.conversation !== undefined) nativeOnly.add("conversation");
  if (body.prompt !== undefined) nativeOnly.add("prompt");
  if (body.background === true) nativeOnly.add("background");
}

export function decodeResponses(body: Body): DecodedCall {
  const nativeOnly = new Set<string>();
  stateFields(body, nativeOnly);
  const input = decodeInput(body.input as string | unknown[] | undefined);
  if (input.nativeOnly) nativeOnly.add("input");
  const messages: ChatMessage[] = typeof body.instructions === "string" && body.instructions !== "" ? [{ role: "system", content: body.instructions }] : [];
  messages.push(...input.messages);
  if (input.messages.length === 0 && nativeOnly.size === 0) throw invalidRequest("'input' is required: a string or a list of input items.", "input");

  const internal: Body = {};
  for (const field of SAME_IN_CHAT) if (body[field] !== undefined) internal[field] = body[field];
  internal.messages = messages;
  if (body.max_output_tokens !== undefined) internal.max_tokens = body.max_output_tokens;
  if (Array.isArray(body.tools)) {
    const tools = decodeTools(body.tools as Body[], nativeOnly);
    if (tools.length > 0) internal.tools = tools;
  }
  const choice = decodeToolChoice(body.tool_choice, internal, nativeOnly);
  if (choice !== undefined) internal.tool_choice = choice;
  if (Array.isArray(internal.tools) && internal.tools.length === 0) delete internal.tools;
  const format = decodeTextFormat(body.text);
  if (format) internal.response_format = format;
  const effort = isRecord(body.reasoning) ? body.reasoning.effort : undefined;
  if (typeof effort === "string") internal.reasoning_effort = effort;
  if (internal.user === undefined && typeof body.safety_identifier === "string") internal.user = body.safety_identifier;

  const native = { format: "openai-responses" as const, body, headers: {}, ...(nativeOnly.size > 0 ? { nativeOnly: [...nativeOnly] } : {}) };
  return { endpoint: "chat", body: internal, native };
}
