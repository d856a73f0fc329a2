// A Responses `input` (a string or a list of items) as chat messages: message items with input_text / input_image /
// input_file parts, earlier answers (output_text), function_call and function_call_output items. Items that point at
// state only OpenAI holds (item_reference, file ids, hosted tool calls) cannot be translated: they are named as
// native-only, so another provider refuses the call instead of answering without them.
import { invalidRequest } from "../../core/errors.ts";
import type { ChatMessage, ContentPart, ToolCall } from "../../plugins/sdk.ts";

type Item = Record<string, unknown>;

/** The chat messages, and whether some input only OpenAI itself can read. */
export interface DecodedInput {
  messages: ChatMessage[];
  nativeOnly: boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function requireString(value: unknown, param: string): string {
  if (typeof value !== "string") throw invalidRequest(`'${param}' must be a string.`, param);
  return value;
}

/** Item types that only exist in OpenAI's own conversation state or hosted tools: passed to OpenAI, never translated. */
const OPENAI_ONLY_ITEMS = new Set([
  "item_reference", "file_search_call", "web_search_call", "computer_call", "computer_call_output", "image_generation_call",
  "code_interpreter_call", "local_shell_call", "local_shell_call_output", "shell_call", "shell_call_output", "apply_patch_call",
  "apply_patch_call_output", "mcp_list_tools", "mcp_approval_request", "mcp_approval_response", "mcp_call", "custom_tool_call",
  "custom_tool_call_output", "compaction",
]);

/** One content part of a message as a chat part, or undefined when only OpenAI can read it (a file id). */
function contentPart(part: unknown, param: string): ContentPart | undefined {
  if (!isRecord(part)) throw invalidRequest(`'${param}' must be an object with a type.`, param);
  switch (part.type) {
    case "input_text":
    case "output_text":
      return { type: "text", text: requireString(part.text, `${param}.text`) };
    case "refusal":
      return { type: "text", text: requireString(part.refusal, `${param}.refusal`) };
    case "input_image": {
      if (part.image_url === undefined || part.image_url === null) {
        if (typeof part.file_id === "string") return undefined;
        throw invalidRequest(`'${param}' needs an image_url (or a file_id).`, `${param}.image_url`);
      }
      const url = requireString(part.image_url, `${param}.image_url`);
      const detail = typeof part.detail === "string" && part.detail !== "auto" ? { detail: part.detail } : {};
      return { type: "image_url", image_url: { url, ...detail } };
    }
    case "input_file": {
      if (typeof part.file_data !== "string") {
        if (typeof part.file_id === "string" || typeof part.file_url === "string") return undefined;
        throw invalidRequest(`'${param}' needs file_data, a file_id or a file_url.`, `${param}.file_data`);
      }
      const filename = typeof part.filename === "string" ? { filename: part.filename } : {};
      return { type: "file", file: { file_data: part.file_data, ...filename } };
    }
    default:
      throw invalidRequest(`'${param}.type' must be one of input_text, input_image, input_file (or output_text, refusal in earlier answers).`, `${param}.type`);
  }
}

/** Text of the parts, joined (system and assistant turns are text). */
const textOf = (parts: ContentPart[]) => parts.map((part) => (part.type === "text" ? (part as { text: string }).text : "")).join("");

function messageItem(item: Item, param: string, out: DecodedInput): void {
  const role = item.role;
  if (role !== "user" && role !== "assistant" && role !== "system" && role !== "developer") {
    throw invalidRequest(`'${param}.role' must be one of user, assistant, system, developer.`, `${param}.role`);
  }
  let content: string | ContentPart[];
  if (typeof item.content === "string") content = item.content;
  else if (Array.isArray(item.content)) {
    const parts: ContentPart[] = [];
    item.content.forEach((part, index) => {
      const decoded = contentPart(part, `${param}.content[${index}]`);
      if (decoded) parts.push(decoded);
      else out.nativeOnly = true;
    });
    content = role === "user" ? parts : textOf(parts);
  } else throw invalidRequest(`'${param}.content' must be a string or a list of content parts.`, `${param}.content`);
  out.messages.push({ role, content });
}

function functionCall(item: Item, param: string, out: DecodedInput): void {
  const call: ToolCall = {
    id: requireString(item.call_id, `${param}.call_id`),
    type: "function",
    function: { name: requireString(item.name, `${param}.name`), arguments: requireString(item.arguments, `${param}.arguments`) },
  };
  // Calls made in one turn (after its text, if any) are one assistant message, as chat providers expect them.
  const last = out.messages.at(-1);
  if (last?.role === "assistant") last.tool_calls = [...(last.tool_calls ?? []), call];
  else out.messages.push({ role: "assistant", content: null, tool_calls: [call] });
}

function functionCallOutput(item: Item, param: string, out: DecodedInput): void {
  const callId = requireString(item.call_id, `${param}.call_id`);
  let content: string;
  if (typeof item.output === "string") content = item.output;
  else if (Array.isArray(item.output)) {
    const parts = item.output.map((part, index) => contentPart(part, `${param}.output[${index}]`)).filter((part) => part !== undefined);
    content = textOf(parts);
  } else throw invalidRequest(`'${param}.output' must be a string or a list of content parts.`, `${param}.output`);
  out.messages.push({ role: "tool", tool_call_id: callId, content });
}

export function decodeInput(input: string | unknown[] | undefined): DecodedInput {
  const out: DecodedInput = { messages: [], nativeOnly: false };
  if (input === undefined) return out;
  if (typeof input === "string") {
    out.messages.push({ role: "user", content: input });
    return out;
  }
  input.forEach((raw, index) => {
    const param = `input[${index}]`;
    const item = raw as Item;
    const type = item.type ?? (item.role !== undefined ? "message" : undefined);
    if (type === "message") messageItem(item, param, out);
    else if (type === "function_call") functionCall(item, param, out);
    else if (type === "function_call_output") functionCallOutput(item, param, out);
    else if (type === "reasoning") {
      // A model's earlier reasoning: opaque to every other provider, and nothing they need to answer.
    } else if (typeof type === "string" && OPENAI_ONLY_ITEMS.has(type)) out.nativeOnly = true;
    else throw invalidRequest(`'${param}.type' must be message, function_call, function_call_output or another Responses item type.`, `${param}.type`);
  });
  return out;
}
