// The shared base for OpenAI-compatible providers: requests and answers pass through nearly as they are.
import type {
  JsonEndpoint,
  ProviderAdapter,
  ProviderContext,
  ProviderEndpoints,
  UpstreamRequest,
} from "../plugins/sdk.ts";
import { defineProvider } from "../plugins/sdk.ts";
import { mapAspectRatio, withDropped } from "./openai-image-size.ts";
import { openAIResponsesEndpoint } from "./openai-responses.ts";
import { multipartForm } from "./multipart-form.ts";

/** Rate-limit headers of OpenAI and the servers that copy it (Mistral, Perplexity, Groq, vLLM ...). */
const OPENAI_RATE_LIMIT_HEADERS = { remainingRequests: ["x-ratelimit-remaining-requests"], remainingTokens: ["x-ratelimit-remaining-tokens"] };

export interface OpenAICompatibleOptions extends Pick<ProviderAdapter, "prices" | "modelGroups" | "keyPatterns" | "rateLimitHeaders"> {
  name: string;
  otelName?: string;
  keyPattern?: RegExp;
  modelPrefixes?: string[];
  defaultBaseUrl?: string;
  /** Which OpenAI endpoints this provider offers. Default: chat, completions, embeddings, images and speech (moderations and transcriptions only when named). */
  endpoints?: (keyof ProviderEndpoints)[];
  /** Extra headers for every request (besides Authorization). */
  headers?(ctx: ProviderContext): Record<string, string>;
  /** Parameters this provider rejects: removed from the request and reported as dropped. */
  unsupportedParams?: string[];
  /**
   * Parameters this provider names differently, OpenAI name -> provider name (Mistral: `seed` -> `random_seed`).
   * When the request already carries the provider's name, the OpenAI one is removed and reported as dropped.
   */
  renamedParams?: Record<string, string>;
  /**
   * Whether streamed requests carry `stream_options: {include_usage: true}`. Default true. False for providers
   * that reject the field and report usage in their stream on their own; any client `stream_options` is then removed.
   */
  streamOptions?: boolean;
  /** The server speaks OpenAI's Responses API (POST /responses): calls made in it are passed through natively. */
  responsesApi?: boolean;
}

/** The body with the provider's unsupported parameters removed and renamed ones renamed; what was dropped. */
function adjustParams(body: Record<string, unknown>, options: OpenAICompatibleOptions): { payload: Record<string, unknown>; dropped: string[] } {
  const dropped: string[] = [];
  let payload = body;
  if (options.unsupportedParams) {
    payload = { ...body };
    for (const param of options.unsupportedParams) {
      if (param in payload) {
        delete payload[param];
        dropped.push(param);
      }
    }
  }
  if (options.renamedParams) {
    payload = payload === body ? { ...body } : payload;
    for (const [from, to] of Object.entries(options.renamedParams)) {
      if (!(from in payload)) continue;
      if (to in payload) dropped.push(from);
      else payload[to] = payload[from];
      delete payload[from];
    }
  }
  return { payload, dropped };
}

function jsonRequest(
  path: string,
  body: Record<string, unknown>,
  ctx: ProviderContext,
  options: OpenAICompatibleOptions,
): UpstreamRequest {
  // Most providers take OpenAI's parameters as they are: nothing to copy or report.
  const adjusted = options.unsupportedParams || options.renamedParams ? adjustParams(body, options) : undefined;
  const payload = adjusted?.payload ?? body;
  return {
    url: `${ctx.baseUrl}${path}`,
    headers: {
      authorization: `Bearer ${ctx.apiKey}`,
      "content-type": "application/json",
      ...options.headers?.(ctx),
    },
    body: JSON.stringify({ ...payload, model: ctx.model }),
    dropped: adjusted && adjusted.dropped.length > 0 ? adjusted.dropped : undefined,
  };
}

function passThrough<Req extends object>(path: string, options: OpenAICompatibleOptions): JsonEndpoint<Req, unknown> {
  return {
    toUpstream: (body, ctx) => jsonRequest(path, body as Record<string, unknown>, ctx, options),
    fromUpstream: (json) => json,
  };
}

/** Streams always ask for usage so keyway can account for them; keyway hides it unless the client asked. */
function streamingBody(request: object, ctx: ProviderContext, options: OpenAICompatibleOptions): Record<string, unknown> {
  const body = request as Record<string, unknown>;
  if (options.streamOptions === false) {
    if (!("stream_options" in body)) return body;
    const { stream_options: _consumed, ...rest } = body;
    return rest;
  }
  if (!ctx.stream) return body;
  const asked = typeof body.stream_options === "object" && body.stream_options !== null ? body.stream_options : {};
  return { ...body, stream_options: { ...asked, include_usage: true } };
}

export function openAICompatibleProvider(options: OpenAICompatibleOptions): ProviderAdapter {
  const offered = new Set(options.endpoints ?? ["chat", "completions", "embeddings", "images", "speech"]);
  const endpoints: ProviderEndpoints = {};
  if (offered.has("chat")) {
    endpoints.chat = {
      toUpstream: (body, ctx) => jsonRequest("/chat/completions", streamingBody(body, ctx, options), ctx, options),
      fromUpstream: (json) => json as never,
      stream: "openai-sse",
    };
  }
  if (offered.has("completions")) {
    endpoints.completions = {
      toUpstream: (body, ctx) => jsonRequest("/completions", streamingBody(body, ctx, options), ctx, options),
      fromUpstream: (json) => json,
      stream: "openai-sse",
    };
  }
  if (offered.has("embeddings")) endpoints.embeddings = passThrough("/embeddings", options);
  if (offered.has("images")) {
    endpoints.images = {
      toUpstream: (body, ctx) => {
        const mapped = mapAspectRatio(body as Record<string, unknown>, ctx);
        return withDropped(jsonRequest("/images/generations", mapped.body, ctx, options), mapped.dropped);
      },
      fromUpstream: (json) => json,
    };
  }
  if (offered.has("speech")) {
    endpoints.speech = { toUpstream: (body, ctx) => jsonRequest("/audio/speech", body, ctx, options) };
  }
  if (offered.has("moderations")) endpoints.moderations = passThrough("/moderations", options);
  if (options.responsesApi) endpoints.native = { "openai-responses": openAIResponsesEndpoint((path, body, ctx) => jsonRequest(path, body, ctx, options)) };
  if (offered.has("transcriptions")) {
    endpoints.transcriptions = {
      toUpstream: (body, ctx) => {
        const { payload, dropped } = adjustParams(body, options);
        return {
          url: `${ctx.baseUrl}/audio/transcriptions`,
          // no content-type: fetch writes multipart/form-data with the form's boundary
          headers: { authorization: `Bearer ${ctx.apiKey}`, ...options.headers?.(ctx) },
          body: multipartForm({ ...payload, model: ctx.model }),
          dropped: dropped.length > 0 ? dropped : undefined,
        };
      },
    };
  }
  return defineProvider({
    name: options.name,
    otelName: options.otelName ?? options.name,
    keyPattern: options.keyPattern,
    modelPrefixes: options.modelPrefixes,
    defaultBaseUrl: options.defaultBaseUrl,
    prices: options.prices,
    modelGroups: options.modelGroups,
    keyPatterns: options.keyPatterns,
    rateLimitHeaders: options.rateLimitHeaders ?? OPENAI_RATE_LIMIT_HEADERS,
    endpoints,
    checkKey: (ctx) => ({
      url: `${ctx.baseUrl}/models`,
      method: "GET",
      headers: { authorization: `Bearer ${ctx.apiKey}`, ...options.headers?.(ctx) },
    }),
  });
}
