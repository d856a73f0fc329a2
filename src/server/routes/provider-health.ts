// GET /v1/providers/health (any key: providers, and the stored keys of the caller's account) and
// POST /v1/providers/health-check (the operator: auto_disable, thresholds, check interval; until restart).
import { Type as T } from "@sinclair/typebox";
import { Elysia } from "elysia";
import { HealthSettings } from "../../config/schema.ts";
import { authorize } from "../../accounts/permissions.ts";
import { providerHealthView } from "../../health/health-view.ts";
import { bodyValidator, readJsonBody } from "../body.ts";
import type { AppDeps } from "../context.ts";
import { guarded, json } from "../guard.ts";

const validateHealthCheck = bodyValidator(T.Partial(HealthSettings, { additionalProperties: false }));

export function providerHealthRoutes(deps: AppDeps) {
  const { health } = deps;
  const app = new Elysia({ name: "provider-health" });
  if (!health) return app;
  const view = (operator: boolean, accountId: string) => ({
    providers: providerHealthView(health.monitor, (key) => operator || key.accountId === accountId),
    settings: health.monitor.settings(),
    window_seconds: health.monitor.windowMs / 1000,
  });
  return app
    .get(
      "/v1/providers/health",
      guarded(deps, async ({ principal }) => {
        const scope = authorize(principal, "provider_health.read");
        return json(view(scope.accountId === undefined, principal.accountId));
      }),
    )
    .post(
      "/v1/providers/health-check",
      guarded(deps, async ({ principal, request }) => {
        authorize(principal, "provider_health.configure");
        const change = validateHealthCheck(await readJsonBody(request, deps.config.server.max_body_bytes));
        health.monitor.configure(change);
        await health.probes.probeDue();
        return json(view(true, principal.accountId));
      }),
    );
}
