// Stage "plan": the model (or the caller's stored default for the named provider), the routing request, the
// targets the team allows, every key source's candidates for them, and the strategy's order.
import type { ResolvedConfig } from "../../config/validate.ts";
import { GatewayError } from "../../core/errors.ts";
import type { KeySourceDriver } from "../../core/key-source.ts";
import type { ProviderSet } from "../../core/provider-set.ts";
import type { RoutingStrategy } from "../../plugins/sdk.ts";
import { allowedTargets } from "../../teams/policy.ts";
import { ATTR } from "../../telemetry/attributes.ts";
import { buildCandidates } from "../candidates.ts";
import { resolveTargets } from "../resolve.ts";
import { routingFor } from "../routing-request.ts";
import type { PlannedContext, PolicedContext } from "./context.ts";

export interface PlanDeps {
  config: Pick<ResolvedConfig, "routing" | "providers" | "model_groups">;
  providers: ProviderSet;
  strategies: ReadonlyMap<string, RoutingStrategy>;
  sources: readonly KeySourceDriver[];
  /** The default_model a caller's stored key sets for a provider, for requests that name none. */
  defaultModel(accountId: string, provider: string, teamId: string | null): Promise<string | undefined>;
}

function isTrue(value: string | null): boolean {
  return value !== null && /^(true|1|yes)$/i.test(value.trim());
}

/** The stored default model of the named provider, for a call that names no model (written into the body). */
async function defaultModelOf(ctx: PolicedContext, deps: PlanDeps, teamId: string | null): Promise<string> {
  const { call } = ctx;
  const provider = ctx.fields.provider;
  const fallback = provider !== undefined ? await deps.defaultModel(call.principal.accountId, provider, teamId) : undefined;
  if (fallback === undefined) {
    throw new GatewayError("invalid_request", "'model' is required (it may be left out only with 'provider' and a stored key whose settings name a default_model).", { param: "model" });
  }
  call.body.model = fallback;
  return fallback;
}

export async function planCandidates(ctx: PolicedContext, deps: PlanDeps): Promise<PlannedContext> {
  const { call, fields, policy } = ctx;
  const teamId = policy.team?.team.id ?? null;
  const model = typeof call.body.model === "string" ? call.body.model : await defaultModelOf(ctx, deps, teamId);
  const routing = routingFor({ endpoint: call.endpoint, model, field: fields.routing, byokHeader: isTrue(call.headers.get("x-use-byok")) }, deps);
  ctx.server.setAttribute(ATTR.strategy, routing.request.strategy);
  const keys = {
    principal: call.principal,
    requestKey: fields.requestKey,
    byokOnly: routing.request.useByokOnly,
    teamId,
    storedKeysAllowed: policy.storedKeysAllowed,
  };
  const targets = allowedTargets(resolveTargets({ model, provider: fields.provider }, deps.providers, deps.config.model_groups), policy);
  // Awaited only when they answer with a promise (the built-in sources and strategies answer at once).
  const found = buildCandidates(targets, deps.sources, keys, deps.providers);
  const candidates = found instanceof Promise ? await found : found;
  const ordered = routing.strategy.plan(routing.request, candidates);
  const plan = ordered instanceof Promise ? await ordered : ordered;
  if (plan.length === 0) {
    throw new GatewayError("no_provider_key", `Strategy '${routing.request.strategy}' left no key that may pay for this request.`);
  }
  const planned = ctx as PlannedContext;
  planned.keys = keys;
  planned.routing = routing;
  planned.plan = plan;
  return planned;
}
