// GET /v1/audit: who added, rotated, removed or used which stored key, when; filtered by query parameters.
import { Elysia } from "elysia";
import { invalidRequest } from "../../errors.ts";
import type { AppDeps } from "../context.ts";
import { guarded, json, requireAdmin, targetAccount } from "../guard.ts";

function timeParam(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw invalidRequest(`'${name}' must be an ISO 8601 date-time.`, name);
  return at;
}

export function auditRoutes(deps: AppDeps) {
  return new Elysia({ name: "audit" }).get(
    "/v1/audit",
    guarded(deps, async ({ principal, query }) => {
      requireAdmin(principal, "read the audit log");
      const limit = Number(query.get("limit") ?? 100);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw invalidRequest("'limit' takes a whole number from 1 to 1000.", "limit");
      const named = query.get("account_id") ?? undefined;
      const accountId = principal.operator && named === undefined ? undefined : targetAccount(principal, named);
      await deps.vault.audit.flush();
      const rows = await deps.store.audit.query({
        accountId,
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
