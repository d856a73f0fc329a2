// POST /v1/billing/export: a billing export (CSV or JSON) streamed as a file attachment, within what the caller may
// read of the usage ledger (`analytics.read`: the operator every account or the one it names, an account key its
// account, a team admin or viewer its team, a developer its own key's calls).
import { Elysia } from "elysia";
import { authorize, targetAccount } from "../../accounts/permissions.ts";
import { exportFile, rawRowsSince } from "../../analytics/export-stream.ts";
import { parseExportRequest } from "../../analytics/export-request.ts";
import { GatewayError } from "../../core/errors.ts";
import { readJsonBody } from "../body.ts";
import type { AppDeps } from "../context.ts";
import { guarded } from "../guard.ts";

export function billingExportRoutes(deps: AppDeps) {
  return new Elysia({ name: "billing-export" }).post(
    "/v1/billing/export",
    guarded(deps, async ({ principal, request, query }) => {
      const scope = authorize(principal, "analytics.read");
      const body = await readJsonBody(request, deps.config.server.max_body_bytes);
      const exportRequest = parseExportRequest(body, deps.config.budgets.time_zone);
      const named = exportRequest.accountId ?? query.get("account_id") ?? undefined;
      if (principal.operator && named !== undefined) {
        if ((await deps.store.accounts.get(named)) === undefined) throw new GatewayError("not_found", `No account '${named}'.`, { param: "account_id" });
        scope.accountId = named;
      } else if (!principal.operator) {
        scope.accountId = targetAccount(principal, named);
      }
      const file = exportFile(deps.store, exportRequest, scope, { rawRowsSince: rawRowsSince(deps.config.usage.retention_days) });
      return new Response(file.body, {
        headers: {
          "content-type": file.contentType,
          "content-disposition": `attachment; filename="${file.filename}"`,
          "cache-control": "no-store",
        },
      });
    }),
  );
}
