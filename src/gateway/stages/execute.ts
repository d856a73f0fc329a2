// Stage "admit and execute": runs the plan (execute.ts), admitting each candidate before its first attempt
// (approvals, team budget, platform limits, credits; none for an unmetered call); the attempt that answered goes on
// the call's span.
import { type Context, context, isSpanContextValid, type Span, type Tracer, trace } from "@opentelemetry/api";
import type { AdmissionControl } from "../../limits/admission.ts";
import { ATTR } from "../../telemetry/attributes.ts";
import { QUIET_SPAN, type Tracing } from "../../telemetry/tracing.ts";
import { type ExecuteDeps, executePlan } from "../execute.ts";
import type { ExecutedContext, PlannedContext } from "./context.ts";

export interface AdmitExecuteDeps extends ExecuteDeps {
  admission: Pick<AdmissionControl, "reserves" | "admit">;
  tracing: Pick<Tracing, "tracer">;
}

/** Where a traced call's attempt spans go: under its server span when that has a trace. */
function attemptsTrace(tracer: Tracer, server: Span): { tracer: Tracer; parent: Context } {
  return { tracer, parent: isSpanContextValid(server.spanContext()) ? trace.setSpan(context.active(), server) : context.active() };
}

export async function admitAndExecute(ctx: PlannedContext, deps: AdmitExecuteDeps): Promise<ExecutedContext> {
  const { call, policy, server } = ctx;
  const execution = await executePlan(
    {
      endpoint: call.endpoint,
      plan: ctx.plan,
      body: ctx.upstream,
      native: call.native,
      stream: call.body.stream === true,
      call: ctx.keys,
      clientSignal: call.signal,
      fallbackReasons: ctx.routing.fallbackReasons,
      trace: server === QUIET_SPAN ? undefined : attemptsTrace(deps.tracing.tracer(), server),
      admit: (candidate, body) =>
        call.unmetered || !deps.admission.reserves(candidate, policy)
          ? undefined
          : deps.admission.admit({ candidate, body, endpoint: call.endpoint, requestId: call.requestId, accountId: call.principal.accountId, keyId: call.principal.keyId, policy, approvalId: call.headers.get("x-approval-id")?.trim() || undefined }),
    },
    deps,
  );
  const { candidate, provider } = execution.attempt;
  server.setAttribute(ATTR.providerUsed, candidate.provider);
  server.setAttribute(ATTR.providerName, provider.otelName);
  server.setAttribute(ATTR.byok, candidate.keySource !== "platform");
  server.setAttribute(ATTR.keySource, candidate.keySource);
  const executed = ctx as ExecutedContext;
  executed.execution = execution;
  return executed;
}
