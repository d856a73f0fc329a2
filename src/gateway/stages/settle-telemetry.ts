// What a finished call tells telemetry: the server span closed with the HTTP status (usage stays on the attempts'
// CLIENT spans), the access log line, and the metrics (the request, the answering attempt's GenAI measurements, the
// failed attempts a fallback or retry followed). An unmetered call (a token count) gets its span and log line only.
import { type Span, isSpanContextValid } from "@opentelemetry/api";
import type { GatewayError } from "../../core/errors.ts";
import { accessLogOn, writeAccessLog } from "../../telemetry/access-log.ts";
import { OPERATION } from "../../telemetry/attributes.ts";
import type { Logger } from "../../telemetry/logger.ts";
import type { CallObserver } from "../../telemetry/metric-types.ts";
import { redactSecrets } from "../../telemetry/redact.ts";
import { endServerSpan } from "../../telemetry/server-span.ts";
import { microsToUsd } from "../../usage/money.ts";
import type { Settlement } from "../answer.ts";
import { modelLabel } from "../model-label.ts";
import type { CallContext, ExecutedContext } from "./context.ts";

export interface SettleTelemetryDeps {
  logger: Logger;
  /** Metrics (Prometheus, OTLP); undefined when none is on. */
  metrics: Pick<CallObserver, "record" | "completion" | "fallback"> | undefined;
  /** `telemetry.access_log` (on when absent). */
  accessLog?: boolean;
}

const traceIdOf = (span: Span): string | undefined => (isSpanContextValid(span.spanContext()) ? span.spanContext().traceId : undefined);

export interface SettledNumbers {
  inputTokens: number;
  outputTokens: number;
  estimatedMicros: number;
  chargedMicros: number;
}

export function observeSettled(state: ExecutedContext, s: Settlement, n: SettledNumbers, deps: SettleTelemetryDeps): void {
  const { call, server, execution } = state;
  const { candidate, provider } = execution.attempt;
  const byok = candidate.keySource !== "platform";
  endServerSpan(server, s.status, s.error ? "stream_error" : undefined);
  const latencyMs = Date.now() - call.startedAt;
  if (accessLogOn(deps.logger, deps.accessLog !== false)) writeAccessLog(deps.logger, {
    request_id: call.requestId,
    endpoint: call.endpoint,
    status: s.status,
    latency_ms: latencyMs,
    account_id: call.principal.accountId,
    team_id: state.policy?.team?.team.id ?? null,
    provider: candidate.provider,
    model: candidate.model,
    key_source: candidate.keySource,
    input_tokens: n.inputTokens,
    output_tokens: n.outputTokens,
    cost_micros: byok ? 0 : n.chargedMicros,
    estimated_cost_micros: n.estimatedMicros,
    attempts: execution.attempts,
    trace_id: traceIdOf(server),
  });
  const { metrics } = deps;
  if (!metrics) return;
  metrics.record({
    endpoint: call.endpoint,
    provider: candidate.provider,
    keySource: candidate.keySource,
    status: s.status,
    seconds: latencyMs / 1000,
    inputTokens: n.inputTokens,
    outputTokens: n.outputTokens,
    estimatedCostUsd: microsToUsd(n.estimatedMicros),
    chargedUsd: byok ? 0 : microsToUsd(n.chargedMicros),
  });
  const endedAt = performance.now();
  const { firstChunkAt, sentAt } = execution;
  const laterChunks = Math.max(0, (s.chunks ?? 0) - 1);
  metrics.completion({
    operation: OPERATION[call.endpoint],
    system: provider.otelName,
    provider: provider.name,
    requestModel: modelLabel(provider, execution.attempt.ctx.model),
    responseModel: s.responseModel ? modelLabel(provider, s.responseModel) : undefined,
    serverAddress: provider.host,
    serverPort: provider.port,
    seconds: (endedAt - sentAt) / 1000,
    inputTokens: s.usage ? n.inputTokens : undefined,
    outputTokens: s.usage ? n.outputTokens : undefined,
    firstChunkSeconds: firstChunkAt === undefined ? undefined : (firstChunkAt - sentAt) / 1000,
    perChunkSeconds: firstChunkAt !== undefined && laterChunks > 0 ? (endedAt - firstChunkAt) / 1000 / laterChunks : undefined,
    laterChunks,
    errorType: s.error ? "stream_error" : undefined,
  });
  for (const failure of execution.failed) metrics.fallback(failure.provider, failure.kind, true);
}

/**
 * An unmetered call answered: the server span and the access log line (marked `unmetered`), no metrics, which count
 * chargeable calls. `answered` is the attempt that answered; absent when keyway answered itself (an estimate).
 */
export function observeUnmetered(state: CallContext, status: number, answered: { provider: string; model: string; keySource: string; attempts: number } | undefined, deps: SettleTelemetryDeps): void {
  const { call, server } = state;
  endServerSpan(server, status);
  if (accessLogOn(deps.logger, deps.accessLog !== false)) writeAccessLog(deps.logger, {
    request_id: call.requestId,
    endpoint: call.endpoint,
    status,
    latency_ms: Date.now() - call.startedAt,
    account_id: call.principal.accountId,
    team_id: state.policy?.team?.team.id ?? null,
    provider: answered?.provider ?? null,
    model: answered?.model ?? null,
    key_source: answered?.keySource ?? null,
    attempts: answered?.attempts ?? 0,
    unmetered: true,
    trace_id: traceIdOf(server),
  });
}

/** A failure reason as attempt summaries write it: `kind: message`. */
const kindOf = (reason: string): string => /^([a-z_]+):/.exec(reason)?.[1] ?? "unknown";

export function observeFailure(state: CallContext, error: GatewayError, deps: SettleTelemetryDeps): void {
  const { call, server, requestKey } = state;
  endServerSpan(server, error.status, error.code);
  const last = error.attempts?.at(-1);
  const latencyMs = Date.now() - call.startedAt;
  if (accessLogOn(deps.logger, deps.accessLog !== false)) writeAccessLog(deps.logger, {
    request_id: call.requestId,
    endpoint: call.endpoint,
    status: error.status,
    latency_ms: latencyMs,
    account_id: call.principal.accountId,
    team_id: state.policy?.team?.team.id ?? null,
    provider: last?.provider ?? null,
    model: last?.model ?? null,
    key_source: last?.key_source ?? null,
    attempts: error.attempts?.length ?? 0,
    code: error.code,
    message: redactSecrets(error.message, [requestKey]),
    failures: error.attempts?.map((a) => ({ ...a, reason: redactSecrets(a.reason, [requestKey]) })),
    trace_id: traceIdOf(server),
  });
  const { metrics } = deps;
  if (!metrics || call.unmetered) return;
  metrics.record(unansweredCall(call.endpoint, error, latencyMs, last?.provider ?? null, last?.key_source ?? null));
  for (const attempt of error.attempts?.slice(0, -1) ?? []) metrics.fallback(attempt.provider, kindOf(attempt.reason), false);
}

/** The metric of a call that got no answer (failed or refused): no tokens, nothing charged, keyway's error code. */
function unansweredCall(endpoint: Refusal["endpoint"], error: GatewayError, latencyMs: number, provider: string | null, keySource: string | null) {
  return { endpoint, provider, keySource, status: error.status, seconds: latencyMs / 1000, inputTokens: 0, outputTokens: 0, estimatedCostUsd: 0, chargedUsd: 0, errorCode: error.code };
}

export interface Refusal {
  server: Span;
  endpoint: ExecutedContext["call"]["endpoint"];
  requestId: string;
  startedAt: number;
  error: GatewayError;
  /** Known once the caller authenticated (a body refused after that). */
  accountId?: string;
}

/** A request refused before the pipeline (authentication, an unreadable or invalid body): span, access log, metrics. */
export function observeRefusal(refusal: Refusal, deps: SettleTelemetryDeps): void {
  const { error } = refusal;
  endServerSpan(refusal.server, error.status, error.code);
  const latencyMs = Date.now() - refusal.startedAt;
  if (accessLogOn(deps.logger, deps.accessLog !== false)) writeAccessLog(deps.logger, {
    request_id: refusal.requestId,
    endpoint: refusal.endpoint,
    status: error.status,
    latency_ms: latencyMs,
    account_id: refusal.accountId ?? null,
    code: error.code,
    message: error.message,
    trace_id: traceIdOf(refusal.server),
  });
  deps.metrics?.record(unansweredCall(refusal.endpoint, error, latencyMs, null, null));
}
