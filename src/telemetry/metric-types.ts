// What the gateway reports to metrics (Prometheus and OTLP alike), with labels bounded by construction: provider
// names from the config, models from the catalogue or `other`, error kinds and codes from fixed lists.
import type { EndpointName, KeySource } from "../plugins/sdk.ts";

export interface CallMetric {
  endpoint: EndpointName;
  provider: string | null;
  keySource: KeySource | string | null;
  status: number;
  seconds: number;
  inputTokens: number;
  outputTokens: number;
  /** List price of the call, USD, whoever paid. */
  estimatedCostUsd: number;
  /** What the account was charged, USD (0 when a BYOK key paid). */
  chargedUsd: number;
  /** The error answer's code (refusals and failures); absent on success. */
  errorCode?: string;
}

/** The bounded labels of one upstream call, as the GenAI client metrics name them. */
export interface GenAiLabels {
  /** gen_ai.operation.name */
  operation: string;
  /** gen_ai.provider.name: the adapter's well-known name. */
  system: string;
  /** The configured provider (keyway.provider). */
  provider: string;
  /** gen_ai.request.model: the catalogue's id or `other`. */
  requestModel: string;
  /** gen_ai.response.model: the catalogue's id or `other`. */
  responseModel?: string;
  serverAddress?: string;
  serverPort?: number;
}

/** One upstream attempt: `ok`, or the failure's kind (keyway's FailureKind). */
export interface AttemptMetric extends GenAiLabels {
  outcome: string;
  /** error.type of a failed attempt: the HTTP status, or the failure kind when no answer came. */
  errorType?: string;
  seconds: number;
}

/** The answering attempt, once its answer is complete: duration, tokens and, for streams, chunk timings. */
export interface CompletionMetric extends GenAiLabels {
  seconds: number;
  inputTokens?: number;
  outputTokens?: number;
  /** Streams: from sending the request to the first chunk. */
  firstChunkSeconds?: number;
  /** Streams: the mean time between chunks after the first, and how many such chunks. */
  perChunkSeconds?: number;
  laterChunks?: number;
  /** A stream that failed part-way. */
  errorType?: string;
}

/** What the gateway tells metrics; every method is cheap and never throws. */
export interface CallObserver {
  /** One finished request: answered, refused or failed. */
  record(call: CallMetric): void;
  attempt(attempt: AttemptMetric): void;
  completion(completion: CompletionMetric): void;
  /** A failed attempt after which keyway tried again (another key, provider or a retry); `hidden` when the call succeeded. */
  fallback(provider: string, reason: string, hidden: boolean): void;
  /** A stored key was set to cool down after a provider's Retry-After. */
  keyCooldown(): void;
  /** Reads each configured provider's circuit (true: open) when metrics are collected. */
  watchCircuits(read: () => Iterable<readonly [provider: string, open: boolean]>): void;
}

/** Fans one observation out to every configured backend (Prometheus, OTLP); undefined when there is none. */
export function observeAll(observers: readonly (CallObserver | undefined)[]): CallObserver | undefined {
  const present = observers.filter((o): o is CallObserver => o !== undefined);
  if (present.length <= 1) return present[0];
  return {
    record: (call) => { for (const o of present) o.record(call); },
    attempt: (attempt) => { for (const o of present) o.attempt(attempt); },
    completion: (completion) => { for (const o of present) o.completion(completion); },
    fallback: (provider, reason, hidden) => { for (const o of present) o.fallback(provider, reason, hidden); },
    keyCooldown: () => { for (const o of present) o.keyCooldown(); },
    watchCircuits: (read) => { for (const o of present) o.watchCircuits(read); },
  };
}

/** Histogram boundaries the GenAI conventions advise. */
export const BUCKETS = {
  durationSeconds: [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92],
  tokens: [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864],
  chunkSeconds: [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5],
} as const;

/** Metric names: the GenAI client conventions, and keyway's own (OTLP spelling; Prometheus replaces dots with `_`). */
export const METRIC = {
  operationDuration: "gen_ai.client.operation.duration",
  tokenUsage: "gen_ai.client.token.usage",
  timeToFirstChunk: "gen_ai.client.operation.time_to_first_chunk",
  timePerOutputChunk: "gen_ai.client.operation.time_per_output_chunk",
} as const;
