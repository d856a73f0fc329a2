// The control plane: the management API and the dashboard on Elysia, and the one place where anything thrown becomes
// an OpenAI-shaped error (including unknown paths, 404, and known paths asked with another method, 405 with Allow).
// Loaded on its first request (listen.ts). The routes Bun's router answers ahead of it (native-routes.ts) are
// registered here too, so `app.handle` answers every path and a 405 names their methods.
import { Elysia } from "elysia";
import { GatewayError } from "../core/errors.ts";
import type { AppDeps } from "./context.ts";
import { requestIdOf } from "./context.ts";
import { methodsByPath } from "./allowed-methods.ts";
import { asGatewayError, errorResponse } from "./error-response.ts";
import { accountRoutes } from "./routes/accounts.ts";
import { alertRoutes } from "./routes/alerts.ts";
import { dashboardRoutes } from "./routes/dashboard.ts";
import { sessionRoutes } from "./routes/sessions.ts";
import { apiKeyRoutes } from "./routes/api-keys.ts";
import { teamRoutes } from "./routes/teams.ts";
import { approvalRoutes } from "./routes/approvals.ts";
import { auditRoutes } from "./routes/audit.ts";
import { analyticsRoutes } from "./routes/analytics.ts";
import { billingExportRoutes } from "./routes/billing-export.ts";
import { providerKeyRoutes } from "./routes/provider-keys.ts";
import { providerHealthRoutes } from "./routes/provider-health.ts";
import { refusalWithoutHost } from "./host-check.ts";
import { indoxRouterRoutes } from "./routes/indoxrouter.ts";
import type { NativeMethod, NativeRoutes } from "./native-route.ts";

/** The path of a request; an HTTP/1.0 request without Host has a relative URL. */
function pathOf(request: Request): string {
  return new URL(request.url, "http://keyway.invalid").pathname;
}

/** The routes Bun's router answers, as Elysia routes. */
function nativeRoutesIn(native: NativeRoutes) {
  const app = new Elysia({ name: "native" });
  for (const [path, methods] of Object.entries(native)) {
    for (const [method, handler] of Object.entries(methods) as [NativeMethod, NonNullable<NativeRoutes[string][NativeMethod]>][]) {
      app.route(method, path, ({ request, server }) => handler(request, server));
    }
  }
  return app;
}

export function createApp(deps: AppDeps, native: NativeRoutes) {
  let allowedMethods: ((path: string) => string[]) | undefined;
  const app = new Elysia({ normalize: false })
    .onRequest(({ request }) => {
      // API calls need a Host header (probes such as /health answer without one, as load balancers expect).
      if (request.headers.has("host") || !pathOf(request).startsWith("/v1/")) return;
      return refusalWithoutHost(request);
    })
    .onError(({ code, error, request }) => {
      const headers = { "x-request-id": requestIdOf(request) };
      if (code === "NOT_FOUND") {
        const path = pathOf(request);
        allowedMethods ??= methodsByPath(app.routes);
        const allowed = allowedMethods(path);
        if (allowed.length > 0) {
          const message = `${request.method} is not allowed on ${path}; use ${allowed.join(" or ")}.`;
          return errorResponse(new GatewayError("method_not_allowed", message), { ...headers, allow: allowed.join(", ") });
        }
        return errorResponse(new GatewayError("not_found", `No route for ${request.method} ${path}.`), headers);
      }
      if (code === "PARSE" || code === "VALIDATION") {
        return errorResponse(new GatewayError("invalid_request", "The request could not be read."), headers);
      }
      return errorResponse(asGatewayError(error, deps.logger), headers);
    })
    .use(nativeRoutesIn(native))
    .use(indoxRouterRoutes(deps))
    .use(apiKeyRoutes(deps))
    .use(providerKeyRoutes(deps))
    .use(providerHealthRoutes(deps))
    .use(auditRoutes(deps))
    .use(analyticsRoutes(deps))
    .use(billingExportRoutes(deps))
    .use(accountRoutes(deps))
    .use(alertRoutes(deps))
    .use(teamRoutes(deps))
    .use(approvalRoutes(deps))
    .use(sessionRoutes(deps))
    .use(dashboardRoutes(deps));
  return app;
}

export type App = ReturnType<typeof createApp>;
