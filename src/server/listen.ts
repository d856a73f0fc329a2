// The listening server: Bun's router answers the data plane, the probes and the model list (native-routes.ts); any
// other request goes to the control plane (app.ts: Elysia, the management API, the dashboard), whose modules are
// loaded and whose routes are built on its first request, so a gateway that only serves calls never holds them.
import type { Server } from "bun";
import type { App } from "./app.ts";
import type { AppDeps } from "./context.ts";
import { caught, type NativeMethod } from "./native-route.ts";
import { nativeRoutes } from "./native-routes.ts";

export interface ListenOptions {
  hostname: string;
  port: number;
  reusePort: boolean;
  idleTimeout: number;
  maxRequestBodySize: number;
}

export interface Listening {
  server: Server<undefined>;
  /** One request answered in-process, as the server answers it (the native routes first, then the control plane). */
  handle(request: Request): Promise<Response>;
}

export function listen(deps: AppDeps, options: ListenOptions): Listening {
  const routes = nativeRoutes(deps);
  let server: Server<undefined> | undefined;
  let built: Promise<App> | undefined;
  const app = () =>
    (built ??= import("./app.ts").then(({ createApp }) => {
      const created = createApp(deps, routes);
      // The server the control plane's handlers ask for the peer's address (IP allowlists).
      created.server = server ?? null;
      return created;
    }));
  const controlPlane = caught(deps, async (request) => (await app()).handle(request));
  server = Bun.serve({ ...options, development: false, routes, fetch: controlPlane });
  // In-process, the same split: a path Bun's router would answer (an exact path, the method routed there) goes to its
  // handler, anything else (wildcards included, which the control plane routes alike) to the control plane.
  const handle = async (request: Request): Promise<Response> => {
    const native = routes[new URL(request.url).pathname]?.[request.method as NativeMethod];
    return native ? native(request, server ?? null) : controlPlane(request, server ?? null);
  };
  return { server, handle };
}
