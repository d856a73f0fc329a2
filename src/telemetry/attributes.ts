// Span attribute names: the OpenTelemetry GenAI conventions and keyway's own.

export const ATTR = {
  providerName: "gen_ai.provider.name",
  operationName: "gen_ai.operation.name",
  requestModel: "gen_ai.request.model",
  responseModel: "gen_ai.response.model",
  inputTokens: "gen_ai.usage.input_tokens",
  outputTokens: "gen_ai.usage.output_tokens",
  finishReasons: "gen_ai.response.finish_reasons",
  serverAddress: "server.address",
  serverPort: "server.port",
  errorType: "error.type",
  httpMethod: "http.request.method",
  httpRoute: "http.route",
  httpStatus: "http.response.status_code",
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

/** gen_ai.operation.name for each endpoint. */
export const OPERATION = {
  chat: "chat",
  completions: "text_completion",
  embeddings: "embeddings",
  images: "generate_content",
  speech: "generate_content",
  moderations: "moderations",
} as const;
