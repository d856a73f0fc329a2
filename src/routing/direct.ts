// `direct`: the one resolved provider, its keys in source order; no move to another provider.
import { type Candidate, defineStrategy } from "../plugins/sdk.ts";

const SOURCE_ORDER = { request: 0, stored: 1, platform: 2 } as const;

export function bySourceOrder(a: Candidate, b: Candidate): number {
  return SOURCE_ORDER[a.keySource] - SOURCE_ORDER[b.keySource];
}

export default defineStrategy({
  name: "direct",
  plan(_request, candidates) {
    const first = candidates[0];
    if (!first) return [];
    return candidates.filter((c) => c.provider === first.provider).sort(bySourceOrder);
  },
});
