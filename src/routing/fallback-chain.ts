// `fallback_chain`: the providers of `provider_order` in turn, each with its member of the model group.
// `platform` as an entry means the platform keys (of the providers named, in their order); providers before it
// then use only the caller's own keys. Without `provider_order`, the resolved targets in their order.
import { type Candidate, defineStrategy } from "../plugins/sdk.ts";
import { groupByTarget, payingKeys, type TargetGroup } from "./candidate-groups.ts";

export const PLATFORM_ENTRY = "platform";

function chainOf(order: readonly string[], groups: readonly TargetGroup[]): TargetGroup[] {
  const chain: TargetGroup[] = [];
  for (const name of order) {
    for (const group of groups) if (group.provider === name && !chain.includes(group)) chain.push(group);
  }
  return chain;
}

export default defineStrategy({
  name: "fallback_chain",
  plan(request, candidates) {
    const groups = groupByTarget(candidates);
    const order = request.providerOrder ?? groups.map((g) => g.provider);
    const platformAt = order.indexOf(PLATFORM_ENTRY);
    if (platformAt === -1) return chainOf(order, groups).flatMap((group) => payingKeys(request, group.candidates));
    const named = chainOf(order.filter((name) => name !== PLATFORM_ENTRY), groups);
    const platformKeys = request.useByokOnly
      ? []
      : (named.length > 0 ? named : groups).flatMap((group) => group.candidates.filter((c) => c.keySource === "platform"));
    const plan: Candidate[] = [];
    for (const [index, name] of order.entries()) {
      if (name === PLATFORM_ENTRY) {
        if (index === platformAt) plan.push(...platformKeys);
        continue;
      }
      for (const group of chainOf([name], groups)) {
        const own = payingKeys({ ...request, useByokOnly: true }, group.candidates);
        for (const candidate of own) if (!plan.includes(candidate)) plan.push(candidate);
      }
    }
    return plan;
  },
});
