// Stage "settle": what is recorded when a call ends: spans closed, the usage row, the access log line, the team's
// request log, metrics, and the settlement of what admission reserved (credits, budgets, token limits). An unmetered
// call (a token count) reserved nothing and records only its spans and access log line.
import type { GatewayError } from "../../core/errors.ts";
import type { BatchWriter } from "../../store/batch-writer.ts";
import type { RequestLog } from "../../store/repositories/request-logs.ts";
import type { UsageRecord } from "../../store/repositories/usage.ts";
import type { Logger } from "../../telemetry/logger.ts";
import { redactSecrets, redactValue } from "../../telemetry/redact.ts";
import type { UsageRecorder } from "../../usage/recorder.ts";
import { type Settlement, recordUsageOnSpan } from "../answer.ts";
import type { CallContext, ExecutedContext } from "./context.ts";
import { type SettleTelemetryDeps, observeFailure, observeSettled, observeUnmetered } from "./settle-telemetry.ts";
import { costMicros } from "../../usage/prices.ts";
import { tokenDetails } from "../../usage/token-details.ts";

export interface SettleDeps extends SettleTelemetryDeps {
  usage: Pick<UsageRecorder, "record">;
  logger: Logger;
  /** Team request logs (bodies), for teams with `log_all_requests`. */
  requestLogs: Pick<BatchWriter<RequestLog>, "add">;
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

/** The call's usage row with the fields every call has, whatever its outcome; the outcome's are set on it after. */
function usageRowOf(state: CallContext): UsageRecord {
  const { call } = state;
  return {
    requestId: call.requestId,
    accountId: call.principal.accountId,
    apiKeyId: call.principal.keyId,
    teamId: state.policy?.team?.team.id ?? null,
    projectTag: state.policy?.projectTag ?? null,
    endpoint: call.endpoint,
    provider: null,
    model: null,
    keySource: null,
    byok: false,
    status: 0,
    attempts: 0,
    latencyMs: Date.now() - call.startedAt,
    createdAt: Date.now(),
  };
}

/** The settle function handed to the answer: runs once, when the answer is complete or abandoned. */
export function settleCall(state: ExecutedContext, deps: SettleDeps) {
  const { execution } = state;
  return async (s: Settlement): Promise<number> => {
    const { call } = state;
    const { candidate } = execution.attempt;
    if (call.unmetered) {
      recordUsageOnSpan(execution, s);
      observeUnmetered(state, s.status, { ...candidate, attempts: execution.attempts }, deps);
      return 0;
    }
    const byok = candidate.keySource !== "platform";
    const inputTokens = s.usage?.prompt_tokens ?? 0;
    const outputTokens = s.usage?.completion_tokens ?? 0;
    const details = tokenDetails(s.usage);
    const cache = { read: details.cacheReadTokens, write: details.cacheWriteTokens };
    const estimated = costMicros(candidate.price, inputTokens, outputTokens, 0, cache);
    const charged = execution.attempt.admission?.price(inputTokens, outputTokens, cache) ?? 0;
    recordUsageOnSpan(execution, s);
    observeSettled(state, s, { inputTokens, outputTokens, estimatedMicros: estimated, chargedMicros: charged }, deps);
    const row = usageRowOf(state);
    row.provider = candidate.provider;
    row.model = candidate.model;
    row.keySource = candidate.keySource;
    row.byok = byok;
    row.status = s.status;
    row.inputTokens = inputTokens;
    row.outputTokens = outputTokens;
    row.usageEstimated = s.usageEstimated ?? false;
    row.costMicros = byok ? 0 : charged;
    row.estimatedCostMicros = estimated;
    row.cacheReadTokens = details.cacheReadTokens;
    row.cacheWriteTokens = details.cacheWriteTokens;
    row.reasoningTokens = details.reasoningTokens;
    row.attempts = execution.attempts;
    const durable = deps.usage.record(row);
    logBodies(deps, state, s.status, candidate.provider, candidate.model, s.body ?? { stream: true, usage: s.usage ?? null, finish_reasons: s.finishReasons ?? [] });
    await durable;
    // Settled only once the usage row is durable: a crash in between is settled from that row at the next start.
    await execution.attempt.admission?.settle({ inputTokens, outputTokens, cache, chargedMicros: charged });
    return byok ? 0 : charged;
  };
}

/** Records a call that ended in an error; resolves once its usage row is written. */
export async function recordFailure(state: CallContext, error: GatewayError, deps: SettleDeps): Promise<void> {
  const { call, requestKey } = state;
  const attempts = error.attempts?.length ?? 0;
  const last = error.attempts?.at(-1);
  observeFailure(state, error, deps);
  if (call.unmetered) return;
  const model = last?.model ?? (typeof call.body.model === "string" ? call.body.model : null);
  const row = usageRowOf(state);
  row.provider = last?.provider ?? null;
  row.model = model;
  row.keySource = last?.key_source ?? null;
  row.byok = last !== undefined && last.key_source !== "platform";
  row.status = error.status;
  row.attempts = attempts;
  const durable = deps.usage.record(row);
  logBodies(deps, state, error.status, last?.provider ?? null, model, { error: { code: error.code, message: redactSecrets(error.message, [requestKey]) } });
  await durable;
}
