// @keyway/client (`keyway/client` inside this repository): the TypeScript client of keyway. Fetch-based, no
// runtime dependencies; runs on Bun, Node 18+ and in browsers.
export { Keyway, type KeywayOptions } from "./client.ts";
export type { ChatChunk, ChatMessage, ChatOptions, ChatResult, ChatStream, ChatTool, ContentPart, ToolCall } from "./chat.ts";
export type { CompletionChunk, CompletionOptions, CompletionResult, CompletionStream } from "./completion.ts";
export type { EmbeddingsOptions, EmbeddingsResult } from "./embeddings.ts";
export type { GeneratedImage, ImagesOptions, ImagesResult } from "./images.ts";
export type { SpeechResult, TextToSpeechOptions } from "./speech.ts";
export type { ModelInfo, ModelResult, ModelsResult } from "./models.ts";
export type { ProviderHealth, ProviderHealthResult, ProviderInfo, ProvidersOptions, ProvidersResult, StoredKeyInfo } from "./providers.ts";
export type { AnalyticsEntry, AnalyticsGroup, AnalyticsParams, AnalyticsPeriod, AnalyticsResult, CostComparisonReport, UsageReport } from "./analytics.ts";
export type { FallbackReason, InferenceOptions, RequestOptions, RoutingOptions, RoutingStrategy, Usage } from "./options.ts";
export type { ResponseMeta } from "./meta.ts";
export { KeywayStream, type StreamChunkBase } from "./stream.ts";
export type { FetchLike } from "./transport.ts";
export {
  AbortError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  KeywayError,
  type KeywayErrorInit,
  NotFoundError,
  PaymentRequiredError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from "./errors.ts";
export type { WireAssistantMessage, WireAttempt, WireChatChunk, WireChatCompletion, WireCompletion, WireEmbeddings, WireError, WireImages, WireModel, WireToolCall, WireToolCallDelta, WireUsage } from "./wire.ts";
