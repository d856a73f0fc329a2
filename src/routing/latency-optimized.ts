// `latency_optimized`: healthy targets first, by lowest recent latency (p50 from the health monitor); targets
// with no latency yet after those measured; unhealthy (degraded) targets last, also by latency.
import { type Candidate, defineStrategy } from "../plugins/sdk.ts";
import { flattenGroups, groupByTarget } from "./candidate-groups.ts";

function rank(candidate: Candidate): [number, number] {
  const health = candidate.health;
  const tier = health?.healthy === false ? 1 : 0;
  return [tier, health?.latencyMs ?? Number.POSITIVE_INFINITY];
}

export default defineStrategy({
  name: "latency_optimized",
  plan(request, candidates) {
    const ranked = groupByTarget(candidates).map((group, index) => ({ group, index, rank: rank(group.candidates[0] as Candidate) }));
    ranked.sort((a, b) => a.rank[0] - b.rank[0] || compareLatency(a.rank[1], b.rank[1]) || a.index - b.index);
    return flattenGroups(request, ranked.map((r) => r.group));
  },
});

function compareLatency(a: number, b: number): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
