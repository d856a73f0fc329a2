// `cost_optimized`: the cheapest eligible target first, by list price times `cost_weights`; unknown prices last.
// `cost_weights.input` / `cost_weights.output` weigh the two prices (default 1 each); a provider's name
// multiplies that provider's score (default 1), so `{ anthropic: 0.8 }` favours Anthropic by 20 %.
import { type Candidate, defineStrategy } from "../plugins/sdk.ts";
import { flattenGroups, groupByTarget } from "./candidate-groups.ts";

/** The weighted list price of a candidate, or undefined when its price is not known. */
export function weightedPrice(candidate: Candidate, weights: Readonly<Record<string, number>> = {}): number | undefined {
  if (!candidate.price) return undefined;
  const { input_per_mtok: input, output_per_mtok: output } = candidate.price;
  return (input * (weights.input ?? 1) + output * (weights.output ?? 1)) * (weights[candidate.provider] ?? 1);
}

export default defineStrategy({
  name: "cost_optimized",
  plan(request, candidates) {
    const scored = groupByTarget(candidates).map((group, index) => {
      const first = group.candidates[0] as Candidate;
      return { group, index, price: weightedPrice(first, request.costWeights) };
    });
    scored.sort((a, b) => {
      const unknownLast = (a.price === undefined ? 1 : 0) - (b.price === undefined ? 1 : 0);
      return unknownLast || (a.price ?? 0) - (b.price ?? 0) || a.index - b.index;
    });
    return flattenGroups(request, scored.map((s) => s.group));
  },
});
