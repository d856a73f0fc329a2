// `byok_preferred`: the caller's keys first (per-request, then stored) on every target in resolution order;
// platform keys only when the caller has no key of its own, or after its keys when `fallback_to_platform` is set.
import { type Candidate, defineStrategy } from "../plugins/sdk.ts";
import { bySourceOrder } from "./candidate-groups.ts";

const isOwn = (c: Candidate) => c.keySource !== "platform";
const isPlatform = (c: Candidate) => c.keySource === "platform";

/** Whether every candidate is the caller's own and they come in source order already (the common call). */
function ownInOrder(candidates: readonly Candidate[]): boolean {
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i] as Candidate;
    if (!isOwn(candidate) || (i > 0 && bySourceOrder(candidates[i - 1] as Candidate, candidate) > 0)) return false;
  }
  return candidates.length > 0;
}

export default defineStrategy({
  name: "byok_preferred",
  plan(request, candidates) {
    if (ownInOrder(candidates)) return [...candidates];
    const own = candidates.filter(isOwn).sort(bySourceOrder);
    if (own.length > 0 && !request.fallbackToPlatform) return own;
    const platform = request.useByokOnly ? [] : candidates.filter(isPlatform);
    return own.length === 0 ? platform : own.concat(platform);
  },
});
