// completion(prompt, model?, options): POST /v1/completions (legacy text completions), whole or streamed.
import { type ResponseMeta, metaFrom } from "./meta.ts";
import { type InferenceOptions, type Usage, callSettings, inferenceBody, inferenceHeaders, optionalModel, requireText, usageFrom } from "./options.ts";
import { KeywayStream, type StreamChunkBase } from "./stream.ts";
import type { Transport } from "./transport.ts";
import type { WireCompletion } from "./wire.ts";

export interface CompletionOptions extends InferenceOptions {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string | string[];
  /** Stream the answer: completion() then returns a CompletionStream. */
  stream?: boolean;
  /** With stream: ask for the usage chunk at the end (default true). */
  includeUsage?: boolean;
}

export interface CompletionResult extends ResponseMeta {
  text: string;
  finishReason: string | null;
  model: string;
  usage: Usage | null;
  raw: WireCompletion;
}

export interface CompletionChunk extends StreamChunkBase {
  raw: Record<string, unknown>;
}

export type CompletionStream = KeywayStream<CompletionChunk>;

function completionBody(prompt: string, model: string | undefined, options: CompletionOptions, stream: boolean) {
  const fields: Record<string, unknown> = {
    model: optionalModel(model),
    prompt: requireText(prompt, "prompt"),
    temperature: options.temperature,
    top_p: options.topP,
    max_tokens: options.maxTokens,
    stop: options.stop,
  };
  if (stream) {
    fields.stream = true;
    if (options.includeUsage !== false) fields.stream_options = { include_usage: true };
  }
  return inferenceBody(fields, options);
}

function completionChunk(data: unknown): CompletionChunk | undefined {
  const raw = data as { choices?: { text?: string; delta?: { content?: string | null }; finish_reason?: string | null }[]; usage?: WireCompletion["usage"] | null };
  if (typeof raw !== "object" || raw === null || !Array.isArray(raw.choices)) return undefined;
  const choice = raw.choices[0];
  return {
    // Text completions stream `text`; a provider answered through chat streams `delta.content`.
    text: choice?.text ?? choice?.delta?.content ?? "",
    finishReason: choice?.finish_reason ?? null,
    usage: usageFrom(raw.usage),
    raw: raw as Record<string, unknown>,
  };
}

export async function completionStream(transport: Transport, prompt: string, model: string | undefined, options: CompletionOptions = {}): Promise<CompletionStream> {
  const body = completionBody(prompt, model, options, true);
  return transport.send(
    { method: "POST", path: "/v1/completions", body, headers: inferenceHeaders(options), ...callSettings(options), stream: true },
    async (response) => new KeywayStream(response, completionChunk),
  );
}

export async function completion(transport: Transport, prompt: string, model: string | undefined, options: CompletionOptions = {}): Promise<CompletionResult> {
  const body = completionBody(prompt, model, options, false);
  const { body: raw, response } = await transport.json<WireCompletion>({ method: "POST", path: "/v1/completions", body, headers: inferenceHeaders(options), ...callSettings(options) });
  const choice = raw.choices?.[0];
  const usage = usageFrom(raw.usage);
  return {
    ...metaFrom(response, usage?.costUsd ?? null),
    text: choice?.text ?? "",
    finishReason: choice?.finish_reason ?? null,
    model: raw.model,
    usage,
    raw,
  };
}
