// The routes Bun's own router answers, ahead of the HTTP framework: the data plane, the probes and the model list,
// what a serving gateway is asked on every call and every probe. Everything else (the management API, the dashboard,
// IndoxRouter's token exchange) is the control plane (app.ts), loaded on its first request (listen.ts).
import type { AppDeps } from "./context.ts";
import { indoxRouterServeRoutes } from "./routes/indoxrouter-inference.ts";
import { inferenceServeRoutes } from "./routes/inference.ts";
import { modelRoutes } from "./routes/models.ts";
import { probeRoutes } from "./routes/health.ts";
import type { NativeRoutes } from "./native-route.ts";

export function nativeRoutes(deps: AppDeps): NativeRoutes {
  return { ...probeRoutes(deps), ...modelRoutes(deps), ...inferenceServeRoutes(deps), ...indoxRouterServeRoutes(deps) };
}
