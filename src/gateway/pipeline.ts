// One inference request end to end: resolve, plan, execute, answer, record. Names no provider.
import { type Span, SpanKind, SpanStatusCode, context, trace } from "@opentelemetry/api";
import type { Principal } from "../accounts/authenticator.ts";
import type { ResolvedConfig } from "../config/validate.ts";
import { GatewayError } from "../errors.ts";
import type { Candidate, EndpointName, KeySource, RoutingStrategy } from "../plugins/sdk.ts";
import { asGatewayError, errorResponse } from "../server/error-response.ts";
import { ATTR, OPERATION } from "../telemetry/attributes.ts";
import { redactSecrets } from "../telemetry/redact.ts";
import type { Logger } from "../telemetry/logger.ts";
import type { Tracing } from "../telemetry/tracing.ts";
import type { UsageRecorder } from "../usage/recorder.ts";
import { type Settlement, answer, estimatedMicros, recordUsageOnSpan } from "./answer.ts";
import { buildCandidates } from "./candidates.ts";
import { ClientGone, type Execution, executePlan } from "./execute.ts";
import type { CallKeys, KeySourceDriver } from "./key-sources.ts";
import type { ProviderSet } from "./providers.ts";
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
  defaultModel?(accountId: string, provider: string): Promise<string | undefined>;
}

export interface InferenceCall {
  endpoint: EndpointName;
  body: Record<string, unknown>;
  principal: Principal;
  requestId: string;
  headers: Headers;
  signal: AbortSignal;
  startedAt: number;
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

  function settleFor(call: InferenceCall, server: Span, execution: Execution) {
    return (s: Settlement): number => {
      const { candidate } = execution.attempt;
      const byok = candidate.keySource !== "platform";
      const estimated = estimatedMicros(execution, s.usage);
      const charged = byok ? 0 : estimated;
      recordUsageOnSpan(execution, s);
      if (s.usage) {
        server.setAttribute(ATTR.inputTokens, s.usage.prompt_tokens ?? 0);
        server.setAttribute(ATTR.outputTokens, s.usage.completion_tokens ?? 0);
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
      deps.usage.record({
        requestId: call.requestId,
        accountId: call.principal.accountId,
        apiKeyId: call.principal.keyId,
        endpoint: call.endpoint,
        provider: candidate.provider,
        model: candidate.model,
        keySource: candidate.keySource,
        byok,
        status: s.status,
        inputTokens: s.usage?.prompt_tokens ?? 0,
        outputTokens: s.usage?.completion_tokens ?? 0,
        costMicros: charged,
        estimatedCostMicros: estimated,
        attempts: execution.attempts,
        latencyMs: Date.now() - call.startedAt,
        createdAt: Date.now(),
      });
      return charged;
    };
  }

  function fail(call: InferenceCall, server: Span, error: unknown, requestKey?: string): Response {
    const gatewayError = asGatewayError(error, deps.logger);
    const attempts = gatewayError.attempts?.length ?? 0;
    server.setAttribute(ATTR.errorType, gatewayError.code);
    server.setAttribute(ATTR.httpStatus, gatewayError.status);
    server.setStatus({ code: SpanStatusCode.ERROR, message: gatewayError.code });
    server.end();
    const last = gatewayError.attempts?.at(-1);
    deps.logger.info("request failed", {
      request_id: call.requestId,
      endpoint: call.endpoint,
      code: gatewayError.code,
      status: gatewayError.status,
      message: redactSecrets(gatewayError.message, [requestKey]),
      attempts: gatewayError.attempts?.map((a) => ({ ...a, reason: redactSecrets(a.reason, [requestKey]) })),
    });
    deps.usage.record({
      requestId: call.requestId,
      accountId: call.principal.accountId,
      apiKeyId: call.principal.keyId,
      endpoint: call.endpoint,
      provider: last?.provider ?? null,
      model: last?.model ?? (typeof call.body.model === "string" ? call.body.model : null),
      keySource: last?.key_source ?? null,
      byok: last !== undefined && last.key_source !== "platform",
      status: gatewayError.status,
      attempts,
      latencyMs: Date.now() - call.startedAt,
      createdAt: Date.now(),
    });
    return errorResponse(gatewayError, { "x-request-id": call.requestId, "x-keyway-attempts": String(attempts) }, [requestKey]);
  }

  async function modelOf(call: InferenceCall, provider: string | undefined): Promise<string> {
    if (typeof call.body.model === "string") return call.body.model;
    const fallback = provider !== undefined ? await deps.defaultModel?.(call.principal.accountId, provider) : undefined;
    if (fallback === undefined) {
      throw new GatewayError("invalid_request", "'model' is required (it may be left out only with 'provider' and a stored key whose settings name a default_model).", { param: "model" });
    }
    call.body.model = fallback;
    return fallback;
  }

  async function handle(call: InferenceCall): Promise<Response> {
    const server = startServerSpan(call);
    let requestKey: string | undefined;
    try {
      const { fields, upstream } = splitKeywayFields(call.body, call.headers.get("x-byok-api-key"));
      requestKey = fields.requestKey;
      if (requestKey !== undefined && !deps.config.security.allow_per_request_keys) {
        throw new GatewayError("invalid_request", "This gateway does not accept per-request provider keys.", { param: "byok_api_key" });
      }
      const model = await modelOf(call, fields.provider);
      const routing = routingFor(call.endpoint, model, fields.routing, isTrue(call.headers.get("x-use-byok")), deps.config, deps.strategies);
      server.setAttribute(ATTR.strategy, routing.request.strategy);
      const keys: CallKeys = { principal: call.principal, requestKey, byokOnly: routing.request.useByokOnly };
      const targets = resolveTargets({ model, provider: fields.provider }, deps.providers, deps.config.model_groups);
      const candidates = await buildCandidates(targets, deps.sources, keys, deps.providers);
      const plan: Candidate[] = routing.strategy.plan(routing.request, candidates);
      if (plan.length === 0) {
        throw new GatewayError("no_provider_key", `Strategy '${routing.request.strategy}' left no key that may pay for this request.`);
      }
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
        tracer: deps.tracing.tracer(),
        parent: trace.setSpan(context.active(), server),
      });
      const { candidate, upstream: sent } = execution.attempt;
      server.setAttribute(ATTR.providerUsed, candidate.provider);
      server.setAttribute(ATTR.providerName, execution.attempt.provider.otelName);
      server.setAttribute(ATTR.byok, candidate.keySource !== "platform");
      server.setAttribute(ATTR.keySource, candidate.keySource);
      const streamOptions = call.body.stream_options as { include_usage?: unknown } | undefined;
      return await answer({
        endpoint: call.endpoint,
        execution,
        body: upstream,
        headers: gatewayHeaders(call.requestId, candidate, execution.attempts, sent.dropped),
        includeUsage: streamOptions?.include_usage === true,
        settle: settleFor(call, server, execution),
      });
    } catch (error) {
      if (error instanceof ClientGone) return fail(call, server, new GatewayError("upstream_error", "The client closed the request."), requestKey);
      return fail(call, server, error, requestKey);
    }
  }

  return { handle };
}

export type Gateway = ReturnType<typeof createGateway>;
