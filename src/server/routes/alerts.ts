// Alerts over HTTP: POST /v1/alerts (several at once, all or nothing), GET /v1/alerts, DELETE /v1/alerts/:id and
// GET /v1/alerts/events (what fired, when, and whether it was delivered), each within the caller's reach.
import { Elysia } from "elysia";
import { GatewayError, invalidRequest } from "../../core/errors.ts";
import { authorize, targetAccount } from "../../accounts/permissions.ts";
import { parseAlertsBody } from "../../alerts/definitions.ts";
import { alertView, deliveryState, eventView } from "../../alerts/view.ts";
import type { AlertEventKind, AlertScope } from "../../store/repositories/alerts.ts";
import { readJsonBody } from "../body.ts";
import type { AppDeps } from "../context.ts";
import type { Principal } from "../../core/principal.ts";
import { guarded, json } from "../guard.ts";
import { limitParam } from "../query-limit.ts";

/** What a reader sees: the scope its role allows, narrowed to `?account_id=` for the operator. */
function readScope(principal: Principal, action: "alerts.read", query: URLSearchParams): AlertScope {
  const scope = authorize(principal, action);
  const named = query.get("account_id") ?? undefined;
  if (principal.operator && named === undefined) return {};
  return { accountId: targetAccount(principal, named), teamId: scope.teamId };
}

function beforeParam(query: URLSearchParams): number | undefined {
  const value = query.get("before");
  if (value === null) return undefined;
  if (!/^[0-9]{1,15}$/.test(value)) throw invalidRequest("'before' takes an event id (a whole number).", "before");
  return Number(value);
}

function kindParam(query: URLSearchParams): AlertEventKind | undefined {
  const value = query.get("kind");
  if (value === null) return undefined;
  if (value !== "fired" && value !== "delivery") throw invalidRequest("'kind' is fired or delivery.", "kind");
  return value;
}

export function alertRoutes(deps: AppDeps) {
  const { alerts } = deps;
  const allowHttp = deps.config.security.webhook_allow_private_networks;
  return new Elysia({ name: "alerts" })
    .post(
      "/v1/alerts",
      guarded(deps, async ({ principal, request, query }) => {
        const scope = authorize(principal, "alerts.manage");
        const body = await readJsonBody(request, deps.config.server.max_body_bytes);
        const { drafts, accountId: named } = parseAlertsBody(body, allowHttp);
        const accountId = targetAccount(principal, named ?? query.get("account_id") ?? undefined);
        const created = await alerts.create(accountId, { keyId: principal.keyId, teamId: scope.teamId ?? null }, drafts);
        return json({ object: "list", data: created.map(alertView) }, 201);
      }),
    )
    .get(
      "/v1/alerts",
      guarded(deps, async ({ principal, query }) => {
        const list = await alerts.list(readScope(principal, "alerts.read", query));
        return json({ object: "list", data: list.map(alertView) });
      }),
    )
    .get(
      "/v1/alerts/events",
      guarded(deps, async ({ principal, query }) => {
        const scope = readScope(principal, "alerts.read", query);
        const events = await alerts.events({
          ...scope,
          alertId: query.get("alert_id") ?? undefined,
          kind: kindParam(query),
          beforeId: beforeParam(query),
          limit: limitParam(query),
        });
        const data = [];
        for (const event of events) {
          if (event.kind !== "fired") {
            data.push(eventView(event));
            continue;
          }
          const targets = typeof event.detail?.targets === "number" ? event.detail.targets : 0;
          data.push(eventView(event, deliveryState(targets, targets === 0 ? [] : await alerts.deliveries(event.firingId))));
        }
        return json({ object: "list", data });
      }),
    )
    .delete(
      "/v1/alerts/:id",
      guarded(deps, async ({ principal, params }) => {
        authorize(principal, "alerts.manage");
        const alert = params.id ? await alerts.get(params.id) : undefined;
        if (!alert) throw new GatewayError("not_found", `No alert '${params.id}'.`);
        authorize(principal, "alerts.manage", { kind: "alert", id: alert.id, accountId: alert.accountId, teamId: alert.teamId });
        await alerts.remove(alert.id);
        return json({ id: alert.id, object: "alert", deleted: true });
      }),
    );
}
