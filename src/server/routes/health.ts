// GET /health (the process is up), GET /ready (the database answers) and GET /metrics (Prometheus, when on).
import { Elysia } from "elysia";
import { GatewayError } from "../../core/errors.ts";
import type { AppDeps } from "../context.ts";
import { errorResponse } from "../error-response.ts";

export function healthRoutes(deps: AppDeps) {
  return new Elysia({ name: "health" })
    .get("/health", () => Response.json({ status: "ok", version: deps.version }))
    .get("/ready", async () => {
      const database = await deps.store.ping();
      return Response.json({ status: database ? "ready" : "unavailable", checks: { database } }, { status: database ? 200 : 503 });
    })
    .get("/metrics", async () => {
      if (!deps.metrics) {
        return errorResponse(new GatewayError("not_found", "Metrics are off: set telemetry.prometheus: true in the config."));
      }
      const { body, contentType } = await deps.metrics.render();
      return new Response(body, { headers: { "content-type": contentType } });
    });
}
