// GET /health (the process is up), GET /ready (the database answers, and Redis when counters are on it) and GET /metrics
// (Prometheus, when on). Answered by Bun's router (native-routes.ts): probes never load the control plane.
import { GatewayError } from "../../core/errors.ts";
import type { AppDeps } from "../context.ts";
import { errorResponse } from "../error-response.ts";
import { caught, type NativeRoutes } from "../native-route.ts";

export function probeRoutes(deps: AppDeps): NativeRoutes {
  return {
    "/health": { GET: () => Response.json({ status: "ok", version: deps.version }) },
    "/ready": {
      GET: caught(deps, async () => {
        // Counters on Redis are checked too (a PING); in-process counters have nothing to check.
        const [database, redis] = await Promise.all([deps.store.ping(), deps.governance.counters.check?.()]);
        const ready = database && (redis?.reachable ?? true);
        const checks = redis ? { database, redis: redis.reachable } : { database };
        const reasons = redis && !redis.reachable ? { reasons: { redis: `Redis (counters) unreachable since ${redis.since}: ${redis.reason}` } } : {};
        return Response.json({ status: ready ? "ready" : "unavailable", checks, ...reasons }, { status: ready ? 200 : 503 });
      }),
    },
    "/metrics": {
      GET: caught(deps, async () => {
        if (!deps.metrics) {
          return errorResponse(new GatewayError("not_found", "Metrics are off: set telemetry.prometheus: true in the config."));
        }
        const { body, contentType } = await deps.metrics.render();
        return new Response(body, { headers: { "content-type": contentType } });
      }),
    },
  };
}
