// The option bags every call takes, and how keyway's own options become its body fields (`byok_api_key`,
// `provider`, `routing`; never forwarded upstream) and request headers (X-Team-ID, X-Project-Tag, ...).
import { KeywayError } from "./errors.ts";
import type { WireUsage } from "./wire.ts";

/** Options of every call. */
export interface RequestOptions {
  /** Aborts the call (and, for a stream, the stream: keyway then aborts the upstream request). */
  signal?: AbortSignal;
  /** Overrides the client's timeoutMs for this call. */
  timeoutMs?: number;
  /** Overrides the client's maxRetries for this call (GETs; see the retry rules). */
  maxRetries?: number;
  /** Sent as X-Request-Id: keyway echoes it and logs the call under it. */
  requestId?: string;
  /** Further request headers. */
  headers?: Record<string, string>;
}

export type RoutingStrategy = "direct" | "byok_preferred" | "fallback_chain" | "cost_optimized" | "latency_optimized" | "weighted" | (string & {});
export type FallbackReason = "rate_limit" | "timeout" | "server_error" | "model_not_available";

/** keyway's `routing` request field, in TypeScript naming. */
export interface RoutingOptions {
  strategy?: RoutingStrategy;
  providerOrder?: string[];
  fallbackReasons?: FallbackReason[];
  useByokOnly?: boolean;
  fallbackToPlatform?: boolean;
  costWeights?: Record<string, number>;
  weights?: Record<string, number>;
}

/** Options of every inference call (chat, completion, embeddings, images, textToSpeech). */
export interface InferenceOptions extends RequestOptions {
  /** Your own provider key for this call only (keyway's `byok_api_key` field): never stored, logged or forwarded as a field. */
  byokApiKey?: string;
  /** Force this provider (keyway's `provider` field). */
  provider?: string;
  routing?: RoutingOptions;
  /** X-Team-ID: the team the call is made for. */
  teamId?: string;
  /** X-Project-Tag. */
  projectTag?: string;
  /** X-Approval-Id: repeat a call that was refused with `approval_required`, once approved. */
  approvalId?: string;
  /** X-Use-BYOK: true: only your own keys (sent or stored), never the operator's platform keys. */
  useByokOnly?: boolean;
  /** Further body fields, sent to the provider unchanged (`seed`, `logprobs`, a provider's own parameters). */
  extraBody?: Record<string, unknown>;
}

/** Token counts and what keyway charged. */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Reasoning tokens, where the provider reports them (included in completionTokens). */
  reasoningTokens: number | null;
  /** Prompt tokens read from the provider's cache, where reported. */
  cachedTokens: number | null;
  /** USD keyway charged: 0 when your own key paid. */
  costUsd: number | null;
}

export function usageFrom(wire: WireUsage | null | undefined): Usage | null {
  if (!wire) return null;
  const prompt = wire.prompt_tokens ?? 0;
  const completion = wire.completion_tokens ?? 0;
  return {
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: wire.total_tokens ?? prompt + completion,
    reasoningTokens: wire.completion_tokens_details?.reasoning_tokens ?? null,
    cachedTokens: wire.prompt_tokens_details?.cached_tokens ?? null,
    costUsd: typeof wire.cost === "number" ? wire.cost : null,
  };
}

/** A refusal by the client itself, before anything is sent (bad arguments): keyway's `invalid_request` shape. */
export function invalidArgument(message: string, param: string): KeywayError {
  return new KeywayError(message, { code: "invalid_request", status: null, param });
}

export function requireText(value: unknown, param: string): string {
  if (typeof value !== "string" || value === "") throw invalidArgument(`'${param}' must be a non-empty string.`, param);
  return value;
}

export function optionalModel(model: unknown): string | undefined {
  if (model === undefined || model === null) return undefined;
  return requireText(model, "model");
}

function routingField(routing: RoutingOptions): Record<string, unknown> {
  const field: Record<string, unknown> = {
    strategy: routing.strategy,
    provider_order: routing.providerOrder,
    fallback_reasons: routing.fallbackReasons,
    use_byok_only: routing.useByokOnly,
    fallback_to_platform: routing.fallbackToPlatform,
    cost_weights: routing.costWeights,
    weights: routing.weights,
  };
  for (const name of Object.keys(field)) if (field[name] === undefined) delete field[name];
  return field;
}

/** The body: the call's own fields, then extraBody, then keyway's fields (which extraBody cannot hide). */
export function inferenceBody(fields: Record<string, unknown>, options: InferenceOptions): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, value] of Object.entries({ ...fields, ...options.extraBody })) if (value !== undefined) body[name] = value;
  if (options.byokApiKey !== undefined) body.byok_api_key = requireText(options.byokApiKey, "byokApiKey");
  if (options.provider !== undefined) body.provider = requireText(options.provider, "provider");
  if (options.routing !== undefined) body.routing = routingField(options.routing);
  return body;
}

export function inferenceHeaders(options: InferenceOptions): Record<string, string | undefined> {
  return {
    ...options.headers,
    "x-team-id": options.teamId,
    "x-project-tag": options.projectTag,
    "x-approval-id": options.approvalId,
    "x-use-byok": options.useByokOnly ? "true" : undefined,
    "x-request-id": options.requestId,
  };
}

/** The parts of a RequestSpec every call takes from its options. */
export function callSettings(options: RequestOptions) {
  return { signal: options.signal, timeoutMs: options.timeoutMs, maxRetries: options.maxRetries };
}
