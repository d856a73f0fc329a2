// embeddings(text | text[], model?, options): POST /v1/embeddings, one vector per text, in the order given.
import { type ResponseMeta, metaFrom } from "./meta.ts";
import { type InferenceOptions, type Usage, callSettings, inferenceBody, inferenceHeaders, invalidArgument, optionalModel, usageFrom } from "./options.ts";
import type { Transport } from "./transport.ts";
import type { WireEmbeddings } from "./wire.ts";

export interface EmbeddingsOptions extends InferenceOptions {
  /** Vector length, for models that take it (OpenAI's text-embedding-3). */
  dimensions?: number;
}

export interface EmbeddingsResult extends ResponseMeta {
  /** One vector per text, in the order of the texts. */
  embeddings: number[][];
  model: string;
  usage: Usage | null;
  raw: WireEmbeddings;
}

function inputOf(text: string | string[]): string | string[] {
  if (typeof text === "string" && text !== "") return text;
  if (Array.isArray(text) && text.length > 0 && text.every((item) => typeof item === "string")) return text;
  throw invalidArgument("'text' must be a non-empty string or a non-empty list of strings.", "text");
}

export async function embeddings(transport: Transport, text: string | string[], model: string | undefined, options: EmbeddingsOptions = {}): Promise<EmbeddingsResult> {
  const body = inferenceBody({ model: optionalModel(model), input: inputOf(text), dimensions: options.dimensions }, options);
  const { body: raw, response } = await transport.json<WireEmbeddings>({ method: "POST", path: "/v1/embeddings", body, headers: inferenceHeaders(options), ...callSettings(options) });
  const usage = usageFrom(raw.usage);
  const data = [...(raw.data ?? [])].sort((a, b) => a.index - b.index);
  return { ...metaFrom(response, usage?.costUsd ?? null), embeddings: data.map((item) => item.embedding), model: raw.model, usage, raw };
}
