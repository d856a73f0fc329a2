// Approvals of costly team requests over HTTP: GET /v1/approvals lists them (pending by default) within the caller's
// reach, with the team's name and who asked; POST /v1/approvals/:id approves one, written to the audit log.
import { Elysia } from "elysia";
import { GatewayError, invalidRequest } from "../../core/errors.ts";
import { authorize, targetAccount } from "../../accounts/permissions.ts";
import type { ApprovalRecord, ApprovalStatus } from "../../store/repositories/approvals.ts";
import { microsToUsd } from "../../usage/money.ts";
import type { AppDeps } from "../context.ts";
import { guarded, json } from "../guard.ts";
import { limitParam } from "../query-limit.ts";

const STATUSES: readonly ApprovalStatus[] = ["pending", "approved", "used"];

function statusParam(query: URLSearchParams): ApprovalStatus {
  const value = query.get("status");
  if (value === null) return "pending";
  if (!(STATUSES as readonly string[]).includes(value)) throw invalidRequest(`'status' is one of ${STATUSES.join(", ")} (default pending).`, "status");
  return value as ApprovalStatus;
}

function approvalView(approval: ApprovalRecord, names: { team?: string; requester?: string } = {}) {
  return {
    id: approval.id,
    object: "approval",
    status: approval.status,
    account_id: approval.accountId,
    team_id: approval.teamId,
    team_name: names.team ?? null,
    requested_by: approval.requestedBy,
    requested_by_name: names.requester ?? null,
    provider: approval.provider,
    model: approval.model,
    estimated_cost: microsToUsd(approval.estimatedCostMicros),
    approved_by: approval.approvedBy,
    created_at: new Date(approval.createdAt).toISOString(),
    decided_at: approval.decidedAt === null ? null : new Date(approval.decidedAt).toISOString(),
  };
}

export function approvalRoutes(deps: AppDeps) {
  const { store } = deps;
  /** Team names and requester key names (a member's e-mail) of the listed approvals, each looked up once. */
  const namesOf = async (rows: ApprovalRecord[]) => {
    const teams = new Map<string, string | undefined>();
    const keys = new Map<string, string | undefined>();
    for (const row of rows) {
      if (!teams.has(row.teamId)) teams.set(row.teamId, (await store.teams.get(row.teamId))?.name);
      if (!keys.has(row.requestedBy)) keys.set(row.requestedBy, (await store.apiKeys.get(row.requestedBy))?.name);
    }
    return (row: ApprovalRecord) => ({ team: teams.get(row.teamId), requester: keys.get(row.requestedBy) });
  };

  return new Elysia({ name: "approvals" })
    .get(
      "/v1/approvals",
      guarded(deps, async ({ principal, query }) => {
        const scope = authorize(principal, "approvals.approve");
        const status = statusParam(query);
        const limit = limitParam(query);
        const named = query.get("account_id") ?? undefined;
        const accountId = principal.operator && named === undefined ? undefined : targetAccount(principal, named);
        const teamId = query.get("team_id") ?? undefined;
        if (teamId === "") throw invalidRequest("'team_id' names a team.", "team_id");
        // A team admin sees its own team only; naming another team finds nothing, as if it did not exist.
        if (scope.teamId !== undefined && teamId !== undefined && teamId !== scope.teamId) return json({ object: "list", data: [] });
        const rows = await store.approvals.list({ accountId, teamId: scope.teamId ?? teamId, status, limit });
        const names = await namesOf(rows);
        return json({ object: "list", data: rows.map((row) => approvalView(row, names(row))) });
      }),
    )
    .post(
      "/v1/approvals/:id",
      guarded(deps, async ({ principal, params }) => {
        authorize(principal, "approvals.approve");
        const approval = await store.approvals.get(params.id ?? "");
        if (!approval) throw new GatewayError("not_found", `No approval '${params.id}'.`);
        authorize(principal, "approvals.approve", { kind: "approval", id: approval.id, accountId: approval.accountId, teamId: approval.teamId });
        if (!(await store.approvals.approve(approval.id, principal.keyId))) {
          throw invalidRequest(`Approval ${approval.id} is ${approval.status}, not pending.`);
        }
        await deps.vault.audit.record({
          accountId: approval.accountId,
          actor: principal.keyId,
          action: "approval.approve",
          provider: approval.provider,
          outcome: "success",
          detail: { approval_id: approval.id, team_id: approval.teamId, requested_by: approval.requestedBy, model: approval.model, estimated_cost: microsToUsd(approval.estimatedCostMicros) },
        });
        return json({ id: approval.id, object: "approval", status: "approved", provider: approval.provider, model: approval.model, estimated_cost: microsToUsd(approval.estimatedCostMicros) });
      }),
    );
}
