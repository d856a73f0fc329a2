// Example strategy plugin: "cheapest healthy, then fastest". Healthy targets first, cheapest list price first
// (unknown prices after known ones), ties broken by recent latency; unhealthy (slow or failing) targets last,
// fastest first. Copy it to start your own; register it in the config:
//   routing: { strategies: { cheapest_healthy: ./plugins/cheapest-healthy-strategy.ts } }
// and ask for it per request with `"routing": { "strategy": "cheapest_healthy" }`.
// Disabled providers never reach `plan`; timeouts, retries and fallback come from the executor.
import { type Candidate, defineStrategy, groupByTarget, payingKeys } from "keyway/plugin";

const price = (c: Candidate) => (c.price ? c.price.input_per_mtok + c.price.output_per_mtok : Number.POSITIVE_INFINITY);
const latency = (c: Candidate) => c.health?.latencyMs ?? Number.POSITIVE_INFINITY;
const healthy = (c: Candidate) => c.health?.healthy !== false;

function compare(a: Candidate, b: Candidate): number {
  if (healthy(a) !== healthy(b)) return healthy(a) ? -1 : 1;
  if (!healthy(a)) return latency(a) - latency(b) || 0;
  return price(a) - price(b) || latency(a) - latency(b) || 0;
}

export default defineStrategy({
  name: "cheapest_healthy",
  plan(request, candidates) {
    const targets = groupByTarget(candidates);
    // sort is stable: equal targets keep their resolution order
    const ordered = [...targets].sort((a, b) => compare(a.candidates[0] as Candidate, b.candidates[0] as Candidate));
    return ordered.flatMap((target) => payingKeys(request, target.candidates));
  },
});
