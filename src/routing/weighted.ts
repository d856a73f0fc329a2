// `weighted`: targets in weighted random order (routing `weights`: provider -> weight, default 1), so traffic
// splits by weight and the rest stay behind as fallbacks. A weight of 0 puts a provider last.
import { defineStrategy } from "../plugins/sdk.ts";
import { flattenGroups, groupByTarget } from "./candidate-groups.ts";

/** The strategy with its source of randomness (tests pass a fixed one). */
export function weightedStrategy(random: () => number = Math.random) {
  return defineStrategy({
    name: "weighted",
    plan(request, candidates) {
      const weights = request.weights ?? {};
      // Efraimidis-Spirakis: sorting by u^(1/w) draws targets without replacement in proportion to their weight.
      const drawn = groupByTarget(candidates).map((group, index) => {
        const weight = weights[group.provider] ?? 1;
        return { group, index, key: weight > 0 ? random() ** (1 / weight) : -1 };
      });
      drawn.sort((a, b) => b.key - a.key || a.index - b.index);
      return flattenGroups(request, drawn.map((d) => d.group));
    },
  });
}

export default weightedStrategy();
