// `direct`: the one resolved provider (the first target that has a key), its keys in source order; no move
// to another provider.
import { defineStrategy } from "../plugins/sdk.ts";
import { groupByTarget, payingKeys } from "./candidate-groups.ts";

export default defineStrategy({
  name: "direct",
  plan(request, candidates) {
    const first = groupByTarget(candidates)[0];
    return first ? payingKeys(request, first.candidates) : [];
  },
});
