// Dashboard sessions: POST /v1/sessions exchanges a keyway key for an HttpOnly, SameSite=Strict session cookie and a
// CSRF token; GET /v1/sessions/current says who the session is and what its role may do; DELETE /v1/sessions/current
// signs out (the session is deleted on the server). Present only while the dashboard is served (dashboard.enabled).
import { Type as T } from "@sinclair/typebox";
import { Elysia } from "elysia";
import { type Action, PERMISSIONS, type Reach, roleOf } from "../../accounts/permissions.ts";
import type { DashboardSession } from "../../store/repositories/dashboard-sessions.ts";
import { GatewayError } from "../../core/errors.ts";
import type { Principal } from "../../core/principal.ts";
import { authenticateKey, authenticateSession, checkSameOrigin, SESSION_COOKIE, sessionCookieOf } from "../authenticate.ts";
import { bodyValidator, readJsonBody } from "../body.ts";
import { type AppDeps, requestIdOf } from "../context.ts";
import { asGatewayError, errorResponse } from "../error-response.ts";
import type { PeerServer } from "../native-route.ts";

const validateSignIn = bodyValidator(T.Object({ key: T.String({ minLength: 1, maxLength: 512 }) }, { additionalProperties: false }));

interface ElysiaLike {
  request: Request;
  server: PeerServer | null;
}

/** What a role may do, action by action, with its reach (the dashboard offers only these). */
function permissionsOf(principal: Principal): Partial<Record<Action, Exclude<Reach, null>>> {
  const role = roleOf(principal);
  const allowed: Partial<Record<Action, Exclude<Reach, null>>> = {};
  for (const [action, row] of Object.entries(PERMISSIONS) as [Action, (typeof PERMISSIONS)[Action]][]) {
    if (row[role] !== null) allowed[action] = row[role];
  }
  return allowed;
}

function sessionView(session: DashboardSession, principal: Principal) {
  return {
    object: "session",
    expires_at: new Date(session.expiresAt).toISOString(),
    csrf_token: session.csrfToken,
    key_id: principal.keyId,
    account_id: principal.accountId,
    team_id: principal.teamId,
    role: principal.role,
    operator: principal.operator,
    permissions: permissionsOf(principal),
  };
}

/** Secure when the browser reached keyway over TLS (directly, or through a proxy that says so). */
function overTls(request: Request): boolean {
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return new URL(request.url).protocol === "https:" || forwarded === "https";
}

function cookie(request: Request, value: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}${overTls(request) ? "; Secure" : ""}`;
}

const NO_STORE = { "cache-control": "no-store" };

export function sessionRoutes(deps: AppDeps) {
  const app = new Elysia({ name: "sessions" });
  const sessions = deps.authenticator.sessions;
  if (!sessions) return app;
  const ipOf = ({ request, server }: ElysiaLike) => server?.requestIP(request)?.address;
  // Destructured, so Elysia leaves the body unread (readJsonBody reads it, with the size limit).
  const handle = (handler: (ctx: ElysiaLike) => Promise<Response>) => async ({ request, server }: ElysiaLike) => {
    try {
      return await handler({ request, server });
    } catch (error) {
      return errorResponse(asGatewayError(error, deps.logger), { "x-request-id": requestIdOf(request), ...NO_STORE });
    }
  };
  const current = async (ctx: ElysiaLike) => {
    const found = await authenticateSession(deps.authenticator, ctx.request, ipOf(ctx));
    if (!found) throw new GatewayError("invalid_api_key", "No dashboard session: sign in with POST /v1/sessions.");
    return found;
  };
  return app
    .post(
      "/v1/sessions",
      handle(async (ctx) => {
        checkSameOrigin(ctx.request);
        const body = validateSignIn(await readJsonBody(ctx.request, deps.config.server.max_body_bytes));
        const principal = await authenticateKey(deps.authenticator, body.key.trim(), ipOf(ctx));
        const opened = await sessions.open(principal);
        if (!opened) throw new GatewayError("invalid_api_key", "The keyway key is unknown, revoked or expired.");
        const maxAge = Math.max(1, Math.floor((opened.session.expiresAt - Date.now()) / 1000));
        return new Response(JSON.stringify(sessionView(opened.session, principal)), {
          status: 201,
          headers: { "content-type": "application/json", "set-cookie": cookie(ctx.request, opened.token, maxAge), ...NO_STORE },
        });
      }),
    )
    .get(
      "/v1/sessions/current",
      handle(async (ctx) => {
        const found = await current(ctx);
        return new Response(JSON.stringify(sessionView(found.session, found.principal)), { headers: { "content-type": "application/json", ...NO_STORE } });
      }),
    )
    .delete(
      "/v1/sessions/current",
      handle(async (ctx) => {
        await current(ctx);
        await sessions.close(sessionCookieOf(ctx.request) ?? "");
        return new Response(JSON.stringify({ object: "session", deleted: true }), {
          headers: { "content-type": "application/json", "set-cookie": cookie(ctx.request, "", 0), ...NO_STORE },
        });
      }),
    );
}
