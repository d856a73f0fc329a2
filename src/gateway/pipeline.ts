// One inference call end to end, as named stages over one call context: read, policy, plan, estimate (a token count
// no native provider takes), admit and execute, answer, settle (or, on failure, record it). Names no provider and
// knows no HTTP error shape.
import type { Span } from "@opentelemetry/api";
import type { ResolvedConfig } from "../config/validate.ts";
import type { ClientAddress, InferenceCall } from "../core/call.ts";
import { GatewayError, asGatewayError } from "../core/errors.ts";
import type { KeySourceDriver } from "../core/key-source.ts";
import type { ProviderSet } from "../core/provider-set.ts";
import type { AttemptRecorder } from "../health/monitor.ts";
import type { AdmissionControl } from "../limits/admission.ts";
import type { KeySource, RoutingStrategy } from "../plugins/sdk.ts";
import type { Transport } from "../providers/upstream-fetch.ts";
import type { BatchWriter } from "../store/batch-writer.ts";
import type { RequestLog } from "../store/repositories/request-logs.ts";
import type { CallPolicy } from "../teams/policy.ts";
import { describeError, type Logger } from "../telemetry/logger.ts";
import type { CallObserver } from "../telemetry/metric-types.ts";
import { quietRequest, startServerSpan } from "../telemetry/server-span.ts";
import { redactSecrets } from "../telemetry/redact.ts";
import { QUIET_SPAN, type Tracing } from "../telemetry/tracing.ts";
import type { UsageRecorder } from "../usage/recorder.ts";
import { ClientGone } from "./execute.ts";
import { answerCall } from "./stages/answer.ts";
import type { CallContext } from "./stages/context.ts";
import { answerEstimateElsewhere } from "./stages/estimate.ts";
import { admitAndExecute } from "./stages/execute.ts";
import { planCandidates } from "./stages/plan.ts";
import { applyPolicy } from "./stages/policy.ts";
import { readCall } from "./stages/read-call.ts";
import { recordFailure } from "./stages/settle.ts";
import { type Refusal, observeRefusal } from "./stages/settle-telemetry.ts";

/** Everything the pipeline needs; all of it given (runtime.ts assembles it in `gatewayDeps`). */
export interface GatewayDeps {
  config: ResolvedConfig;
  providers: ProviderSet;
  strategies: ReadonlyMap<string, RoutingStrategy>;
  /** The key sources, in the order their candidates are offered to strategies. */
  sources: readonly KeySourceDriver[];
  usage: Pick<UsageRecorder, "record">;
  tracing: Pick<Tracing, "tracer" | "records">;
  logger: Logger;
  /** The default_model a caller's stored key sets for a provider, for requests that name none. */
  defaultModel(accountId: string, provider: string, teamId: string | null): Promise<string | undefined>;
  /** Team policy of a call (throws to refuse it). */
  policy(call: InferenceCall, body: Record<string, unknown>): CallPolicy | Promise<CallPolicy>;
  admission: Pick<AdmissionControl, "reserves" | "admit">;
  requestLogs: Pick<BatchWriter<RequestLog>, "add">;
  /** Metrics (Prometheus and/or OTLP); undefined when neither is on. */
  metrics: Pick<CallObserver, "record" | "attempt" | "completion" | "fallback"> | undefined;
  /** Told the outcome of every upstream attempt (provider health). */
  health: AttemptRecorder;
  /** Sends upstream requests: fetch in a running gateway. */
  transport: Transport;
}

/** A server span for a call handed over without one (the route starts it for every HTTP request). */
function fallbackServerSpan(tracing: GatewayDeps["tracing"], call: InferenceCall): Span {
  return startServerSpan(tracing, { method: "POST", route: `/v1/${call.endpoint}`, url: "", headers: call.headers, requestId: call.requestId, peer: call.peer });
}

export function createGateway(deps: GatewayDeps) {
  // Assembled once: every stage reads the part of it its own deps type names.
  const stageDeps = {
    ...deps,
    sourceOf: new Map<KeySource, KeySourceDriver>(deps.sources.map((s) => [s.source, s])),
    retries: deps.config.routing.retries,
    accessLog: deps.config.telemetry.access_log,
  };
  const logUnexpected = (unexpected: unknown) => deps.logger.error("unexpected error", describeError(unexpected));

  /**
   * The call's answer; a refused or failed call rejects with a GatewayError (already recorded, the call's own key
   * redacted from its text). Turning that into HTTP is the route's job. `server` is the request's SERVER span
   * (`serverSpan`), ended when the call is settled or has failed.
   */
  async function handle(call: InferenceCall, server?: Span): Promise<Response> {
    const ctx: CallContext = { call, server: server ?? fallbackServerSpan(deps.tracing, call) };
    try {
      const read = readCall(ctx, stageDeps);
      const policing = applyPolicy(read, stageDeps);
      const policed = policing instanceof Promise ? await policing : policing;
      const planned = await planCandidates(policed, stageDeps);
      const estimate = answerEstimateElsewhere(planned, stageDeps);
      if (estimate) return estimate;
      const executed = await admitAndExecute(planned, stageDeps);
      return await answerCall(executed, stageDeps);
    } catch (error) {
      const cause = error instanceof ClientGone ? new GatewayError("upstream_error", "The client closed the request.") : error;
      const gatewayError = asGatewayError(cause, logUnexpected);
      await recordFailure(ctx, gatewayError, stageDeps);
      const { requestKey } = ctx;
      throw requestKey === undefined ? gatewayError : gatewayError.withText((text) => redactSecrets(text, [requestKey]));
    }
  }

  return {
    handle,
    /**
     * The SERVER span of one data-plane HTTP request (the client's trace context its parent); the route opens it
     * first. A quiet request (nothing records, no trace context) gets QUIET_SPAN without its facts gathered.
     */
    serverSpan: (request: Request, route: string, requestId: string, peer?: ClientAddress): Span =>
      quietRequest(deps.tracing, request.headers)
        ? QUIET_SPAN
        : startServerSpan(deps.tracing, { method: request.method, route, url: request.url, headers: request.headers, requestId, peer }),
    /** Records a request the route refused before handing it over (span, access log, metrics). */
    refused: (refusal: Refusal): void => observeRefusal(refusal, stageDeps),
  };
}

export type Gateway = ReturnType<typeof createGateway>;
