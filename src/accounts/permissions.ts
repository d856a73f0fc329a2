// Who may do what on the control plane: one table (role x action, with its reach) and one `authorize` every management route calls.
import { GatewayError } from "../core/errors.ts";
import type { Principal } from "../core/principal.ts";

/** The caller's standing: the operator, a key of the account itself, or a team member's key, each by role. */
export type PermissionRole =
  | "operator"
  | "account_admin"
  | "account_developer"
  | "account_viewer"
  | "team_admin"
  | "team_developer"
  | "team_viewer";

/**
 * How far an allowed action reaches:
 * - `all`: every account (the operator);
 * - `account`: anything in the caller's own account;
 * - `team`: only what belongs to the caller's own team;
 * - `key`: only what the caller's own keyway key did (its usage);
 * - `null`: refused (403 `permission_denied`).
 * Resources outside the reach answer 404 `not_found`, so their existence does not leak.
 */
export type Reach = "all" | "account" | "team" | "key" | null;

export type Action =
  | "api_keys.create"
  | "api_keys.list"
  | "api_keys.revoke"
  | "teams.create"
  | "teams.read"
  | "teams.update"
  | "teams.delete"
  | "request_logs.read"
  | "approvals.approve"
  | "audit.read"
  | "provider_keys.store"
  | "provider_keys.list"
  | "provider_keys.remove"
  | "provider_keys.rotate"
  | "provider_keys.schedule"
  | "provider_health.read"
  | "provider_health.configure"
  | "accounts.create"
  | "accounts.read"
  | "credits.add"
  | "analytics.read"
  | "alerts.manage"
  | "alerts.read";

type Row = Record<PermissionRole, Reach>;

const row = (operator: Reach, account: [Reach, Reach, Reach], team: [Reach, Reach, Reach]): Row => ({
  operator,
  account_admin: account[0],
  account_developer: account[1],
  account_viewer: account[2],
  team_admin: team[0],
  team_developer: team[1],
  team_viewer: team[2],
});

const _ = null;

/** The permission table. Columns: operator | account admin, developer, viewer | team admin, developer, viewer. */
export const PERMISSIONS: Readonly<Record<Action, Row>> = {
  "api_keys.create": /*        */ row("all", ["account", _, _], ["team", _, _]),
  "api_keys.list": /*          */ row("all", ["account", _, _], ["team", _, _]),
  "api_keys.revoke": /*        */ row("all", ["account", _, _], ["team", _, _]),
  "teams.create": /*           */ row("all", ["account", _, _], [_, _, _]),
  "teams.read": /*             */ row("all", ["account", _, _], ["team", "team", "team"]),
  "teams.update": /*           */ row("all", ["account", _, _], ["team", _, _]),
  "teams.delete": /*           */ row("all", ["account", _, _], [_, _, _]),
  "request_logs.read": /*      */ row("all", ["account", _, _], ["team", _, _]),
  "approvals.approve": /*      */ row("all", ["account", _, _], ["team", _, _]),
  "audit.read": /*             */ row("all", ["account", _, _], ["team", _, _]),
  "provider_keys.store": /*    */ row("all", ["account", _, _], ["team", _, _]),
  "provider_keys.list": /*     */ row("all", ["account", "account", "account"], ["team", "team", "team"]),
  "provider_keys.remove": /*   */ row("all", ["account", _, _], ["team", _, _]),
  "provider_keys.rotate": /*   */ row("all", ["account", _, _], ["team", _, _]),
  "provider_keys.schedule": /* */ row("all", ["account", _, _], [_, _, _]),
  "provider_health.read": /*   */ row("all", ["account", "account", "account"], ["account", "account", "account"]),
  "provider_health.configure": row("all", [_, _, _], [_, _, _]),
  "accounts.create": /*        */ row("all", [_, _, _], [_, _, _]),
  "accounts.read": /*          */ row("all", ["account", _, _], [_, _, _]),
  "credits.add": /*            */ row("all", [_, _, _], [_, _, _]),
  "analytics.read": /*         */ row("all", ["account", "key", "account"], ["team", "key", "team"]),
  "alerts.manage": /*          */ row("all", ["account", _, _], ["team", _, _]),
  "alerts.read": /*            */ row("all", ["account", _, "account"], ["team", _, "team"]),
};

const WHAT: Record<Action, string> = {
  "api_keys.create": "create keyway keys",
  "api_keys.list": "list keyway keys",
  "api_keys.revoke": "revoke keyway keys",
  "teams.create": "create teams",
  "teams.read": "read teams",
  "teams.update": "change teams",
  "teams.delete": "delete teams",
  "request_logs.read": "read request logs",
  "approvals.approve": "approve requests",
  "audit.read": "read the audit log",
  "provider_keys.store": "store provider keys",
  "provider_keys.list": "list provider keys",
  "provider_keys.remove": "remove provider keys",
  "provider_keys.rotate": "rotate provider keys",
  "provider_keys.schedule": "schedule key rotation",
  "provider_health.read": "read provider health",
  "provider_health.configure": "change health checks",
  "accounts.create": "create accounts",
  "accounts.read": "read accounts",
  "credits.add": "add credits",
  "analytics.read": "read usage analytics",
  "alerts.manage": "manage alerts",
  "alerts.read": "read alerts",
};

export function roleOf(principal: Principal): PermissionRole {
  if (principal.operator) return "operator";
  return `${principal.teamId === null ? "account" : "team"}_${principal.role}`;
}

/** What an action is asked about: a thing of some account (and maybe of a team), named for the 404. */
export interface Resource {
  kind: string;
  id: string;
  accountId: string;
  teamId?: string | null;
  /** The keyway key the resource belongs to (a usage row's key), for reach `key`. */
  apiKeyId?: string;
}

/** What a caller may see of a collection: every account, one account, one team of it, or one keyway key's doing. */
export interface Scope {
  accountId?: string;
  teamId?: string;
  /** Only what this keyway key did (reach `key`). */
  apiKeyId?: string;
}

function reachOf(principal: Principal, action: Action): Exclude<Reach, null> {
  const reach = PERMISSIONS[action][roleOf(principal)];
  if (reach === null) {
    const who = principal.teamId === null ? `${principal.role} keys` : `team ${principal.role} keys`;
    throw new GatewayError("permission_denied", `${who[0]?.toUpperCase()}${who.slice(1)} may not ${WHAT[action]}.`);
  }
  return reach;
}

/** True when the resource lies within the reach (without throwing). */
export function within(principal: Principal, reach: Exclude<Reach, null>, resource: Omit<Resource, "kind" | "id">): boolean {
  if (reach === "all") return true;
  if (resource.accountId !== principal.accountId) return false;
  if (reach === "key") return resource.apiKeyId === principal.keyId;
  return reach === "account" || (resource.teamId ?? null) === principal.teamId;
}

/**
 * The one permission check: throws 403 `permission_denied` when the caller's role may not do the action,
 * 404 `not_found` when the resource lies outside the caller's reach; returns the scope the caller may see.
 */
export function authorize(principal: Principal, action: Action, resource?: Resource): Scope {
  const reach = reachOf(principal, action);
  if (resource && !within(principal, reach, resource)) {
    throw new GatewayError("not_found", `No ${resource.kind} '${resource.id}'.`);
  }
  if (reach === "all") return {};
  if (reach === "key") return { accountId: principal.accountId, apiKeyId: principal.keyId };
  if (reach === "account" || principal.teamId === null) return { accountId: principal.accountId };
  return { accountId: principal.accountId, teamId: principal.teamId };
}

/**
 * The account a request acts on: the caller's own, or one it names. Naming an account outside the
 * caller's reach answers 404, the same as naming one that does not exist.
 */
export function targetAccount(principal: Principal, named: unknown): string {
  if (named === undefined || named === null || named === "") return principal.accountId;
  if (typeof named !== "string") throw new GatewayError("invalid_request", "'account_id' must be a string.", { param: "account_id" });
  if (!principal.operator && named !== principal.accountId) {
    throw new GatewayError("not_found", `No account '${named}'.`, { param: "account_id" });
  }
  return named;
}
