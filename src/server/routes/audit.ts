// GET /v1/audit: who added, rotated, removed or used which stored key, when; filtered by query parameters and
// by the caller's reach (a team admin sees only what its team's keys did or underwent).
import { Elysia } from "elysia";
import { invalidRequest } from "../../core/errors.ts";
import type { AppDeps } from "../context.ts";
import { authorize, targetAccount } from "../../accounts/permissions.ts";
import { guarded, json } from "../guard.ts";
import { limitParam } from "../query-limit.ts";

function timeParam(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw invalidRequest(`'${name}' must be an ISO 8601 date-time.`, name);
  return at;
}

/** The ids a team's audit trail is made of: its keyway keys (actors) and its stored provider keys. */
async function teamFootprint(deps: AppDeps, accountId: string, teamId: string) {
  const actors = (await deps.store.apiKeys.list({ accountId, teamId })).map((k) => k.id);
  const keyIds = (await deps.store.providerKeys.list(accountId)).filter((k) => k.teamId === teamId).map((k) => k.id);
  return { actors, keyIds };
}

export function auditRoutes(deps: AppDeps) {
  return new Elysia({ name: "audit" }).get(
    "/v1/audit",
    guarded(deps, async ({ principal, query }) => {
      const scope = authorize(principal, "audit.read");
      const limit = limitParam(query);
      const named = query.get("account_id") ?? undefined;
      const accountId = principal.operator && named === undefined ? undefined : targetAccount(principal, named);
      await deps.vault.audit.flush();
      const rows = await deps.store.audit.query({
        accountId,
        team: scope.teamId === undefined ? undefined : await teamFootprint(deps, scope.accountId ?? principal.accountId, scope.teamId),
        action: query.get("action") ?? undefined,
        keyId: query.get("key_id") ?? undefined,
        provider: query.get("provider") ?? undefined,
        actor: query.get("actor") ?? undefined,
        since: timeParam(query, "since"),
        until: timeParam(query, "until"),
        limit,
      });
      const data = rows.map((row) => ({
        id: row.id,
        account_id: row.accountId,
        actor: row.actor,
        action: row.action,
        key_id: row.keyId,
        provider: row.provider,
        outcome: row.outcome,
        detail: row.detail,
        created_at: new Date(row.createdAt).toISOString(),
      }));
      return json({ object: "list", data });
    }),
  );
}
