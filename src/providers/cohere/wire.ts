// Cohere API v2 wire shapes (docs.cohere.com/reference/chat, /reference/embed) and the narrowing helpers
// that read them from `unknown` JSON.

/** A v2 content part: text, or an image in the same shape OpenAI uses. */
export type CohereContentPart =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string; detail?: string } };

export interface CohereToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export type CohereMessage =
  | { role: "system"; content: string | CohereContentPart[] }
  | { role: "user"; content: string | CohereContentPart[] }
  | { role: "assistant"; content?: string | CohereContentPart[]; tool_calls?: CohereToolCall[] }
  | { role: "tool"; tool_call_id: string; content: string | CohereContentPart[] };

export interface CohereTool {
  type: "function";
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

/** `usage` on a chat answer and on `message-end`: `tokens` are counted, `billed_units` are charged. */
export interface CohereUsage {
  billed_units?: { input_tokens?: number; output_tokens?: number };
  tokens?: { input_tokens?: number; output_tokens?: number };
  cached_tokens?: number;
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export const recordAt = (value: unknown, key: string): Record<string, unknown> | undefined => {
  if (!isRecord(value)) return undefined;
  const found = value[key];
  return isRecord(found) ? found : undefined;
};

export const stringAt = (value: unknown, key: string): string | undefined => {
  if (!isRecord(value)) return undefined;
  const found = value[key];
  return typeof found === "string" ? found : undefined;
};

export const numberAt = (value: unknown, key: string): number | undefined => {
  if (!isRecord(value)) return undefined;
  const found = value[key];
  return typeof found === "number" && Number.isFinite(found) ? found : undefined;
};

export const arrayAt = (value: unknown, key: string): unknown[] | undefined => {
  if (!isRecord(value)) return undefined;
  const found = value[key];
  return Array.isArray(found) ? found : undefined;
};
