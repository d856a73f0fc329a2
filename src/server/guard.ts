// Wraps a control-plane handler: authenticates the caller and turns anything thrown into an OpenAI-shaped error.
// What the caller may do is decided by `authorize` (src/accounts/permissions.ts), which every handler calls.
import type { Principal } from "../core/principal.ts";
import { authenticate } from "./authenticate.ts";
import { type AppDeps, requestIdOf } from "./context.ts";
import { asGatewayError, errorResponse } from "./error-response.ts";
import type { PeerServer } from "./native-route.ts";

export interface GuardedContext {
  principal: Principal;
  request: Request;
  params: Record<string, string>;
  query: URLSearchParams;
}

interface ElysiaLike {
  request: Request;
  server: PeerServer | null;
  params?: Record<string, string>;
}

export function guarded(deps: AppDeps, handler: (ctx: GuardedContext) => Promise<Response>) {
  return async ({ request, server, params }: ElysiaLike): Promise<Response> => {
    try {
      const principal = await authenticate(deps.authenticator, request, server?.requestIP(request)?.address);
      return await handler({ principal, request, params: params ?? {}, query: new URL(request.url).searchParams });
    } catch (error) {
      return errorResponse(asGatewayError(error, deps.logger), { "x-request-id": requestIdOf(request) });
    }
  };
}

export const json = (value: unknown, status = 200): Response =>
  new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });
