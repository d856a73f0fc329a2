// IndoxRouter's API under /api/v1/, for its Python client (`indoxhub`) pointed at keyway: the token exchange, the
// model catalogue and the caller's usage (its inference endpoints are in indoxrouter-inference.ts, answered by Bun's
// router). Errors are IndoxRouter's `{"detail": ...}` with keyway's status.
import { Elysia } from "elysia";
import type { AppDeps } from "../context.ts";
import { indoxAuthRoutes } from "./indoxrouter-auth.ts";
import { providerInfos, providerOrModel } from "./indoxrouter-models.ts";
import { indoxJson } from "./indoxrouter-reply.ts";
import { userUsage } from "./indoxrouter-usage.ts";

export function indoxRouterRoutes(deps: AppDeps) {
  return new Elysia({ name: "indoxrouter" })
    .use(indoxAuthRoutes(deps))
    .get("/api/v1/models", indoxJson(deps, (principal) => providerInfos(deps, principal)))
    .get("/api/v1/models/*", indoxJson(deps, (principal, { request }) => providerOrModel(deps, principal, request)))
    .get("/api/v1/user/usage", indoxJson(deps, (principal, { request }) => userUsage(deps, principal, new URL(request.url).searchParams)));
}
