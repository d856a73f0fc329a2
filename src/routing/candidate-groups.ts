// Shared steps of the built-in strategies: candidates grouped by target, and which keys of a target may pay.
import type { Candidate, KeySource, RoutingRequest } from "../plugins/sdk.ts";

const SOURCE_ORDER: Readonly<Record<KeySource, number>> = { request: 0, stored: 1, platform: 2 };

/** SPEC order of key sources: the request's own key, then stored keys, then platform keys. */
export function bySourceOrder(a: Candidate, b: Candidate): number {
  return SOURCE_ORDER[a.keySource] - SOURCE_ORDER[b.keySource];
}

/** One provider serving one model, with every key that could pay for it, in the order they came. */
export interface TargetGroup {
  provider: string;
  model: string;
  candidates: Candidate[];
}

/** Groups candidates by provider and model, keeping the order in which targets first appear. */
export function groupByTarget(candidates: readonly Candidate[]): TargetGroup[] {
  const groups: TargetGroup[] = [];
  for (const candidate of candidates) {
    let group = groups.find((g) => g.provider === candidate.provider && g.model === candidate.model);
    if (!group) {
      group = { provider: candidate.provider, model: candidate.model, candidates: [] };
      groups.push(group);
    }
    group.candidates.push(candidate);
  }
  return groups;
}

/**
 * The keys of one target that may pay, in SPEC order: the caller's own keys (request, then stored); platform
 * keys when the caller has none of its own for this target, or after them when `fallbackToPlatform` is set;
 * never platform keys for a BYOK-only call.
 */
export function payingKeys(request: RoutingRequest, candidates: readonly Candidate[]): Candidate[] {
  const own = candidates.filter((c) => c.keySource !== "platform").sort(bySourceOrder);
  if (request.useByokOnly) return own;
  const platform = candidates.filter((c) => c.keySource === "platform");
  if (own.length === 0) return platform;
  return request.fallbackToPlatform ? [...own, ...platform] : own;
}

/** Each group's paying keys, one group after the other. */
export function flattenGroups(request: RoutingRequest, groups: readonly TargetGroup[]): Candidate[] {
  return groups.flatMap((group) => payingKeys(request, group.candidates));
}
