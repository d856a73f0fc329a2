// Stage "policy": the team rules of the call (viewer, team, team IP, project tag, sensitive content), which
// refuse it by throwing; the team and project tag go on the call's span.
import type { InferenceCall } from "../../core/call.ts";
import type { CallPolicy } from "../../teams/policy.ts";
import { ATTR } from "../../telemetry/attributes.ts";
import type { PolicedContext, ReadContext } from "./context.ts";

export interface PolicyDeps {
  /** Team policy of a call (throws a GatewayError to refuse it). */
  policy(call: InferenceCall, body: Record<string, unknown>): Promise<CallPolicy>;
}

export async function applyPolicy(ctx: ReadContext, deps: PolicyDeps): Promise<PolicedContext> {
  const policy = await deps.policy(ctx.call, ctx.upstream);
  ctx.policy = policy;
  if (policy.team) ctx.server.setAttribute(ATTR.teamId, policy.team.team.id);
  if (policy.projectTag) ctx.server.setAttribute(ATTR.projectTag, policy.projectTag);
  return ctx as PolicedContext;
}
