// How the IndoxRouter routes answer outside the pipeline: a JSON body, or any refusal in IndoxRouter's error shape
// (`{"detail": ...}`, the status keyway gives it), with the request id.
import type { Principal } from "../../core/principal.ts";
import { indoxChat } from "../../dialects/indoxrouter/dialect.ts";
import { authenticate } from "../authenticate.ts";
import { type AppDeps, requestIdOf } from "../context.ts";
import { asGatewayError, errorResponse } from "../error-response.ts";
import type { PeerServer } from "../native-route.ts";

export interface RouteContext {
  request: Request;
  server: PeerServer | null;
}

export const clientIpOf = ({ request, server }: RouteContext) => server?.requestIP(request)?.address;

/** Runs `handler`; whatever it throws becomes IndoxRouter's error answer. */
export async function indoxReply(deps: AppDeps, request: Request, handler: () => Promise<Response>): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    return errorResponse(asGatewayError(error, deps.logger), { "x-request-id": requestIdOf(request) }, indoxChat);
  }
}

/** A GET answered with JSON for an authenticated caller (Bearer or X-API-Key). */
export function indoxJson(deps: AppDeps, body: (principal: Principal, context: RouteContext) => Promise<unknown>) {
  return ({ request, server }: RouteContext) =>
    indoxReply(deps, request, async () => {
      const principal = await authenticate(deps.authenticator, request, clientIpOf({ request, server }));
      return Response.json(await body(principal, { request, server }), { headers: { "x-request-id": requestIdOf(request) } });
    });
}
