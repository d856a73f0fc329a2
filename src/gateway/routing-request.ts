// The routing request for one call: the body's `routing` object over the config default, checked.
import { FALLBACK_REASONS, isFallbackReason, unknownProvidersInOrder } from "../config/routing-rules.ts";
import type { ResolvedConfig } from "../config/validate.ts";
import { invalidRequest } from "../core/errors.ts";
import type { EndpointName, FailureKind, RoutingRequest, RoutingStrategy } from "../plugins/sdk.ts";
import type { RoutingField } from "./request-fields.ts";

export interface PlannedRouting {
  request: RoutingRequest;
  strategy: RoutingStrategy;
  fallbackReasons: ReadonlySet<FailureKind>;
}

function isWeightMap(value: unknown): value is Record<string, number> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((w) => typeof w === "number" && Number.isFinite(w) && w >= 0);
}

/** The config's fallback reasons as a set, made once per list (a call that names none shares it; no one changes it). */
const configReasons = new WeakMap<readonly unknown[], ReadonlySet<FailureKind>>();

function reasonSet(reasons: readonly FailureKind[], fromConfig: boolean): ReadonlySet<FailureKind> {
  if (!fromConfig) return new Set(reasons);
  let set = configReasons.get(reasons);
  if (!set) configReasons.set(reasons, (set = new Set(reasons)));
  return set;
}

/** What one call says about its routing. */
export interface RoutingInput {
  endpoint: EndpointName;
  model: string;
  /** The body's `routing` object, if any. */
  field: RoutingField | undefined;
  /** `X-Use-BYOK: true` was sent. */
  byokHeader: boolean;
}

export interface RoutingDeps {
  config: Pick<ResolvedConfig, "routing" | "providers">;
  strategies: ReadonlyMap<string, RoutingStrategy>;
}

/** What a routing request's checks give: its strategy and its fallback reasons. */
type CheckedRouting = Pick<PlannedRouting, "strategy" | "fallbackReasons">;

/** The config's default routing as checked once per gateway: a call without a `routing` field takes it as it is. */
const checkedDefaults = new WeakMap<RoutingDeps, CheckedRouting>();

/** The body's `routing` object over the config default, checked (the default alone was checked at load). */
function checkRouting(field: RoutingField | undefined, deps: RoutingDeps): CheckedRouting {
  const { config, strategies } = deps;
  const base = config.routing.default;
  const name = field?.strategy ?? base.strategy;
  const strategy = strategies.get(name);
  if (!strategy) {
    throw invalidRequest(`Unknown routing strategy '${name}'. Known: ${[...strategies.keys()].join(", ")}.`, "routing.strategy");
  }
  const reasons = field?.fallback_reasons ?? base.fallback_reasons ?? config.routing.fallback_reasons;
  if (!Array.isArray(reasons) || !reasons.every(isFallbackReason)) {
    throw invalidRequest(`'routing.fallback_reasons' takes any of ${FALLBACK_REASONS.join(", ")}.`, "routing.fallback_reasons");
  }
  const order = field?.provider_order ?? base.provider_order;
  if (order !== undefined && (!Array.isArray(order) || order.some((p) => typeof p !== "string"))) {
    throw invalidRequest("'routing.provider_order' must be an array of provider names.", "routing.provider_order");
  }
  // The config's own provider_order was checked at load by the same rule.
  const [unknown] = field?.provider_order ? unknownProvidersInOrder(field.provider_order, (name) => Object.hasOwn(config.providers, name)) : [];
  if (unknown) throw invalidRequest(`In 'routing.provider_order', ${unknown.message}.`, `routing.provider_order[${unknown.index}]`);
  for (const map of ["cost_weights", "weights"] as const) {
    const value: unknown = field?.[map];
    if (value !== undefined && !isWeightMap(value)) throw invalidRequest(`'routing.${map}' must map names to numbers of 0 or more.`, `routing.${map}`);
  }
  for (const flag of ["use_byok_only", "fallback_to_platform"] as const) {
    if (field?.[flag] !== undefined && typeof field[flag] !== "boolean") throw invalidRequest(`'routing.${flag}' must be a boolean.`, `routing.${flag}`);
  }
  return { strategy, fallbackReasons: reasonSet(reasons as FailureKind[], field?.fallback_reasons === undefined) };
}

export function routingFor(input: RoutingInput, deps: RoutingDeps): PlannedRouting {
  const { endpoint, model, field, byokHeader } = input;
  let checked = field === undefined ? checkedDefaults.get(deps) : undefined;
  if (!checked) {
    checked = checkRouting(field, deps);
    if (field === undefined) checkedDefaults.set(deps, checked);
  }
  const base = deps.config.routing.default;
  return {
    strategy: checked.strategy,
    fallbackReasons: checked.fallbackReasons,
    request: {
      endpoint,
      model,
      strategy: field?.strategy ?? base.strategy,
      providerOrder: field?.provider_order ?? base.provider_order,
      costWeights: field?.cost_weights ?? base.cost_weights,
      weights: field?.weights ?? base.weights,
      useByokOnly: byokHeader || (field?.use_byok_only ?? base.use_byok_only ?? false),
      fallbackToPlatform: field?.fallback_to_platform ?? base.fallback_to_platform ?? false,
    },
  };
}
