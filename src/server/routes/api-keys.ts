// POST/GET/DELETE /v1/api-keys: keyway keys for clients. The admin key acts on any account; others on their own.
import { Elysia } from "elysia";
import { createApiKey, viewApiKey } from "../../accounts/api-keys.ts";
import { parseAllowlist } from "../../accounts/ip-allowlist.ts";
import { GatewayError, invalidRequest } from "../../errors.ts";
import { bodyValidator, readJsonBody } from "../body.ts";
import type { AppDeps } from "../context.ts";
import { guarded, json, requireAdmin, targetAccount } from "../guard.ts";
import { CreateApiKeyBody } from "../schemas.ts";

const validateCreate = bodyValidator(CreateApiKeyBody);

function parseExpiry(value: string | undefined): number | null {
  if (value === undefined) return null;
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw invalidRequest("'expires_at' must be an ISO 8601 date-time.", "expires_at");
  if (at <= Date.now()) throw invalidRequest("'expires_at' is in the past.", "expires_at");
  return at;
}

export function apiKeyRoutes(deps: AppDeps) {
  return new Elysia({ name: "api-keys" })
    .post(
      "/v1/api-keys",
      guarded(deps, async ({ principal, request }) => {
        requireAdmin(principal, "manage keyway keys");
        const body = validateCreate(await readJsonBody(request, deps.config.server.max_body_bytes));
        const accountId = targetAccount(principal, body.account_id);
        if (!(await deps.store.accounts.get(accountId))) throw new GatewayError("not_found", `No account '${accountId}'.`, { param: "account_id" });
        if (body.ip_allowlist) parseAllowlist(body.ip_allowlist);
        const { key, record } = await createApiKey(deps.store.apiKeys, {
          name: body.name,
          accountId,
          teamId: body.team_id ?? principal.teamId,
          role: body.role,
          ipAllowlist: body.ip_allowlist ?? null,
          expiresAt: parseExpiry(body.expires_at),
        });
        return json({ ...viewApiKey(record), key }, 201);
      }),
    )
    .get(
      "/v1/api-keys",
      guarded(deps, async ({ principal }) => {
        requireAdmin(principal, "manage keyway keys");
        const records = await deps.store.apiKeys.list(principal.operator ? undefined : principal.accountId);
        return json({ object: "list", data: records.map(viewApiKey) });
      }),
    )
    .delete(
      "/v1/api-keys/:id",
      guarded(deps, async ({ principal, params }) => {
        requireAdmin(principal, "manage keyway keys");
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
