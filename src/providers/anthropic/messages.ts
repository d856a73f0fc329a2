// OpenAI chat messages -> Anthropic's top-level `system` and alternating user/assistant turns of content blocks.
// Prompt-cache breakpoints (`cache_control` on a content part, or on a whole message: its last block) pass through.
import type { ChatMessage, ContentPart, ToolCall } from "../../plugins/sdk.ts";
import type { AnthropicCacheControl, AnthropicContentBlock, AnthropicImageBlock, AnthropicMessage, AnthropicTextBlock } from "./types.ts";

export interface TranslatedMessages {
  /**
   * System and developer messages, in order: joined by a blank line, or, when one of them carries a cache
   * breakpoint, one text block each (a breakpoint stays on its block).
   */
  system?: string | AnthropicTextBlock[];
  messages: AnthropicMessage[];
}

/** The `cache_control` a client put on a part, a message or a tool, when it is an object. */
export function cacheControlOf(holder: unknown): AnthropicCacheControl | undefined {
  if (typeof holder !== "object" || holder === null) return undefined;
  const value = (holder as { cache_control?: unknown }).cache_control;
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as AnthropicCacheControl) : undefined;
}

/** The blocks with the message's own breakpoint on the last one. */
function withMessageBreakpoint<B extends AnthropicContentBlock>(blocks: B[], message: ChatMessage): B[] {
  const cache = cacheControlOf(message);
  const last = blocks.at(-1);
  if (cache && last) last.cache_control = cache;
  return blocks;
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

function textBlock(text: string): AnthropicTextBlock[] {
  // Anthropic refuses empty text blocks ("text content blocks must be non-empty").
  return text === "" ? [] : [{ type: "text", text }];
}

export function imageBlock(url: string, where: string): AnthropicImageBlock {
  const data = DATA_URL.exec(url);
  if (data) return { type: "image", source: { type: "base64", media_type: data[1] as string, data: data[2] as string } };
  if (/^https?:\/\//i.test(url)) return { type: "image", source: { type: "url", url } };
  throw new Error(`${where}: image_url must be an http(s) URL or a base64 data: URL`);
}

function partBlocks(part: ContentPart, where: string): (AnthropicTextBlock | AnthropicImageBlock)[] {
  const blocks = partBlocksOf(part, where);
  const cache = cacheControlOf(part);
  const last = blocks.at(-1);
  if (cache && last) last.cache_control = cache;
  return blocks;
}

function partBlocksOf(part: ContentPart, where: string): (AnthropicTextBlock | AnthropicImageBlock)[] {
  if (part.type === "text" && typeof part.text === "string") return textBlock(part.text);
  // An assistant turn replayed from an earlier answer may carry its refusal as a part.
  if (part.type === "refusal" && typeof part.refusal === "string") return textBlock(part.refusal);
  if (part.type === "image_url") {
    const image = part.image_url as { url?: unknown } | undefined;
    if (typeof image?.url !== "string") throw new Error(`${where}: image_url.url must be a string`);
    return [imageBlock(image.url, where)];
  }
  throw new Error(`${where}: content parts of type '${part.type}' are not supported by Anthropic's Messages API`);
}

function contentBlocks(content: ChatMessage["content"], where: string): (AnthropicTextBlock | AnthropicImageBlock)[] {
  if (content === undefined || content === null) return [];
  if (typeof content === "string") return textBlock(content);
  return content.flatMap((part, i) => partBlocks(part, `${where}.content[${i}]`));
}

function systemBlocks(message: ChatMessage, where: string): AnthropicTextBlock[] {
  return withMessageBreakpoint(
    contentBlocks(message.content, where).map((block) => {
      if (block.type !== "text") throw new Error(`${where}: system messages take text only`);
      return block;
    }),
    message,
  );
}

function parseArguments(call: ToolCall, where: string): unknown {
  const raw = call.function.arguments ?? "";
  if (raw.trim() === "") return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw new Error(`${where}.function.arguments is not valid JSON`);
  }
}

function toolResultContent(content: ChatMessage["content"], where: string): string | (AnthropicTextBlock | AnthropicImageBlock)[] {
  if (typeof content === "string") return content;
  return contentBlocks(content, where);
}

function turnOf(message: ChatMessage, where: string): AnthropicMessage {
  switch (message.role) {
    case "user":
      return { role: "user", content: withMessageBreakpoint(contentBlocks(message.content, where), message) };
    case "assistant": {
      const blocks: AnthropicContentBlock[] = contentBlocks(message.content, where);
      for (const [i, call] of (message.tool_calls ?? []).entries()) {
        const input = parseArguments(call, `${where}.tool_calls[${i}]`);
        blocks.push({ type: "tool_use", id: call.id, name: call.function.name, input });
      }
      return { role: "assistant", content: withMessageBreakpoint(blocks, message) };
    }
    case "tool": {
      if (typeof message.tool_call_id !== "string") throw new Error(`${where}: a tool message needs tool_call_id`);
      const content = toolResultContent(message.content, where);
      return { role: "user", content: withMessageBreakpoint([{ type: "tool_result", tool_use_id: message.tool_call_id, content }], message) };
    }
    default:
      throw new Error(`${where}: role '${message.role}' is not supported by Anthropic's Messages API; use tool messages`);
  }
}

/** Anthropic wants alternating turns: consecutive same-role turns (tool results included) become one. */
function mergeTurns(turns: AnthropicMessage[]): AnthropicMessage[] {
  const merged: AnthropicMessage[] = [];
  for (const turn of turns) {
    const previous = merged.at(-1);
    if (previous && previous.role === turn.role) previous.content.push(...turn.content);
    else merged.push({ role: turn.role, content: [...turn.content] });
  }
  return merged;
}

function systemOf(messages: AnthropicTextBlock[][]): TranslatedMessages["system"] {
  const blocks = messages.flat();
  if (blocks.length === 0) return undefined;
  if (blocks.some((block) => block.cache_control)) return blocks;
  return messages
    .map((parts) => parts.map((block) => block.text).join("\n"))
    .filter((text) => text !== "")
    .join("\n\n");
}

export function translateMessages(messages: readonly ChatMessage[]): TranslatedMessages {
  const system: AnthropicTextBlock[][] = [];
  const turns: AnthropicMessage[] = [];
  for (const [i, message] of messages.entries()) {
    const where = `messages[${i}]`;
    if (message.role === "system" || message.role === "developer") system.push(systemBlocks(message, where));
    else turns.push(turnOf(message, where));
  }
  return { system: systemOf(system), messages: mergeTurns(turns) };
}
