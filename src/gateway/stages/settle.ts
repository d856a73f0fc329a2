// Stage "settle": what is recorded when a call ends: spans closed, the usage row, the access log line, the team's
// request log, metrics, and the settlement of what admission reserved (credits, budgets, token limits).
import { SpanStatusCode } from "@opentelemetry/api";
import type { GatewayError } from "../../core/errors.ts";
import type { BatchWriter } from "../../store/batch-writer.ts";
import type { RequestLog } from "../../store/repositories/request-logs.ts";
import { ATTR } from "../../telemetry/attributes.ts";
import type { Logger } from "../../telemetry/logger.ts";
import { redactSecrets, redactValue } from "../../telemetry/redact.ts";
import type { Metrics } from "../../telemetry/metrics.ts";
import type { UsageRecorder } from "../../usage/recorder.ts";
import { type Settlement, estimatedMicros, recordUsageOnSpan } from "../answer.ts";
import type { CallContext, ExecutedContext } from "./context.ts";
import { microsToUsd } from "../../usage/money.ts";

export interface SettleDeps {
  usage: Pick<UsageRecorder, "record">;
  logger: Logger;
  /** Team request logs (bodies), for teams with `log_all_requests`. */
  requestLogs: Pick<BatchWriter<RequestLog>, "add">;
  /** Prometheus metrics; undefined when `telemetry.prometheus` is off. */
  metrics: Pick<Metrics, "record"> | undefined;
}

function logBodies(deps: SettleDeps, state: CallContext, status: number, provider: string | null, model: string | null, response: unknown): void {
  if (!state.policy?.team?.controls.log_all_requests) return;
  const secrets = [state.requestKey];
  deps.requestLogs.add({
    teamId: state.policy.team.team.id,
    requestId: state.call.requestId,
    apiKeyId: state.call.principal.keyId,
    projectTag: state.policy.projectTag ?? null,
    endpoint: state.call.endpoint,
    provider,
    model,
    status,
    request: redactValue(state.upstream ?? state.call.body, secrets),
    response: redactValue(response ?? null, secrets),
    createdAt: Date.now(),
  });
}

/** The usage-row fields every call has, whatever its outcome. */
function callFields(state: CallContext) {
  const { call } = state;
  return {
    requestId: call.requestId,
    accountId: call.principal.accountId,
    apiKeyId: call.principal.keyId,
    teamId: state.policy?.team?.team.id ?? null,
    projectTag: state.policy?.projectTag ?? null,
    endpoint: call.endpoint,
    latencyMs: Date.now() - call.startedAt,
    createdAt: Date.now(),
  };
}

/** The settle function handed to the answer: runs once, when the answer is complete or abandoned. */
export function settleCall(state: ExecutedContext, deps: SettleDeps) {
  const { execution } = state;
  return async (s: Settlement): Promise<number> => {
    const { call, server } = state;
    const { candidate } = execution.attempt;
    const byok = candidate.keySource !== "platform";
    const estimated = estimatedMicros(execution, s.usage);
    const inputTokens = s.usage?.prompt_tokens ?? 0;
    const outputTokens = s.usage?.completion_tokens ?? 0;
    const charged = execution.attempt.admission?.price(inputTokens, outputTokens) ?? 0;
    recordUsageOnSpan(execution, s);
    if (s.usage) {
      server.setAttribute(ATTR.inputTokens, inputTokens);
      server.setAttribute(ATTR.outputTokens, outputTokens);
    }
    if (s.responseModel) server.setAttribute(ATTR.responseModel, s.responseModel);
    server.setAttribute(ATTR.httpStatus, s.status);
    if (s.error) server.setStatus({ code: SpanStatusCode.ERROR, message: "stream failed" });
    server.end();
    deps.logger.debug("request", {
      request_id: call.requestId,
      endpoint: call.endpoint,
      provider: candidate.provider,
      model: candidate.model,
      key_source: candidate.keySource,
      status: s.status,
      attempts: execution.attempts,
      latency_ms: Date.now() - call.startedAt,
    });
    const durable = deps.usage.record({
      ...callFields(state),
      provider: candidate.provider,
      model: candidate.model,
      keySource: candidate.keySource,
      byok,
      status: s.status,
      inputTokens,
      outputTokens,
      usageEstimated: s.usageEstimated ?? false,
      costMicros: byok ? 0 : charged,
      estimatedCostMicros: estimated,
      attempts: execution.attempts,
    });
    logBodies(deps, state, s.status, candidate.provider, candidate.model, s.body ?? { stream: true, usage: s.usage ?? null, finish_reasons: s.finishReasons ?? [] });
    deps.metrics?.record({
      endpoint: call.endpoint,
      provider: candidate.provider,
      keySource: candidate.keySource,
      status: s.status,
      seconds: (Date.now() - call.startedAt) / 1000,
      inputTokens,
      outputTokens,
      estimatedCostUsd: microsToUsd(estimated),
      chargedUsd: byok ? 0 : microsToUsd(charged),
    });
    await durable;
    // Settled only once the usage row is durable: a crash in between is settled from that row at the next start.
    await execution.attempt.admission?.settle({ inputTokens, outputTokens, chargedMicros: charged });
    return byok ? 0 : charged;
  };
}

/** Records a call that ended in an error; resolves once its usage row is written. */
export async function recordFailure(state: CallContext, error: GatewayError, deps: SettleDeps): Promise<void> {
  const { call, server, requestKey } = state;
  const attempts = error.attempts?.length ?? 0;
  server.setAttribute(ATTR.errorType, error.code);
  server.setAttribute(ATTR.httpStatus, error.status);
  server.setStatus({ code: SpanStatusCode.ERROR, message: error.code });
  server.end();
  const last = error.attempts?.at(-1);
  deps.logger.info("request failed", {
    request_id: call.requestId,
    endpoint: call.endpoint,
    code: error.code,
    status: error.status,
    message: redactSecrets(error.message, [requestKey]),
    attempts: error.attempts?.map((a) => ({ ...a, reason: redactSecrets(a.reason, [requestKey]) })),
  });
  const model = last?.model ?? (typeof call.body.model === "string" ? call.body.model : null);
  const durable = deps.usage.record({
    ...callFields(state),
    provider: last?.provider ?? null,
    model,
    keySource: last?.key_source ?? null,
    byok: last !== undefined && last.key_source !== "platform",
    status: error.status,
    attempts,
  });
  logBodies(deps, state, error.status, last?.provider ?? null, model, { error: { code: error.code, message: redactSecrets(error.message, [requestKey]) } });
  deps.metrics?.record({
    endpoint: call.endpoint,
    provider: last?.provider ?? null,
    keySource: last?.key_source ?? null,
    status: error.status,
    seconds: (Date.now() - call.startedAt) / 1000,
    inputTokens: 0,
    outputTokens: 0,
    estimatedCostUsd: 0,
    chargedUsd: 0,
  });
  await durable;
}
