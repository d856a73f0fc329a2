// GET /v1/providers/health (any key: providers, and the stored keys of the caller's account) and
// POST /v1/providers/health-check (the operator: auto_disable, thresholds, check interval; until restart).
import { Type as T } from "@sinclair/typebox";
import { Elysia } from "elysia";
import { HealthSettings } from "../../config/schema.ts";
import { GatewayError } from "../../errors.ts";
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
      guarded(deps, async ({ principal }) => json(view(principal.operator, principal.accountId))),
    )
    .post(
      "/v1/providers/health-check",
      guarded(deps, async ({ principal, request }) => {
        if (!principal.operator) {
          throw new GatewayError("permission_denied", "Only the operator's admin key may change health checks: they apply to every account.");
        }
        const change = validateHealthCheck(await readJsonBody(request, deps.config.server.max_body_bytes));
        health.monitor.configure(change);
        await health.probes.probeDue();
        return json(view(true, principal.accountId));
      }),
    );
}
