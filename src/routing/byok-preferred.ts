// `byok_preferred`: the caller's keys first (per-request, then stored) on every target in resolution order;
// platform keys only when the caller has no key of its own, or after its keys when `fallback_to_platform` is set.
import { defineStrategy } from "../plugins/sdk.ts";
import { bySourceOrder } from "./candidate-groups.ts";

export default defineStrategy({
  name: "byok_preferred",
  plan(request, candidates) {
    const own = candidates.filter((c) => c.keySource !== "platform").sort(bySourceOrder);
    const platform = request.useByokOnly ? [] : candidates.filter((c) => c.keySource === "platform");
    if (own.length === 0) return platform;
    return [...own, ...(request.fallbackToPlatform ? platform : [])];
  },
});
