// OpenAI chat messages -> Gemini `systemInstruction` and `contents`: roles, multi-part content, tool calls and
// tool results, with consecutive same-role turns merged as Gemini expects.
import { invalidRequest } from "../../core/errors.ts";
import type { ChatMessage, ContentPart, ToolCall } from "../../plugins/sdk.ts";
import type { GeminiContent, GeminiPart } from "./wire.ts";
import { isRecord } from "./wire.ts";

export interface GeminiConversation {
  systemInstruction?: GeminiContent;
  contents: GeminiContent[];
}

export interface MessageOptions {
  /**
   * Gemini 3 and later refuse a replayed functionCall without its thought signature. OpenAI clients cannot keep
   * it, so replayed calls carry the sentinel Google documents for history that has none.
   */
  signatureSentinel: boolean;
}

export const SKIP_SIGNATURE = "skip_thought_signature_validator";

const EXTENSION_MIME: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
  gif: "image/gif",
  heic: "image/heic",
  heif: "image/heif",
  pdf: "application/pdf",
};

/** From the URL's file extension; image/jpeg when it says nothing (the URL came as an image_url). */
export function mimeTypeFromUrl(url: string): string {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // not a parseable URL: look at the raw text
  }
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return (extension && EXTENSION_MIME[extension]) || "image/jpeg";
}

function dataUrlPart(url: string, param: string): GeminiPart {
  const match = /^data:([^;,]+)((?:;[^;,]*)*),(.*)$/s.exec(url);
  if (!match || !match[2]?.split(";").includes("base64")) {
    throw invalidRequest("A data: URL must be base64-encoded (data:<mime type>;base64,<data>).", param);
  }
  return { inlineData: { mimeType: match[1] as string, data: match[3] as string } };
}

function urlPart(url: string, param: string): GeminiPart {
  if (url.startsWith("data:")) return dataUrlPart(url, param);
  if (/^https?:\/\//i.test(url)) return { fileData: { fileUri: url, mimeType: mimeTypeFromUrl(url) } };
  throw invalidRequest("An image URL must be an http(s) URL or a base64 data: URL.", param);
}

const AUDIO_MIME: Record<string, string> = { wav: "audio/wav", mp3: "audio/mp3" };

function contentPart(part: ContentPart, param: string): GeminiPart | undefined {
  const value = part as Record<string, unknown>;
  switch (part.type) {
    case "text":
    case "refusal": {
      const text = typeof value.text === "string" ? value.text : typeof value.refusal === "string" ? value.refusal : "";
      return text === "" ? undefined : { text };
    }
    case "image_url": {
      const image = value.image_url;
      const url = typeof image === "string" ? image : isRecord(image) ? image.url : undefined;
      if (typeof url !== "string") throw invalidRequest("An image_url part needs image_url.url.", param);
      return urlPart(url, param);
    }
    case "input_audio": {
      const audio = isRecord(value.input_audio) ? value.input_audio : {};
      if (typeof audio.data !== "string") throw invalidRequest("An input_audio part needs input_audio.data.", param);
      const format = typeof audio.format === "string" ? audio.format : "wav";
      return { inlineData: { mimeType: AUDIO_MIME[format] ?? `audio/${format}`, data: audio.data } };
    }
    case "file": {
      const file = isRecord(value.file) ? value.file : {};
      if (typeof file.file_data === "string") return urlPart(file.file_data, param);
      throw invalidRequest("Gemini takes files inline: send file.file_data as a base64 data: URL.", param);
    }
    default:
      throw invalidRequest(`Gemini cannot take a content part of type '${part.type}'.`, param);
  }
}

function partsOf(content: ChatMessage["content"], param: string): GeminiPart[] {
  if (typeof content === "string") return content === "" ? [] : [{ text: content }];
  if (!Array.isArray(content)) return [];
  return content.flatMap((part, index) => contentPart(part, `${param}[${index}]`) ?? []);
}

function textOf(content: ChatMessage["content"]): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part) => (part.type === "text" && typeof part.text === "string" ? part.text : "")).join("");
}

function parseArguments(call: ToolCall, param: string): Record<string, unknown> {
  const raw = call.function?.arguments ?? "";
  if (raw.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidRequest("Tool call arguments must be a JSON object.", param);
  }
  if (!isRecord(parsed)) throw invalidRequest("Tool call arguments must be a JSON object.", param);
  return parsed;
}

function assistantParts(message: ChatMessage, index: number, names: Map<string, string>, options: MessageOptions): GeminiPart[] {
  const parts = partsOf(message.content, `messages[${index}].content`);
  for (const [n, call] of (message.tool_calls ?? []).entries()) {
    const name = call.function?.name;
    if (typeof name !== "string" || name === "") throw invalidRequest("A tool call needs function.name.", `messages[${index}].tool_calls[${n}].function.name`);
    if (typeof call.id === "string") names.set(call.id, name);
    const part: GeminiPart = { functionCall: { name, args: parseArguments(call, `messages[${index}].tool_calls[${n}].function.arguments`) } };
    if (options.signatureSentinel && n === 0) part.thoughtSignature = SKIP_SIGNATURE;
    parts.push(part);
  }
  return parts;
}

function toolResultPart(message: ChatMessage, index: number, names: Map<string, string>): GeminiPart {
  const id = message.tool_call_id;
  const name = message.role === "function" ? message.name : typeof id === "string" ? names.get(id) : undefined;
  if (typeof name !== "string") {
    throw invalidRequest(
      `This tool result answers tool_call_id '${String(id)}', but no earlier assistant message made that call; Gemini needs the function's name.`,
      `messages[${index}].tool_call_id`,
    );
  }
  return { functionResponse: { name, response: { content: textOf(message.content) } } };
}

function append(contents: GeminiContent[], role: "user" | "model", parts: GeminiPart[]): void {
  if (parts.length === 0) return;
  const last = contents.at(-1);
  if (last?.role === role) last.parts.push(...parts);
  else contents.push({ role, parts });
}

export function toGeminiConversation(messages: readonly ChatMessage[], options: MessageOptions): GeminiConversation {
  const system: GeminiPart[] = [];
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();
  for (const [index, message] of messages.entries()) {
    switch (message.role) {
      case "system":
      case "developer": {
        const text = textOf(message.content);
        if (text !== "") system.push({ text });
        break;
      }
      case "user":
        append(contents, "user", partsOf(message.content, `messages[${index}].content`));
        break;
      case "assistant":
        append(contents, "model", assistantParts(message, index, toolNames, options));
        break;
      case "tool":
      case "function":
        append(contents, "user", [toolResultPart(message, index, toolNames)]);
        break;
      default:
        throw invalidRequest(`Unknown message role '${String(message.role)}'.`, `messages[${index}].role`);
    }
  }
  // Gemini needs at least one turn: a conversation of instructions alone becomes the user's turn.
  if (contents.length === 0 && system.length > 0) return { contents: [{ role: "user", parts: system }] };
  return system.length > 0 ? { systemInstruction: { parts: system }, contents } : { contents };
}
