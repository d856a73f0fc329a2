// GET /api/v1/user/usage in IndoxRouter's shape: the caller's usage of a period (start_date / end_date, days,
// both included; default the last 30 days), totals and per provider and model, with the account's credits left.
// The figures are those of GET /v1/analytics/usage, within the same reach (a developer key sees its own calls).
import { authorize } from "../../accounts/permissions.ts";
import { type AnalyticsSettings, usageAnswer } from "../../analytics/analytics-answers.ts";
import { markupBasisPoints } from "../../config/money-precision.ts";
import { invalidRequest } from "../../core/errors.ts";
import type { Principal } from "../../core/principal.ts";
import { microsToUsd } from "../../usage/money.ts";
import type { AppDeps } from "../context.ts";

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

interface GroupFigures {
  name: string | null;
  provider?: string | null;
  requests: number;
  cost?: number;
  estimated_cost: number;
  input_tokens: number;
  output_tokens: number;
}

function dateParam(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  if (value === null || value === "") return undefined;
  if (!DATE.test(value)) throw invalidRequest(`'${name}' must be a date (YYYY-MM-DD), not '${value}'.`, name);
  return value;
}

/** The analytics query for IndoxRouter's dates: a custom period, or the last 30 days. */
function periodQuery(query: URLSearchParams, now: number): URLSearchParams {
  const start = dateParam(query, "start_date");
  const end = dateParam(query, "end_date");
  if (start === undefined && end === undefined) return new URLSearchParams({ period: "last_30_days" });
  const to = end ?? new Date(now).toISOString().slice(0, 10);
  const from = start ?? new Date(Date.parse(to) - 29 * DAY_MS).toISOString().slice(0, 10);
  if (from > to) throw invalidRequest("'start_date' cannot be after 'end_date'.", "start_date");
  return new URLSearchParams({ period: "custom", from, to });
}

const figures = (group: GroupFigures) => ({
  requests: group.requests,
  cost: group.cost ?? 0,
  estimated_cost: group.estimated_cost,
  tokens: { input: group.input_tokens, output: group.output_tokens, total: group.input_tokens + group.output_tokens },
});

export async function userUsage(deps: AppDeps, principal: Principal, query: URLSearchParams): Promise<Record<string, unknown>> {
  const reach = authorize(principal, "analytics.read");
  const settings: AnalyticsSettings = {
    store: deps.store,
    timeZone: deps.config.budgets.time_zone,
    retentionDays: deps.config.usage.retention_days,
    byokFeeBps: markupBasisPoints(deps.config.platform.byok_fee_percent),
    markupBps: markupBasisPoints(deps.config.platform.markup_percent),
  };
  const asked = periodQuery(query, Date.now());
  asked.set("group_by", "provider,model");
  const report = await usageAnswer(settings, reach, asked, true);
  const tokens = report.total_tokens as { input: number; output: number };
  const providers = Object.fromEntries((report.by_provider as GroupFigures[]).map((g) => [g.name ?? "", figures(g)]));
  const models = Object.fromEntries((report.by_model as GroupFigures[]).map((g) => [g.provider ? `${g.provider}/${g.name ?? ""}` : (g.name ?? ""), figures(g)]));
  const account = principal.operator ? undefined : await deps.store.accounts.get(principal.accountId);
  return {
    period: report.period,
    total_requests: report.total_requests,
    total_cost: report.costs ?? 0,
    estimated_cost: report.estimated_costs,
    remaining_credits: account ? microsToUsd(account.creditsMicros) : null,
    total_tokens: { input: tokens.input, output: tokens.output, total: tokens.input + tokens.output },
    providers,
    models,
  };
}
