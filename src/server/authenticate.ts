// Authenticates a request by its keyway key (Bearer or x-api-key) and checks the key's IP allowlist.
import type { Authenticator } from "../accounts/authenticator.ts";
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

export async function authenticate(authenticator: Authenticator, request: Request, clientIp: string | undefined): Promise<Principal> {
  const key = presentedKey(request);
  if (key === undefined) {
    throw new GatewayError("invalid_api_key", "Missing keyway key: send it in the Authorization header as a bearer token (or in x-api-key).");
  }
  const principal = await authenticator.authenticate(key);
  if (!principal) throw new GatewayError("invalid_api_key", "The keyway key is unknown, revoked or expired.");
  if (principal.ipAllowlist && principal.ipAllowlist.length > 0 && !ipAllowed(principal.ipAllowlist, clientIp)) {
    throw new GatewayError("ip_not_allowed", `This keyway key may not be used from ${clientIp ?? "an unknown address"}.`);
  }
  return principal;
}
