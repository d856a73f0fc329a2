// Composes the HTTP app: routes, and the one place where anything thrown becomes an OpenAI-shaped error.
import { Elysia } from "elysia";
import { GatewayError } from "../errors.ts";
import type { AppDeps } from "./context.ts";
import { requestIdOf } from "./context.ts";
import { asGatewayError, errorResponse } from "./error-response.ts";
import { accountRoutes } from "./routes/accounts.ts";
import { apiKeyRoutes } from "./routes/api-keys.ts";
import { teamRoutes } from "./routes/teams.ts";
import { auditRoutes } from "./routes/audit.ts";
import { providerKeyRoutes } from "./routes/provider-keys.ts";
import { providerHealthRoutes } from "./routes/provider-health.ts";
import { healthRoutes } from "./routes/health.ts";
import { inferenceRoutes } from "./routes/inference.ts";
import { modelRoutes } from "./routes/models.ts";

export function createApp(deps: AppDeps) {
  return new Elysia({ normalize: false })
    .onError(({ code, error, request }) => {
      const headers = { "x-request-id": requestIdOf(request) };
      if (code === "NOT_FOUND") {
        const url = new URL(request.url);
        return errorResponse(new GatewayError("not_found", `No route for ${request.method} ${url.pathname}.`), headers);
      }
      if (code === "PARSE" || code === "VALIDATION") {
        return errorResponse(new GatewayError("invalid_request", "The request could not be read."), headers);
      }
      return errorResponse(asGatewayError(error, deps.logger), headers);
    })
    .use(healthRoutes(deps))
    .use(modelRoutes(deps))
    .use(inferenceRoutes(deps))
    .use(apiKeyRoutes(deps))
    .use(providerKeyRoutes(deps))
    .use(providerHealthRoutes(deps))
    .use(auditRoutes(deps))
    .use(accountRoutes(deps))
    .use(teamRoutes(deps));
}

export type App = ReturnType<typeof createApp>;
