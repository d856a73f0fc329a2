// POST/GET/DELETE /v1/api-keys: keyway keys for clients. The admin key acts on any account; others on their own.
import { Elysia } from "elysia";
import { createApiKey, viewApiKey } from "../../accounts/api-keys.ts";
import type { Principal } from "../../accounts/authenticator.ts";
import { parseAllowlist } from "../../accounts/ip-allowlist.ts";
import { GatewayError, invalidRequest } from "../../errors.ts";
import { authenticate } from "../authenticate.ts";
import { bodyValidator, readJsonBody } from "../body.ts";
import { type AppDeps, requestIdOf } from "../context.ts";
import { asGatewayError, errorResponse } from "../error-response.ts";
import { CreateApiKeyBody } from "../schemas.ts";

const validateCreate = bodyValidator(CreateApiKeyBody);

const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });

function canManage(principal: Principal): void {
  if (principal.operator) return;
  if (principal.role !== "admin") {
    throw new GatewayError("permission_denied", "Only admin keys may manage keyway keys.");
  }
}

export function apiKeyRoutes(deps: AppDeps) {
  const guarded = (handler: (principal: Principal, request: Request, params: Record<string, string>) => Promise<Response>) =>
    async ({ request, server, params }: { request: Request; server: { requestIP(r: Request): { address: string } | null } | null; params: Record<string, string> }) => {
      try {
        const principal = await authenticate(deps.authenticator, request, server?.requestIP(request)?.address);
        canManage(principal);
        return await handler(principal, request, params);
      } catch (error) {
        return errorResponse(asGatewayError(error, deps.logger), { "x-request-id": requestIdOf(request) });
      }
    };

  return new Elysia({ name: "api-keys" })
    .post(
      "/v1/api-keys",
      guarded(async (principal, request) => {
        const body = validateCreate(await readJsonBody(request, deps.config.server.max_body_bytes));
        const accountId = body.account_id ?? principal.accountId;
        if (!principal.operator && accountId !== principal.accountId) {
          throw new GatewayError("permission_denied", "You may only create keys for your own account.", { param: "account_id" });
        }
        if (!(await deps.store.accounts.get(accountId))) throw new GatewayError("not_found", `No account '${accountId}'.`, { param: "account_id" });
        if (body.ip_allowlist) parseAllowlist(body.ip_allowlist);
        let expiresAt: number | null = null;
        if (body.expires_at !== undefined) {
          expiresAt = Date.parse(body.expires_at);
          if (Number.isNaN(expiresAt)) throw invalidRequest("'expires_at' must be an ISO 8601 date-time.", "expires_at");
          if (expiresAt <= Date.now()) throw invalidRequest("'expires_at' is in the past.", "expires_at");
        }
        const { key, record } = await createApiKey(deps.store.apiKeys, {
          name: body.name,
          accountId,
          teamId: body.team_id ?? principal.teamId,
          role: body.role,
          ipAllowlist: body.ip_allowlist ?? null,
          expiresAt,
        });
        return json({ ...viewApiKey(record), key }, 201);
      }),
    )
    .get(
      "/v1/api-keys",
      guarded(async (principal) => {
        const records = await deps.store.apiKeys.list(principal.operator ? undefined : principal.accountId);
        return json({ object: "list", data: records.map(viewApiKey) });
      }),
    )
    .delete(
      "/v1/api-keys/:id",
      guarded(async (principal, _request, params) => {
        const id = params.id ?? "";
        const record = await deps.store.apiKeys.get(id);
        if (!record || record.revokedAt !== null || (!principal.operator && record.accountId !== principal.accountId)) {
          throw new GatewayError("not_found", `No active keyway key '${id}'.`);
        }
        await deps.store.apiKeys.revoke(id);
        deps.authenticator.invalidate();
        return json({ id, object: "api_key", deleted: true });
      }),
    );
}
