// `byok_preferred`: the caller's keys first (per-request, then stored); platform keys only when allowed.
import { defineStrategy } from "../plugins/sdk.ts";
import { bySourceOrder } from "./direct.ts";

export default defineStrategy({
  name: "byok_preferred",
  plan(request, candidates) {
    const own = candidates.filter((c) => c.keySource !== "platform");
    const platform = request.useByokOnly ? [] : candidates.filter((c) => c.keySource === "platform");
    if (own.length === 0) return platform;
    return [...own.sort(bySourceOrder), ...(request.fallbackToPlatform ? platform : [])];
  },
});
