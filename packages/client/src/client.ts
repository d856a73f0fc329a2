// The Keyway client: one object holding the key, the URL and the retry/timeout settings, with a method per call,
// named after the IndoxRouter client (chat, completion, embeddings, images, textToSpeech, models, ...).
import { type AnalyticsParams, byokAnalytics, costComparison, usageAnalytics } from "./analytics.ts";
import { type ChatMessage, type ChatOptions, type ChatResult, type ChatStream, chat, chatStream } from "./chat.ts";
import { type CompletionOptions, type CompletionResult, type CompletionStream, completion, completionStream } from "./completion.ts";
import { type EmbeddingsOptions, embeddings } from "./embeddings.ts";
import { type ImagesOptions, images } from "./images.ts";
import { model, models } from "./models.ts";
import { invalidArgument, type RequestOptions } from "./options.ts";
import { type ProvidersOptions, providerHealth, providers } from "./providers.ts";
import { type TextToSpeechOptions, textToSpeech } from "./speech.ts";
import { type FetchLike, Transport } from "./transport.ts";

export interface KeywayOptions {
  /** Your keyway key (`kw_...`). */
  apiKey: string;
  /** keyway's URL: `http://127.0.0.1:8080` (a trailing `/v1` is accepted too). */
  baseURL: string;
  /** Retries of idempotent calls (GETs), and of any call whose connection was refused. Default 2. */
  maxRetries?: number;
  /** Per attempt, until the answer is read (for a stream: until its headers). Default 600,000 ms. */
  timeoutMs?: number;
  /** The longest Retry-After the client waits before retrying; a longer one is thrown at once. Default 20,000 ms. */
  maxRetryDelayMs?: number;
  /** A fetch of your own (a proxy agent, a test double). Default: the global fetch. */
  fetch?: FetchLike;
  /** Headers sent with every call. */
  defaultHeaders?: Record<string, string>;
}

function rootOf(baseURL: unknown): string {
  if (typeof baseURL !== "string" || !/^https?:\/\/[^/]/i.test(baseURL)) throw invalidArgument("'baseURL' must be keyway's http(s) URL, e.g. http://127.0.0.1:8080.", "baseURL");
  return baseURL.replace(/\/+$/, "").replace(/\/v1$/, "");
}

function count(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const least = name === "timeoutMs" ? 1 : 0;
  if (!Number.isInteger(value) || value < least) throw invalidArgument(`'${name}' must be a whole number, ${least} or more.`, name);
  return value;
}

export class Keyway {
  private readonly transport: Transport;

  constructor(options: KeywayOptions) {
    if (typeof options?.apiKey !== "string" || options.apiKey.trim() === "") throw invalidArgument("'apiKey' must be your keyway key (kw_...).", "apiKey");
    const fetchImpl = options.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init));
    this.transport = new Transport({
      apiKey: options.apiKey.trim(),
      baseURL: rootOf(options.baseURL),
      maxRetries: count(options.maxRetries, 2, "maxRetries"),
      timeoutMs: count(options.timeoutMs, 600_000, "timeoutMs"),
      maxRetryDelayMs: count(options.maxRetryDelayMs, 20_000, "maxRetryDelayMs"),
      fetch: fetchImpl,
      defaultHeaders: options.defaultHeaders ?? {},
    });
  }

  /** keyway's root URL, as the client uses it. */
  get baseURL(): string {
    return this.transport.settings.baseURL;
  }

  /** A chat completion; with `{stream: true}`, a stream of chunks. `messages` may be a string: one user message. */
  chat(messages: ChatMessage[] | string, model?: string, options?: ChatOptions & { stream?: false }): Promise<ChatResult>;
  chat(messages: ChatMessage[] | string, model: string | undefined, options: ChatOptions & { stream: true }): Promise<ChatStream>;
  chat(messages: ChatMessage[] | string, model?: string, options?: ChatOptions): Promise<ChatResult | ChatStream>;
  chat(messages: ChatMessage[] | string, model?: string, options: ChatOptions = {}): Promise<ChatResult | ChatStream> {
    return options.stream ? chatStream(this.transport, messages, model, options) : chat(this.transport, messages, model, options);
  }

  /** A streamed chat completion: `for await (const chunk of await client.chatStream(...))`. */
  chatStream(messages: ChatMessage[] | string, model?: string, options: Omit<ChatOptions, "stream"> = {}): Promise<ChatStream> {
    return chatStream(this.transport, messages, model, options);
  }

  /** A text completion (POST /v1/completions); with `{stream: true}`, a stream of chunks. */
  completion(prompt: string, model?: string, options?: CompletionOptions & { stream?: false }): Promise<CompletionResult>;
  completion(prompt: string, model: string | undefined, options: CompletionOptions & { stream: true }): Promise<CompletionStream>;
  completion(prompt: string, model?: string, options?: CompletionOptions): Promise<CompletionResult | CompletionStream>;
  completion(prompt: string, model?: string, options: CompletionOptions = {}): Promise<CompletionResult | CompletionStream> {
    return options.stream ? completionStream(this.transport, prompt, model, options) : completion(this.transport, prompt, model, options);
  }

  /** Embedding vectors, one per text. */
  embeddings(text: string | string[], model?: string, options: EmbeddingsOptions = {}) {
    return embeddings(this.transport, text, model, options);
  }

  /** Generated images: `{size: "1024x1024"}` or `{aspectRatio: "16:9"}`. */
  images(prompt: string, model?: string, options: ImagesOptions = {}) {
    return images(this.transport, prompt, model, options);
  }

  /** Speech audio of `input` (`voice` is required). */
  textToSpeech(input: string, model: string | undefined, options: TextToSpeechOptions) {
    return textToSpeech(this.transport, input, model, options);
  }

  /** The models this key may use. */
  models(options: RequestOptions = {}) {
    return models(this.transport, options);
  }

  /** One model (`provider/model` or a model group); NotFoundError `model_not_found` when the key may not use it. */
  model(id: string, options: RequestOptions = {}) {
    return model(this.transport, id, options);
  }

  /** The configured providers with the stored keys the caller may see (hints, never a key). */
  providers(options: ProvidersOptions = {}) {
    return providers(this.transport, options);
  }

  /** Provider health: status, latency, success rate, per provider and stored key. */
  providerHealth(options: RequestOptions = {}) {
    return providerHealth(this.transport, options);
  }

  /** Usage figures of every call in a period (GET /v1/analytics/usage). */
  analytics(params: AnalyticsParams = {}) {
    return usageAnalytics(this.transport, params);
  }

  /** Usage figures of calls on your own keys (GET /v1/analytics/byok). */
  byokAnalytics(params: AnalyticsParams = {}) {
    return byokAnalytics(this.transport, params);
  }

  /** BYOK cost against what platform keys would have cost (GET /v1/analytics/cost-comparison). */
  costComparison(params: Omit<AnalyticsParams, "groupBy" | "keySource"> = {}) {
    return costComparison(this.transport, params);
  }
}
