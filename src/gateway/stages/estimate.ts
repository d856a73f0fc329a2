// Stage "estimate": a call only a provider speaking its format may take (a token count, `estimateElsewhere`) keeps
// the leading candidates that speak it; when its first candidate does not, nothing is sent upstream and the call is
// answered here with keyway's estimate of the prompt's tokens, encoded by the call's dialect.
import type { ProviderSet } from "../../core/provider-set.ts";
import { estimateTokens } from "../../limits/estimate.ts";
import type { Candidate } from "../../plugins/sdk.ts";
import { gatewayHeaders } from "../response-headers.ts";
import type { PlannedContext } from "./context.ts";
import { type SettleTelemetryDeps, observeUnmetered } from "./settle-telemetry.ts";

export interface EstimateDeps extends SettleTelemetryDeps {
  providers: ProviderSet;
}

/** The prompt's tokens as keyway estimates them: its messages (the system prompt among them) and its tools. */
export function promptTokenEstimate(body: Record<string, unknown>): number {
  const tools = Array.isArray(body.tools) && body.tools.length > 0 ? estimateTokens({ input: body.tools }) : 0;
  return estimateTokens({ messages: body.messages }) + tools;
}

/** The estimate's answer, or undefined when the plan goes to a provider speaking the call's format (narrowed to them). */
export function answerEstimateElsewhere(ctx: PlannedContext, deps: EstimateDeps): Response | undefined {
  const { call } = ctx;
  const native = call.native;
  if (!native?.estimateElsewhere) return undefined;
  const speaks = (candidate: Candidate) => deps.providers.get(candidate.provider)?.adapter.endpoints.native?.[native.format] !== undefined;
  const others = ctx.plan.findIndex((candidate) => !speaks(candidate));
  if (others === -1) return undefined;
  if (others > 0) {
    // Falling back to a provider that does not speak the format would answer another provider's count: not done.
    ctx.plan = ctx.plan.slice(0, others);
    return undefined;
  }
  const tokens = promptTokenEstimate(ctx.upstream);
  const result = { object: "token_count", usage: { prompt_tokens: tokens, completion_tokens: 0, total_tokens: tokens } };
  const answer = call.dialect.encodeAnswer(result, { chargedMicros: 0, byok: false });
  observeUnmetered(ctx, 200, undefined, deps);
  return new Response(JSON.stringify(answer), { headers: { ...gatewayHeaders(call.requestId, undefined, 0), "content-type": "application/json" } });
}
