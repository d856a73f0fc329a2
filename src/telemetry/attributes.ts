// Span attribute names: the OpenTelemetry GenAI conventions and keyway's own.

export const ATTR = {
  providerName: "gen_ai.provider.name",
  operationName: "gen_ai.operation.name",
  requestModel: "gen_ai.request.model",
  responseModel: "gen_ai.response.model",
  inputTokens: "gen_ai.usage.input_tokens",
  outputTokens: "gen_ai.usage.output_tokens",
  finishReasons: "gen_ai.response.finish_reasons",
  responseId: "gen_ai.response.id",
  timeToFirstChunk: "gen_ai.response.time_to_first_chunk",
  temperature: "gen_ai.request.temperature",
  maxTokens: "gen_ai.request.max_tokens",
  topP: "gen_ai.request.top_p",
  seed: "gen_ai.request.seed",
  stream: "gen_ai.request.stream",
  cacheReadTokens: "gen_ai.usage.cache_read.input_tokens",
  cacheCreationTokens: "gen_ai.usage.cache_creation.input_tokens",
  reasoningTokens: "gen_ai.usage.reasoning.output_tokens",
  tokenType: "gen_ai.token.type",
  serverAddress: "server.address",
  serverPort: "server.port",
  errorType: "error.type",
  httpMethod: "http.request.method",
  httpRoute: "http.route",
  httpStatus: "http.response.status_code",
  urlPath: "url.path",
  urlScheme: "url.scheme",
  clientAddress: "client.address",
  providerUsed: "keyway.provider.used",
  byok: "keyway.byok",
  keySource: "keyway.key.source",
  strategy: "keyway.routing.strategy",
  attempt: "keyway.attempt",
  fallbackReason: "keyway.fallback.reason",
  teamId: "keyway.team.id",
  projectTag: "keyway.project.tag",
  requestId: "keyway.request.id",
} as const;

/**
 * The names of GenAI semantic conventions v1.36.0 where the newest release renamed them (semconv.ts): emitted beside
 * the newest names unless OTEL_SEMCONV_STABILITY_OPT_IN holds `gen_ai_latest_experimental`.
 */
export const PREVIOUS_ATTR: Readonly<Record<string, string>> = {
  "gen_ai.provider.name": "gen_ai.system",
};

/** gen_ai.operation.name for each endpoint. */
export const OPERATION = {
  chat: "chat",
  completions: "text_completion",
  embeddings: "embeddings",
  images: "generate_content",
  speech: "generate_content",
  moderations: "moderations",
  transcriptions: "generate_content",
} as const;
