// Anthropic turns and content blocks -> OpenAI chat messages: text, images, documents, tool_use (assistant
// tool_calls) and tool_result (tool messages). Blocks no other provider can take are listed as native-only.
import { invalidRequest } from "../../core/errors.ts";
import type { ChatMessage, ContentPart, ToolCall } from "../../plugins/sdk.ts";
import type { Block } from "./schemas.ts";

/** Where the translation notes what only Anthropic can honour (JSON paths, `messages[0].content[1]`). */
export type NativeOnly = string[];

type Turn = { role: "user" | "assistant"; content: string | Block[] };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function stringField(block: Block, name: string, path: string): string {
  const value = block[name];
  if (typeof value !== "string") throw invalidRequest(`'${path}.${name}' must be a string.`, `${path}.${name}`);
  return value;
}

function sourceOf(block: Block, path: string): Record<string, unknown> {
  if (!isRecord(block.source) || typeof block.source.type !== "string") {
    throw invalidRequest(`'${path}.source' must be an object with a 'type'.`, `${path}.source`);
  }
  return block.source;
}

/** A base64 source as a data: URL. */
function dataUrl(source: Record<string, unknown>, path: string): string {
  if (typeof source.media_type !== "string" || typeof source.data !== "string") {
    throw invalidRequest(`'${path}.source' of type base64 needs 'media_type' and 'data' strings.`, `${path}.source`);
  }
  return `data:${source.media_type};base64,${source.data}`;
}

function imagePart(block: Block, path: string, nativeOnly: NativeOnly): ContentPart | undefined {
  const source = sourceOf(block, path);
  if (source.type === "base64") return { type: "image_url", image_url: { url: dataUrl(source, path) } };
  if (source.type === "url" && typeof source.url === "string") return { type: "image_url", image_url: { url: source.url } };
  nativeOnly.push(`${path}.source`);
  return undefined;
}

function textOfBlocks(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((b) => (isRecord(b) && b.type === "text" && typeof b.text === "string" ? b.text : "")).join("");
}

/** A document: a PDF as an OpenAI file part, plain text (or a content list) as text; a URL or file id only natively. */
function documentPart(block: Block, path: string, nativeOnly: NativeOnly): ContentPart | undefined {
  const source = sourceOf(block, path);
  if (source.type === "base64") {
    const file: Record<string, unknown> = { file_data: dataUrl(source, path) };
    if (typeof block.title === "string") file.filename = block.title;
    return { type: "file", file };
  }
  if (source.type === "text" && typeof source.data === "string") return { type: "text", text: source.data };
  if (source.type === "content") return { type: "text", text: textOfBlocks(source.content) };
  nativeOnly.push(`${path}.source`);
  return undefined;
}

/** A block of a user turn as an OpenAI content part (undefined: not translatable, noted in `nativeOnly`). */
function userPart(block: Block, path: string, nativeOnly: NativeOnly): ContentPart | undefined {
  switch (block.type) {
    case "text":
      return { type: "text", text: stringField(block, "text", path) };
    case "image":
      return imagePart(block, path, nativeOnly);
    case "document":
      return documentPart(block, path, nativeOnly);
    default:
      nativeOnly.push(path);
      return undefined;
  }
}

/** A tool_result: a tool message with its text (an error result says so); its images follow in a user message. */
function toolResult(block: Block, path: string, nativeOnly: NativeOnly, images: ContentPart[]): ChatMessage {
  const id = stringField(block, "tool_use_id", path);
  const parts: unknown[] = Array.isArray(block.content) ? block.content : [];
  for (const [k, part] of parts.entries()) {
    if (isRecord(part) && typeof part.type === "string" && part.type !== "text") {
      const translated = userPart(part as Block, `${path}.content[${k}]`, nativeOnly);
      if (translated) images.push(translated);
    }
  }
  const text = textOfBlocks(block.content);
  return { role: "tool", tool_call_id: id, content: block.is_error === true ? `Error: ${text}` : text };
}

/** A user turn: its tool results as tool messages first (Anthropic puts them first too), then the rest. */
function userMessages(blocks: Block[], path: string, nativeOnly: NativeOnly): ChatMessage[] {
  const tools: ChatMessage[] = [];
  const parts: ContentPart[] = [];
  const images: ContentPart[] = [];
  for (const [j, block] of blocks.entries()) {
    const at = `${path}.content[${j}]`;
    if (block.type === "tool_result") tools.push(toolResult(block, at, nativeOnly, images));
    else {
      const part = userPart(block, at, nativeOnly);
      if (part) parts.push(part);
    }
  }
  const all = [...images, ...parts];
  return all.length > 0 ? [...tools, { role: "user", content: all }] : tools;
}

/**
 * An assistant turn: text, and tool_use blocks as tool_calls; thinking is the model's own and stays behind (a turn
 * of thinking alone is left out).
 */
function assistantMessages(blocks: Block[], path: string, nativeOnly: NativeOnly): ChatMessage[] {
  const texts: string[] = [];
  const calls: ToolCall[] = [];
  for (const [j, block] of blocks.entries()) {
    const at = `${path}.content[${j}]`;
    if (block.type === "text") texts.push(stringField(block, "text", at));
    else if (block.type === "tool_use") {
      const id = stringField(block, "id", at);
      const name = stringField(block, "name", at);
      calls.push({ id, type: "function", function: { name, arguments: JSON.stringify(block.input ?? {}) } });
    } else if (block.type !== "thinking" && block.type !== "redacted_thinking") nativeOnly.push(at);
  }
  if (texts.length === 0 && calls.length === 0) return [];
  const message: ChatMessage = { role: "assistant", content: texts.length > 0 ? texts.join("") : null };
  if (calls.length > 0) message.tool_calls = calls;
  return [message];
}

export function decodeMessages(turns: readonly Turn[], nativeOnly: NativeOnly): ChatMessage[] {
  return turns.flatMap((turn, i): ChatMessage[] => {
    const path = `messages[${i}]`;
    if (typeof turn.content === "string") return [{ role: turn.role, content: turn.content }];
    return turn.role === "user" ? userMessages(turn.content, path, nativeOnly) : assistantMessages(turn.content, path, nativeOnly);
  });
}

/** Anthropic's top-level system prompt (a string or text blocks) as one system message. */
export function systemMessage(system: string | { text: string }[] | undefined): ChatMessage[] {
  if (system === undefined) return [];
  const text = typeof system === "string" ? system : system.map((b) => b.text).join("\n");
  return text === "" ? [] : [{ role: "system", content: text }];
}
