// One inference request end to end: resolve, plan, execute, answer, record. Names no provider.
import { type Span, SpanKind, context, trace } from "@opentelemetry/api";
import type { ResolvedConfig } from "../config/validate.ts";
import type { InferenceCall } from "../core/call.ts";
import { GatewayError, asGatewayError } from "../core/errors.ts";
import type { CallKeys, KeySourceDriver } from "../core/key-source.ts";
import type { ProviderSet } from "../core/provider-set.ts";
import type { Candidate, EndpointName, KeySource, RoutingStrategy } from "../plugins/sdk.ts";
import { ATTR, OPERATION } from "../telemetry/attributes.ts";
import { describeError, type Logger } from "../telemetry/logger.ts";
import { redactSecrets } from "../telemetry/redact.ts";
import type { Tracing } from "../telemetry/tracing.ts";
import type { UsageRecorder } from "../usage/recorder.ts";
import type { AdmissionControl } from "../limits/admission.ts";
import type { Metrics } from "../telemetry/metrics.ts";
import type { BatchWriter } from "../store/batch-writer.ts";
import type { RequestLog } from "../store/repositories/request-logs.ts";
import { allowedTargets, type CallPolicy } from "../teams/policy.ts";
import { answer } from "./answer.ts";
import { type CallState, recordFailure, settleCall } from "./call-record.ts";
import { buildCandidates } from "./candidates.ts";
import { ClientGone, executePlan } from "./execute.ts";
import type { AttemptRecorder } from "../health/monitor.ts";
import { splitKeywayFields } from "./request-fields.ts";
import { resolveTargets } from "./resolve.ts";
import { gatewayHeaders } from "./response-headers.ts";
import { routingFor } from "./routing-request.ts";

export interface GatewayDeps {
  config: ResolvedConfig;
  providers: ProviderSet;
  strategies: ReadonlyMap<string, RoutingStrategy>;
  sources: readonly KeySourceDriver[];
  usage: UsageRecorder;
  tracing: Tracing;
  logger: Logger;
  /** The default_model a caller's stored key sets for a provider, for requests that name none. */
  defaultModel?(accountId: string, provider: string, teamId?: string | null): Promise<string | undefined>;
  /** Team policy of a call (throws to refuse it). */
  policy?(call: InferenceCall, body: Record<string, unknown>): Promise<CallPolicy>;
  admission?: AdmissionControl;
  requestLogs?: BatchWriter<RequestLog>;
  metrics?: Metrics;
  /** Told the outcome of every upstream attempt (provider health). */
  health?: AttemptRecorder;
}

function isTrue(value: string | null): boolean {
  return value !== null && /^(true|1|yes)$/i.test(value.trim());
}

export function createGateway(deps: GatewayDeps) {
  const sourceMap = new Map<KeySource, KeySourceDriver>(deps.sources.map((s) => [s.source, s]));

  function startServerSpan(call: InferenceCall): Span {
    const operation = OPERATION[call.endpoint];
    return deps.tracing.tracer().startSpan(`${operation} ${String(call.body.model)}`, {
      kind: SpanKind.SERVER,
      attributes: {
        [ATTR.operationName]: operation,
        [ATTR.requestModel]: String(call.body.model),
        [ATTR.requestId]: call.requestId,
        [ATTR.httpMethod]: "POST",
      },
    });
  }

  async function modelOf(call: InferenceCall, provider: string | undefined, teamId: string | null): Promise<string> {
    if (typeof call.body.model === "string") return call.body.model;
    const fallback = provider !== undefined ? await deps.defaultModel?.(call.principal.accountId, provider, teamId) : undefined;
    if (fallback === undefined) {
      throw new GatewayError("invalid_request", "'model' is required (it may be left out only with 'provider' and a stored key whose settings name a default_model).", { param: "model" });
    }
    call.body.model = fallback;
    return fallback;
  }

  /**
   * The call's answer; a refused or failed call rejects with a GatewayError (already recorded, the call's own key
   * redacted from its text). Turning that into HTTP is the route's job.
   */
  async function handle(call: InferenceCall): Promise<Response> {
    const state: CallState = { call, server: startServerSpan(call) };
    try {
      const { fields, upstream } = splitKeywayFields(call.body, call.headers.get("x-byok-api-key"));
      state.requestKey = fields.requestKey;
      state.upstream = upstream;
      if (fields.requestKey !== undefined && !deps.config.security.allow_per_request_keys) {
        throw new GatewayError("invalid_request", "This gateway does not accept per-request provider keys.", { param: "byok_api_key" });
      }
      const policy = deps.policy ? await deps.policy(call, upstream) : { storedKeysAllowed: true };
      state.policy = policy;
      if (policy.team) state.server.setAttribute(ATTR.teamId, policy.team.team.id);
      if (policy.projectTag) state.server.setAttribute(ATTR.projectTag, policy.projectTag);
      const model = await modelOf(call, fields.provider, policy.team?.team.id ?? null);
      const routing = routingFor(call.endpoint, model, fields.routing, isTrue(call.headers.get("x-use-byok")), deps.config, deps.strategies);
      state.server.setAttribute(ATTR.strategy, routing.request.strategy);
      const keys: CallKeys = {
        principal: call.principal,
        requestKey: fields.requestKey,
        byokOnly: routing.request.useByokOnly,
        teamId: policy.team?.team.id ?? null,
        storedKeysAllowed: policy.storedKeysAllowed,
      };
      const targets = allowedTargets(resolveTargets({ model, provider: fields.provider }, deps.providers, deps.config.model_groups), policy);
      const candidates = await buildCandidates(targets, deps.sources, keys, deps.providers);
      const plan: Candidate[] = routing.strategy.plan(routing.request, candidates);
      if (plan.length === 0) {
        throw new GatewayError("no_provider_key", `Strategy '${routing.request.strategy}' left no key that may pay for this request.`);
      }
      const approvalId = call.headers.get("x-approval-id")?.trim() || undefined;
      const execution = await executePlan({
        endpoint: call.endpoint,
        plan,
        body: upstream,
        stream: call.body.stream === true,
        call: keys,
        sources: sourceMap,
        providers: deps.providers,
        clientSignal: call.signal,
        retries: deps.config.routing.retries,
        fallbackReasons: routing.fallbackReasons,
        health: deps.health,
        tracer: deps.tracing.tracer(),
        parent: trace.setSpan(context.active(), state.server),
        admit: deps.admission
          ? (candidate, body) =>
              (deps.admission as AdmissionControl).admit({ candidate, body, endpoint: call.endpoint, requestId: call.requestId, accountId: call.principal.accountId, keyId: call.principal.keyId, policy, approvalId })
          : undefined,
      });
      const { candidate, upstream: sent } = execution.attempt;
      state.server.setAttribute(ATTR.providerUsed, candidate.provider);
      state.server.setAttribute(ATTR.providerName, execution.attempt.provider.otelName);
      state.server.setAttribute(ATTR.byok, candidate.keySource !== "platform");
      state.server.setAttribute(ATTR.keySource, candidate.keySource);
      const streamOptions = call.body.stream_options as { include_usage?: unknown } | undefined;
      return await answer({
        endpoint: call.endpoint,
        execution,
        body: upstream,
        headers: { ...gatewayHeaders(call.requestId, candidate, execution.attempts, sent.dropped), ...execution.attempt.admission?.headers },
        includeUsage: streamOptions?.include_usage === true,
        streamCutoff: deps.config.budgets.stream_cutoff,
        settle: settleCall(deps, state, execution),
      });
    } catch (error) {
      const cause = error instanceof ClientGone ? new GatewayError("upstream_error", "The client closed the request.") : error;
      const gatewayError = asGatewayError(cause, (unexpected) => deps.logger.error("unexpected error", describeError(unexpected)));
      await recordFailure(deps, state, gatewayError);
      const { requestKey } = state;
      throw requestKey === undefined ? gatewayError : gatewayError.withText((text) => redactSecrets(text, [requestKey]));
    }
  }

  return { handle };
}

export type Gateway = ReturnType<typeof createGateway>;
