// The plugin contract: the types every provider adapter and routing strategy is written on, and define* that check them.
// Built-in adapters and strategies use exactly this file; plugins get it, with the helpers, as `keyway/plugin`
// (src/plugin-host/public-module.ts). It imports nothing from providers/ or routing/.
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatRequest,
  CompletionRequest,
  EmbeddingRequest,
  ImageRequest,
  ModerationRequest,
  SpeechRequest,
  TranscriptionRequest,
  Usage,
} from "./openai-types.ts";

import { providerShapeProblems, strategyShapeProblems } from "./plugin-shape.ts";

export type * from "./openai-types.ts";

export type EndpointName = "chat" | "completions" | "embeddings" | "images" | "speech" | "moderations" | "transcriptions";

/** What an adapter knows about the attempt it is building. Never logged: it holds the key. */
export interface ProviderContext {
  /** The configured provider name, as clients write it before the '/'. */
  provider: string;
  /** The upstream model id (without the provider prefix). */
  model: string;
  /** The configured base URL, without a trailing slash. */
  baseUrl: string;
  apiKey: string;
  stream: boolean;
  /** Free-form `options` from the provider's config entry. */
  options: Readonly<Record<string, unknown>>;
}

/** `Body`: JSON text, or for a file upload (transcriptions) a multipart form, sent with fetch's own content type. */
export interface UpstreamRequest<Body extends string | FormData = string> {
  url: string;
  method?: "POST" | "GET";
  headers: Record<string, string>;
  body?: Body;
  /** Request parameters this provider cannot honour; reported in X-Keyway-Dropped-Params. */
  dropped?: string[];
}

/** Why an upstream attempt failed, in keyway's terms; decides fallback and the client's error. */
export type FailureKind =
  | "auth"
  | "rate_limit"
  | "server_error"
  | "timeout"
  | "model_not_available"
  | "bad_request";

export interface UpstreamFailure {
  kind: FailureKind;
  message: string;
  retryAfterSeconds?: number;
}

/** One event of an upstream stream: an SSE event, or one line of a line-delimited stream. */
export interface StreamEvent {
  event?: string;
  data: string;
}

/**
 * Turns an upstream stream into OpenAI chunks. `translate` and `finish` are pure over the
 * explicit state, so a translator is unit-testable from recorded event sequences.
 * A chunk carrying `usage` (and no choices) reports token usage; keyway forwards it only
 * when the client asked for `stream_options.include_usage`.
 */
export interface StreamTranslator<State = unknown> {
  /** How the upstream frames its events. Default `sse`. */
  framing?: "sse" | "ndjson";
  start(ctx: ProviderContext, request: ChatRequest): State;
  translate(event: StreamEvent, state: State): ChatCompletionChunk[];
  /** Called once at the end of the upstream stream. */
  finish(state: State): ChatCompletionChunk[];
}

export interface JsonEndpoint<Req, Res> {
  toUpstream(body: Req, ctx: ProviderContext): UpstreamRequest;
  fromUpstream(json: unknown, ctx: ProviderContext, request: Req): Res;
  /**
   * How `stream: true` answers arrive. `openai-sse`: the upstream speaks OpenAI's chunk format and
   * its bytes pass through untouched; otherwise a translator from the upstream's own events.
   * Absent: the endpoint does not stream.
   */
  stream?: "openai-sse" | StreamTranslator;
}

export interface ChatEndpoint extends JsonEndpoint<ChatRequest, ChatCompletion> {
  stream: "openai-sse" | StreamTranslator;
}

/** Speech answers are audio bytes, passed through with the upstream content type. */
export interface SpeechEndpoint {
  toUpstream(body: SpeechRequest, ctx: ProviderContext): UpstreamRequest;
}

/**
 * A client wire format other than OpenAI's that some providers speak themselves (see `ProviderEndpoints.native`).
 * `anthropic-count-tokens` is Anthropic's token count (POST /v1/messages/count_tokens): free, JSON only.
 */
export type NativeFormat = "anthropic-messages" | "anthropic-count-tokens" | "openai-responses";

/** What keyway reads from a native answer that it passes on untouched. */
export interface NativeReading {
  usage?: Usage;
  model?: string;
  finishReasons?: string[];
}

/**
 * A client format the provider speaks as its own: a call made in it is sent with the client's own body (the model
 * set to the upstream id, keyway's fields removed) and the answer, or the stream, goes back byte for byte.
 */
export interface NativeEndpoint {
  /** `headers`: the client's headers of this format (`anthropic-version`, `anthropic-beta`), lower-case names. */
  toUpstream(body: Record<string, unknown>, ctx: ProviderContext, headers: Readonly<Record<string, string>>): UpstreamRequest;
  /** Usage, model and finish reasons of a JSON answer (the answer itself is not changed). */
  read(json: unknown): NativeReading;
  /** Reads the stream's events for usage, model and finish reasons; the chunks it makes are never sent. */
  stream: StreamTranslator;
  /** The event that completes a stream: its bytes are sent once the call's usage is recorded. */
  isLast(event: StreamEvent): boolean;
}

/**
 * Transcription answers (JSON for json/verbose_json, text for text/srt/vtt) pass through with the upstream content
 * type; keyway reads the usage of a JSON answer itself. `toUpstream` builds a multipart request (body: FormData).
 */
export interface TranscriptionEndpoint {
  toUpstream(body: TranscriptionRequest, ctx: ProviderContext): UpstreamRequest<FormData>;
}

export interface ProviderEndpoints {
  chat?: ChatEndpoint;
  /** Client formats this provider speaks natively, answered without translation. */
  native?: Partial<Record<NativeFormat, NativeEndpoint>>;
  completions?: JsonEndpoint<CompletionRequest, unknown>;
  embeddings?: JsonEndpoint<EmbeddingRequest, unknown>;
  images?: JsonEndpoint<ImageRequest, unknown>;
  speech?: SpeechEndpoint;
  moderations?: JsonEndpoint<ModerationRequest, unknown>;
  transcriptions?: TranscriptionEndpoint;
}

export interface ProviderAdapter {
  /** Adapter name, as written in `providers.*.adapter`. */
  name: string;
  /** The OpenTelemetry `gen_ai.provider.name` value (`openai`, `anthropic`, `gcp.gemini`, ...). */
  otelName: string;
  /**
   * A whole key of this provider looks like this (tested against the key alone, so usually anchored with `^`);
   * used to tell a key meant for another provider.
   */
  keyPattern?: RegExp;
  /**
   * Where this provider's keys hide inside text (an error message, a log line): each is searched for anywhere
   * and every match is redacted. Not anchored; a `g` flag is added when missing. Must not match empty text.
   */
  keyPatterns?: RegExp[];
  /**
   * List prices, model id -> USD per million tokens. A model matches the longest id it starts with
   * (`gpt-4o-2024-08-06` -> `gpt-4o`); the config's `providers.*.models` entries override these.
   */
  prices?: Record<string, ModelPrice>;
  /** Members this provider adds to model groups: group name (`flagship`, `fast`, ...) -> upstream model id. */
  modelGroups?: Record<string, string>;
  /** Response headers carrying what is left of the provider's rate-limit window, each list tried in order. */
  rateLimitHeaders?: RateLimitHeaders;
  /**
   * Names of the stored-key settings this provider reads (`safety_settings` for Gemini): a key stored with such a
   * setting hands it to the endpoints as `ctx.options[name]`; a setting no adapter names is refused when stored.
   */
  keySettings?: string[];
  /** Model id prefixes that mean this provider when a bare model name is given. */
  modelPrefixes?: string[];
  /** The public base URL used when the config names none. */
  defaultBaseUrl?: string;
  endpoints: ProviderEndpoints;
  /** Maps a failed upstream answer to keyway's terms. Default: by HTTP status. */
  mapError?(status: number, body: string, headers: Headers): UpstreamFailure;
  /** The model ids the key in `ctx` may use, read from the provider; adapters whose provider cannot say omit it. */
  listModels?(ctx: ProviderContext): Promise<string[]>;
  /** The provider's cheapest authenticated call; throws an UpstreamFailure-shaped error when refused. */
  checkKey?(ctx: ProviderContext): UpstreamRequest;
}

/** USD per million tokens, each a whole number of micro-USD per million tokens (at most six decimals). */
export interface ModelPrice {
  input_per_mtok: number;
  output_per_mtok: number;
  /** Input tokens read from the provider's prompt cache; absent: priced as input. */
  cache_read_per_mtok?: number;
  /** Input tokens written to the provider's prompt cache; absent: priced as input. */
  cache_write_per_mtok?: number;
}

export interface RateLimitHeaders {
  /** Requests left in the current window (read into the health view's rate_limit_remaining). */
  remainingRequests?: string[];
  /** Tokens left in the current window. */
  remainingTokens?: string[];
}

export type KeySource = "request" | "stored" | "platform";

/** One way to serve a request: a provider, its model, and which key would pay. Never the key itself. */
export interface Candidate {
  provider: string;
  adapter: string;
  model: string;
  keySource: KeySource;
  /** Identifies the key within its source (a stored key id, a platform key index). */
  keyRef: string;
  /** List price in USD per million tokens, when known. */
  price?: ModelPrice;
  /** Recent health of the provider and of this key (filled by the health monitor; disabled providers never reach `plan`). */
  health?: CandidateHealth;
}

/**
 * The health view a strategy sees on each candidate, as this gateway recorded it over the last minutes.
 * `healthy` is false when the provider is degraded (slow) or failing.
 */
export interface CandidateHealth {
  healthy: boolean;
  status?: HealthStatus;
  /** p50 and p95 latency of successful attempts, until the answer started (ms). */
  latencyMs?: number;
  latencyP95Ms?: number;
  /** Percent of judged attempts that succeeded. */
  successRate?: number;
  /** Requests left in the provider's rate-limit window, as its last answer said (`rateLimitHeaders`). */
  rateLimitRemaining?: number;
  /** This candidate's key (stored keys): its own rate-limit headroom, and whether it cools down after a 429. */
  key?: { rateLimitRemaining?: number; coolingDown: boolean; coolingUntil?: string };
}

/** `unknown`: no recent attempts; `degraded`: slower than the latency threshold; `unhealthy`: under the success threshold. */
export type HealthStatus = "healthy" | "degraded" | "unhealthy" | "disabled" | "unknown";

export interface RoutingRequest {
  endpoint: EndpointName;
  model: string;
  strategy: string;
  providerOrder?: string[];
  costWeights?: Record<string, number>;
  /** Provider -> weight, for the `weighted` strategy. */
  weights?: Record<string, number>;
  useByokOnly: boolean;
  fallbackToPlatform: boolean;
}

export interface RoutingStrategy {
  name: string;
  /**
   * Orders the candidates (and may leave some out); may be async. Timeouts, retries and fallback belong to the
   * executor. The answer is checked: only candidates it was given, unchanged, each at most once; anything else (or a
   * throw) is refused and the default strategy plans the request instead.
   */
  plan(request: RoutingRequest, candidates: readonly Candidate[]): Candidate[] | Promise<Candidate[]>;
}

function refuse(kind: string, value: unknown, problems: string[]): void {
  if (problems.length === 0) return;
  const named = (value as { name?: unknown } | null)?.name;
  const name = typeof named === "string" && named !== "" ? ` '${named}'` : "";
  throw new TypeError(`${kind}${name} is malformed: ${problems.join("; ")}`);
}

/** Checks an adapter's shape (refusing it with every problem found) and returns it. */
export function defineProvider(adapter: ProviderAdapter): ProviderAdapter {
  refuse("provider adapter", adapter, providerShapeProblems(adapter));
  return adapter;
}

/** Checks a strategy's shape (refusing it with every problem found) and returns it, its own type kept. */
export function defineStrategy<S extends RoutingStrategy>(strategy: S): S {
  refuse("routing strategy", strategy, strategyShapeProblems(strategy));
  return strategy;
}
