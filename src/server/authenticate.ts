// Authenticates a request by its keyway key (Bearer or x-api-key) or, when it sends none, by a dashboard session
// cookie (state-changing methods then need the session's X-CSRF-Token and a same-origin Origin), and checks the IP
// allowlist of the key.
import { timingSafeEqual } from "node:crypto";
import type { Authenticator } from "../accounts/authenticator.ts";
import type { FoundSession } from "../accounts/dashboard-sessions.ts";
import type { ClientAddress } from "../core/call.ts";
import type { Principal } from "../core/principal.ts";
import { ipAllowed } from "../accounts/ip-allowlist.ts";
import { GatewayError } from "../core/errors.ts";

export function presentedKey(request: Request): string | undefined {
  const authorization = request.headers.get("authorization");
  if (authorization !== null) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match?.[1]) return match[1].trim();
  }
  return request.headers.get("x-api-key")?.trim() || undefined;
}

/** The cookie a dashboard session travels in. */
export const SESSION_COOKIE = "keyway_session";

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The dashboard session cookie's value, if the request carries one. */
export function sessionCookieOf(request: Request): string | undefined {
  const header = request.headers.get("cookie");
  if (header === null) return undefined;
  for (const part of header.split(";")) {
    const [name, ...value] = part.split("=");
    if (name?.trim() === SESSION_COOKIE) return value.join("=").trim() || undefined;
  }
  return undefined;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A browser's Origin header, when sent, must name this server (the Host it was asked at). */
export function checkSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  if (origin !== null) {
    const host = request.headers.get("host") ?? new URL(request.url).host;
    let originHost: string | undefined;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = undefined;
    }
    if (originHost !== host) throw new GatewayError("csrf_failed", "This call comes from another site (Origin); the dashboard's calls come from its own.");
  }
}

/** A state-changing call made with a session cookie: its X-CSRF-Token must be the session's, its Origin (if any) this server. */
function checkCsrf(request: Request, csrfToken: string): void {
  if (!STATE_CHANGING.has(request.method)) return;
  checkSameOrigin(request);
  const sent = request.headers.get("x-csrf-token");
  if (sent === null || !sameText(sent, csrfToken)) {
    throw new GatewayError("csrf_failed", "A call made with the dashboard's session needs the session's X-CSRF-Token header (sign in again if it was lost).");
  }
}

/** The caller's address, or where to read it when it is needed (only keys with an IP allowlist need it). */
export type ClientIp = string | undefined | ClientAddress;

function checkIp(principal: Principal, clientIp: ClientIp): void {
  if (!principal.ipAllowlist || principal.ipAllowlist.length === 0) return;
  const address = typeof clientIp === "object" ? clientIp.address : clientIp;
  if (!ipAllowed(principal.ipAllowlist, address)) {
    throw new GatewayError("ip_not_allowed", `This keyway key may not be used from ${address ?? "an unknown address"}.`);
  }
}

/** The dashboard session of a request sent without a key (CSRF checked for state-changing methods), or undefined without a cookie. */
export async function authenticateSession(authenticator: Authenticator, request: Request, clientIp: ClientIp): Promise<FoundSession | undefined> {
  const token = sessionCookieOf(request);
  if (token === undefined || !authenticator.sessions) return undefined;
  const found = await authenticator.sessions.find(token);
  if (!found) throw new GatewayError("invalid_api_key", "The dashboard session has ended (signed out, expired, or its keyway key was revoked); sign in again.");
  checkCsrf(request, found.session.csrfToken);
  checkIp(found.principal, clientIp);
  return found;
}

/** The caller: by its keyway key (at once when the key's lookup is cached), else by its dashboard session. */
export function authenticate(authenticator: Authenticator, request: Request, clientIp: ClientIp): Principal | Promise<Principal> {
  const key = presentedKey(request);
  return key === undefined ? sessionPrincipal(authenticator, request, clientIp) : authenticateKey(authenticator, key, clientIp);
}

async function sessionPrincipal(authenticator: Authenticator, request: Request, clientIp: ClientIp): Promise<Principal> {
  const session = await authenticateSession(authenticator, request, clientIp);
  if (session) return session.principal;
  throw new GatewayError("invalid_api_key", "Missing keyway key: send it in the Authorization header as a bearer token (or in x-api-key).");
}

/**
 * The principal of a keyway key given as such (not in a header: the dashboard's sign-in form), IP allowlist checked;
 * at once when the key's lookup is cached.
 */
export function authenticateKey(authenticator: Authenticator, key: string, clientIp: ClientIp): Principal | Promise<Principal> {
  const found = authenticator.authenticate(key);
  return found instanceof Promise ? found.then((principal) => allowed(principal, clientIp)) : allowed(found, clientIp);
}

function allowed(principal: Principal | undefined, clientIp: ClientIp): Principal {
  if (!principal) throw new GatewayError("invalid_api_key", "The keyway key is unknown, revoked or expired.");
  checkIp(principal, clientIp);
  return principal;
}
