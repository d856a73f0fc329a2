// POST/GET/DELETE /v1/api-keys: keyway keys for clients, within what `authorize` lets the caller reach.
import { Elysia } from "elysia";
import { createApiKey, viewApiKey } from "../../accounts/api-keys.ts";
import { parseAllowlist } from "../../accounts/ip-allowlist.ts";
import { authorize, targetAccount } from "../../accounts/permissions.ts";
import { GatewayError, invalidRequest } from "../../core/errors.ts";
import { bodyValidator, readJsonBody } from "../body.ts";
import type { AppDeps } from "../context.ts";
import { guarded, json } from "../guard.ts";
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
  /** The team a new key joins: it must exist in the key's account (another account's team answers 404 like a missing one). */
  const keyTeam = async (teamId: string | null, accountId: string): Promise<string | null> => {
    if (teamId === null) return null;
    const team = await deps.store.teams.get(teamId);
    if (!team || team.accountId !== accountId) throw new GatewayError("not_found", `No team '${teamId}'.`, { param: "team_id" });
    return team.id;
  };
  return new Elysia({ name: "api-keys" })
    .post(
      "/v1/api-keys",
      guarded(deps, async ({ principal, request }) => {
        authorize(principal, "api_keys.create");
        const body = validateCreate(await readJsonBody(request, deps.config.server.max_body_bytes));
        const accountId = targetAccount(principal, body.account_id);
        if (!(await deps.store.accounts.get(accountId))) throw new GatewayError("not_found", `No account '${accountId}'.`, { param: "account_id" });
        const teamId = await keyTeam(body.team_id ?? principal.teamId, accountId);
        authorize(principal, "api_keys.create", { kind: "team", id: teamId ?? "", accountId, teamId });
        if (body.ip_allowlist) parseAllowlist(body.ip_allowlist);
        const { key, record } = await createApiKey(deps.store.apiKeys, {
          name: body.name,
          accountId,
          teamId,
          role: body.role,
          ipAllowlist: body.ip_allowlist ?? null,
          expiresAt: parseExpiry(body.expires_at),
        });
        deps.signals.publish({ kind: "api_keys", digests: [record.digest] });
        return json({ ...viewApiKey(record), key }, 201);
      }),
    )
    .get(
      "/v1/api-keys",
      guarded(deps, async ({ principal }) => {
        const records = await deps.store.apiKeys.list(authorize(principal, "api_keys.list"));
        return json({ object: "list", data: records.map(viewApiKey) });
      }),
    )
    .delete(
      "/v1/api-keys/:id",
      guarded(deps, async ({ principal, params }) => {
        authorize(principal, "api_keys.revoke");
        const id = params.id ?? "";
        const record = await deps.store.apiKeys.get(id);
        if (!record || record.revokedAt !== null) throw new GatewayError("not_found", `No active keyway key '${id}'.`);
        authorize(principal, "api_keys.revoke", { kind: "active keyway key", id, accountId: record.accountId, teamId: record.teamId });
        const digest = await deps.store.apiKeys.revoke(id);
        if (digest !== undefined) deps.signals.publish({ kind: "api_keys", digests: [digest] });
        return json({ id, object: "api_key", deleted: true });
      }),
    );
}
