// analytics(params), byokAnalytics(params), costComparison(params): GET /v1/analytics/usage, /byok and
// /cost-comparison, the usage figures of a period within the key's reach. The report is keyway's JSON as it is
// (docs/analytics.md names every field); USD amounts are summed from integer micro-USD.
import { type ResponseMeta, metaFrom } from "./meta.ts";
import { type RequestOptions, callSettings } from "./options.ts";
import type { Transport } from "./transport.ts";

export type AnalyticsPeriod = "current_month" | "today" | "last_7_days" | "last_30_days" | "last_quarter" | "custom";
export type AnalyticsGroup = "provider" | "model" | "team" | "project" | "key_source";

export interface AnalyticsParams extends RequestOptions {
  period?: AnalyticsPeriod;
  /** With `custom` (or alone): `YYYY-MM-DD` or an ISO 8601 date-time; a Date is sent as ISO 8601. */
  from?: string | Date;
  to?: string | Date;
  /** Default `provider,model`; `key_source` on usage only. */
  groupBy?: AnalyticsGroup[] | string;
  /** Only this provider's calls. */
  provider?: string;
  /** Only this team's calls (a filter, not X-Team-ID). */
  teamId?: string;
  /** Only calls with this X-Project-Tag. */
  project?: string;
  /** Usage only: `request`, `stored` or `platform`. */
  keySource?: "request" | "stored" | "platform";
  /** The admin key: one account. */
  accountId?: string;
  /** Usage and BYOK reports: the same figures per local hour or day of the period, in `buckets`. */
  bucket?: "hour" | "day";
}

export interface AnalyticsEntry {
  name: string | null;
  requests: number;
  estimated_cost: number;
  cost?: number;
  input_tokens: number;
  output_tokens: number;
  avg_latency_ms: number | null;
  p95_latency_ms: number | null;
  error_rate: number;
  models_used?: string[];
  [field: string]: unknown;
}

/** A period's figures (or one hour's or day's of it). */
export interface UsageFigures {
  total_requests: number;
  /** The providers' list price of the calls, whoever paid. */
  estimated_costs: number;
  /** What keyway charged (usage report only). */
  costs?: number;
  total_tokens: { input: number; output: number };
  avg_latency_ms: number | null;
  p95_latency_ms: number | null;
  error_rate: number;
  by_provider?: AnalyticsEntry[];
  by_model?: AnalyticsEntry[];
  by_team?: AnalyticsEntry[];
  by_project?: AnalyticsEntry[];
  by_key_source?: AnalyticsEntry[];
  [field: string]: unknown;
}

/** One hour or day of a bucketed report, its bounds in the report's time zone. */
export interface UsageBucket extends UsageFigures {
  from: string;
  to: string;
}

export interface UsageReport extends UsageFigures {
  period: { from: string; to: string; time_zone: string };
  group_by: string[];
  /** With `bucket`: the unit, and each hour or day of the period with its own figures. */
  bucket?: "hour" | "day";
  buckets?: UsageBucket[];
}

export interface CostComparisonReport {
  period: { from: string; to: string; time_zone: string };
  byok_requests: number;
  byok: { provider_costs: number; platform_fees: number; total: number };
  platform: { total: number };
  savings: number;
  savings_percentage: number | null;
  rates: { byok_fee_percent: number; markup_percent: number };
  [field: string]: unknown;
}

export interface AnalyticsResult<Report> extends ResponseMeta {
  report: Report;
}

function queryOf(params: AnalyticsParams): Record<string, string | undefined> {
  const bound = (value: string | Date | undefined) => (value instanceof Date ? value.toISOString() : value);
  return {
    period: params.period,
    from: bound(params.from),
    to: bound(params.to),
    group_by: Array.isArray(params.groupBy) ? params.groupBy.join(",") : params.groupBy,
    provider: params.provider,
    team_id: params.teamId,
    project: params.project,
    key_source: params.keySource,
    account_id: params.accountId,
    bucket: params.bucket,
  };
}

async function report<Report>(transport: Transport, path: string, params: AnalyticsParams): Promise<AnalyticsResult<Report>> {
  const { body, response } = await transport.json<Report>({
    method: "GET",
    path,
    query: queryOf(params),
    headers: { ...params.headers, "x-request-id": params.requestId },
    ...callSettings(params),
  });
  return { ...metaFrom(response), report: body };
}

export const usageAnalytics = (transport: Transport, params: AnalyticsParams = {}) => report<UsageReport>(transport, "/v1/analytics/usage", params);
export const byokAnalytics = (transport: Transport, params: AnalyticsParams = {}) => report<UsageReport>(transport, "/v1/analytics/byok", params);
export const costComparison = (transport: Transport, params: Omit<AnalyticsParams, "groupBy" | "keySource" | "bucket"> = {}) =>
  report<CostComparisonReport>(transport, "/v1/analytics/cost-comparison", params);
