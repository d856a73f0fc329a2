// GET /v1/analytics/byok, /v1/analytics/usage and /v1/analytics/cost-comparison: usage figures of a period, within
// the caller's reach (the operator every account or ?account_id=, an account key its account, a team admin or
// viewer its team, a developer its own key's calls); the figures themselves come from src/analytics/.
import { Elysia } from "elysia";
import { authorize, targetAccount } from "../../accounts/permissions.ts";
import { GatewayError } from "../../core/errors.ts";
import type { Principal } from "../../core/principal.ts";
import { type AnalyticsScope, type AnalyticsSettings, costComparisonAnswerFor, usageAnswer } from "../../analytics/analytics-answers.ts";
import { markupBasisPoints } from "../../config/money-precision.ts";
import type { AppDeps } from "../context.ts";
import { guarded, json } from "../guard.ts";

const noTeam = (id: string) => new GatewayError("not_found", `No team '${id}'.`, { param: "team_id" });

/** The caller's scope, narrowed by ?account_id= and ?team_id= (each 404 when outside the caller's reach). */
async function scopeOf(deps: AppDeps, principal: Principal, query: URLSearchParams): Promise<AnalyticsScope> {
  const reach = authorize(principal, "analytics.read");
  const named = query.get("account_id") || undefined;
  let accountId: string | undefined;
  if (principal.operator) {
    if (named !== undefined && !(await deps.store.accounts.get(named))) throw new GatewayError("not_found", `No account '${named}'.`, { param: "account_id" });
    accountId = named;
  } else {
    accountId = targetAccount(principal, named);
  }
  const teamId = query.get("team_id") || undefined;
  if (reach.teamId !== undefined) {
    if (teamId !== undefined && teamId !== reach.teamId) throw noTeam(teamId);
    return { accountId, teamId: reach.teamId, apiKeyId: reach.apiKeyId };
  }
  if (teamId !== undefined) {
    const team = await deps.store.teams.get(teamId);
    if (!team || (accountId !== undefined && team.accountId !== accountId)) throw noTeam(teamId);
    if (reach.apiKeyId !== undefined && principal.teamId !== null && teamId !== principal.teamId) throw noTeam(teamId);
  }
  return { accountId, teamId, apiKeyId: reach.apiKeyId };
}

function settingsOf(deps: AppDeps): AnalyticsSettings {
  return {
    store: deps.store,
    timeZone: deps.config.budgets.time_zone,
    retentionDays: deps.config.usage.retention_days,
    byokFeeBps: markupBasisPoints(deps.config.platform.byok_fee_percent),
    markupBps: markupBasisPoints(deps.config.platform.markup_percent),
  };
}

export function analyticsRoutes(deps: AppDeps) {
  return new Elysia({ name: "analytics" })
    .get(
      "/v1/analytics/byok",
      guarded(deps, async ({ principal, query }) => json(await usageAnswer(settingsOf(deps), await scopeOf(deps, principal, query), query, false))),
    )
    .get(
      "/v1/analytics/usage",
      guarded(deps, async ({ principal, query }) => json(await usageAnswer(settingsOf(deps), await scopeOf(deps, principal, query), query, true))),
    )
    .get(
      "/v1/analytics/cost-comparison",
      guarded(deps, async ({ principal, query }) => json(await costComparisonAnswerFor(settingsOf(deps), await scopeOf(deps, principal, query), query))),
    );
}
