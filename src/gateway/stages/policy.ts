// Stage "policy": the team rules of the call (viewer, team, team IP, project tag, sensitive content), which
// refuse it by throwing; the team and project tag go on the call's span.
import type { InferenceCall } from "../../core/call.ts";
import type { CallPolicy } from "../../teams/policy.ts";
import { ATTR } from "../../telemetry/attributes.ts";
import type { PolicedContext, ReadContext } from "./context.ts";

export interface PolicyDeps {
  /** Team policy of a call (throws a GatewayError to refuse it). */
  policy(call: InferenceCall, body: Record<string, unknown>): CallPolicy | Promise<CallPolicy>;
}

/** The call with its policy; at once (no promise) when the policy came at once (a call outside any team). */
export function applyPolicy(ctx: ReadContext, deps: PolicyDeps): PolicedContext | Promise<PolicedContext> {
  const policy = deps.policy(ctx.call, ctx.upstream);
  return policy instanceof Promise ? policy.then((found) => policed(ctx, found)) : policed(ctx, policy);
}

function policed(ctx: ReadContext, policy: CallPolicy): PolicedContext {
  ctx.policy = policy;
  if (policy.team) ctx.server.setAttribute(ATTR.teamId, policy.team.team.id);
  if (policy.projectTag) ctx.server.setAttribute(ATTR.projectTag, policy.projectTag);
  return ctx as PolicedContext;
}
