// GET /health (the process is up) and GET /ready (the database answers).
import { Elysia } from "elysia";
import type { AppDeps } from "../context.ts";

export function healthRoutes(deps: AppDeps) {
  return new Elysia({ name: "health" })
    .get("/health", () => Response.json({ status: "ok", version: deps.version }))
    .get("/ready", async () => {
      const database = await deps.store.ping();
      return Response.json({ status: database ? "ready" : "unavailable", checks: { database } }, { status: database ? 200 : 503 });
    });
}
