// Google's Gemini API (generativelanguage.googleapis.com): chat on generateContent, embeddings on
// batchEmbedContents, images on Imagen's predict. Written on the public plugin contract.
import type { ChatEndpoint, ProviderContext } from "../../plugins/sdk.ts";
import { defineProvider } from "../../plugins/sdk.ts";
import { geminiChatRequest } from "./chat-request.ts";
import { toChatCompletion } from "./chat-response.ts";
import { geminiEmbeddings } from "./embeddings.ts";
import { mapGoogleError } from "./errors.ts";
import { imagenImages } from "./images.ts";
import { googleKnowledge } from "./knowledge.ts";
import { upstreamFetch } from "../upstream-fetch.ts";
import { geminiStream } from "./stream.ts";
import { API_VERSION, googleHeaders, isRecord } from "./wire.ts";

const chat: ChatEndpoint = {
  toUpstream: geminiChatRequest,
  fromUpstream: toChatCompletion,
  stream: geminiStream,
};

/** Model ids this key can use, from models.list (one page of up to 1000). */
async function listGeminiModels(ctx: ProviderContext): Promise<string[]> {
  const response = await upstreamFetch(`${ctx.baseUrl}/${API_VERSION}/models?pageSize=1000`, { method: "GET", headers: googleHeaders(ctx, false) });
  if (!response.ok) {
    const failure = mapGoogleError(response.status, await response.text(), response.headers);
    throw Object.assign(new Error(failure.message), failure);
  }
  const json: unknown = await response.json();
  const models = isRecord(json) && Array.isArray(json.models) ? json.models.filter(isRecord) : [];
  return models.flatMap((m) => (typeof m.name === "string" ? [m.name.replace(/^models\//, "")] : []));
}

export default defineProvider({
  ...googleKnowledge,
  name: "google",
  otelName: "gcp.gemini",
  keyPattern: /^AIza/,
  modelPrefixes: ["gemini-", "imagen-", "text-embedding-004", "gemini-embedding"],
  defaultBaseUrl: "https://generativelanguage.googleapis.com",
  endpoints: { chat, embeddings: geminiEmbeddings, images: imagenImages },
  mapError: mapGoogleError,
  listModels: listGeminiModels,
  checkKey: (ctx) => ({ url: `${ctx.baseUrl}/${API_VERSION}/models?pageSize=1`, method: "GET", headers: googleHeaders(ctx, false) }),
});
