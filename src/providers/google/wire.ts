// The Gemini API (generativelanguage v1beta) shapes keyway reads and writes, and the URL and headers every call shares.
import type { ProviderContext } from "../../plugins/sdk.ts";

export const API_VERSION = "v1beta";

export interface GeminiFunctionCall {
  id?: string;
  name: string;
  args?: Record<string, unknown>;
}

export interface GeminiPart {
  text?: string;
  /** A thought summary (thinking models); never shown to OpenAI clients as content. */
  thought?: boolean;
  thoughtSignature?: string;
  inlineData?: { mimeType: string; data: string };
  fileData?: { mimeType?: string; fileUri: string };
  functionCall?: GeminiFunctionCall;
  functionResponse?: { id?: string; name: string; response: Record<string, unknown> };
}

export interface GeminiContent {
  role?: "user" | "model";
  parts: GeminiPart[];
}

export interface GeminiCandidate {
  content?: GeminiContent;
  finishReason?: string;
  index?: number;
}

export interface GeminiUsageMetadata {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  totalTokenCount?: number;
  cachedContentTokenCount?: number;
  thoughtsTokenCount?: number;
  toolUsePromptTokenCount?: number;
}

export interface GeminiResponse {
  candidates?: GeminiCandidate[];
  promptFeedback?: { blockReason?: string; blockReasonMessage?: string };
  usageMetadata?: GeminiUsageMetadata;
  modelVersion?: string;
  responseId?: string;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The model id as Gemini's resource path wants it, without a `models/` prefix a client may have written. */
export function bareModel(model: string): string {
  return model.startsWith("models/") ? model.slice("models/".length) : model;
}

/** `<base>/v1beta/models/<model>:<method>`; the key never goes in the URL (URLs get logged). */
export function modelMethodUrl(ctx: ProviderContext, method: string, query = ""): string {
  return `${ctx.baseUrl}/${API_VERSION}/models/${encodeURIComponent(bareModel(ctx.model))}:${method}${query}`;
}

export function googleHeaders(ctx: ProviderContext, json = true): Record<string, string> {
  const headers: Record<string, string> = { "x-goog-api-key": ctx.apiKey };
  if (json) headers["content-type"] = "application/json";
  return headers;
}

/** A GenerateContentResponse, or an error naming what arrived instead. */
export function asGeminiResponse(json: unknown): GeminiResponse {
  if (!isRecord(json)) throw new Error("expected a GenerateContentResponse object");
  if (isRecord(json.error)) {
    const message = typeof json.error.message === "string" ? json.error.message : JSON.stringify(json.error);
    throw new Error(`Gemini reported an error: ${message}`);
  }
  return json as GeminiResponse;
}
