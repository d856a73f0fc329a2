// Wraps a control-plane handler: authenticates the caller and turns anything thrown into an OpenAI-shaped error.
import type { Principal } from "../accounts/authenticator.ts";
import { GatewayError } from "../errors.ts";
import { authenticate } from "./authenticate.ts";
import { type AppDeps, requestIdOf } from "./context.ts";
import { asGatewayError, errorResponse } from "./error-response.ts";

export interface GuardedContext {
  principal: Principal;
  request: Request;
  params: Record<string, string>;
  query: URLSearchParams;
}

interface ElysiaLike {
  request: Request;
  server: { requestIP(request: Request): { address: string } | null } | null;
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

/** Writes need the operator or an admin key of the account. */
export function requireAdmin(principal: Principal, what: string): void {
  if (!principal.operator && principal.role !== "admin") {
    throw new GatewayError("permission_denied", `Only admin keys may ${what}.`);
  }
}

/** The account acted on: the caller's own, or (for the operator only) the one named. */
export function targetAccount(principal: Principal, named: unknown): string {
  if (named === undefined || named === null || named === "") return principal.accountId;
  if (typeof named !== "string") throw new GatewayError("invalid_request", "'account_id' must be a string.", { param: "account_id" });
  if (!principal.operator && named !== principal.accountId) {
    throw new GatewayError("permission_denied", "You may only act on your own account.", { param: "account_id" });
  }
  return named;
}
