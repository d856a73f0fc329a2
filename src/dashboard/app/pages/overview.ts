// Overview: requests and spend of a period, BYOK against platform keys, savings from the cost comparison, and per
// provider latency and error rate over time (one /v1/analytics/usage call with bucket=hour or bucket=day).
import { useMemo, useState } from "preact/hooks";
import { api } from "../api.ts";
import { html } from "../html.ts";
import { LineChart } from "../components/chart.ts";
import { SelectField } from "../components/field.ts";
import { ErrorNotice, Loading } from "../components/notice.ts";
import { Table } from "../components/table.ts";
import { count, money, ms, percent } from "../format.ts";
import { useLoad } from "../use-load.ts";
import type { Page } from "./page.ts";

interface Figures {
  name: string | null;
  requests: number;
  estimated_cost: number;
  cost?: number;
  avg_latency_ms: number | null;
  p95_latency_ms: number | null;
  error_rate: number;
}

interface Usage {
  total_requests: number;
  estimated_costs: number;
  costs?: number;
  error_rate: number;
  by_key_source?: Figures[];
  by_team?: (Figures & { team_id: string | null })[];
  by_provider?: Figures[];
}

interface Comparison {
  byok: { total: number };
  platform: { total: number };
  savings: number;
  savings_percentage: number;
}

const PERIODS = [
  { value: "today", label: "Today" },
  { value: "last_7_days", label: "Last 7 days" },
  { value: "current_month", label: "This month" },
  { value: "last_30_days", label: "Last 30 days" },
];

const RANGES = [
  { value: "24h", label: "Last 24 hours, by hour" },
  { value: "7d", label: "Last 7 days, by day" },
];

interface Series {
  times: number[];
  latency: { label: string; values: (number | null)[] }[];
  errors: { label: string; values: (number | null)[] }[];
  requests: { label: string; values: (number | null)[] }[];
}

interface Bucketed extends Usage {
  buckets: (Usage & { from: string; to: string })[];
}

/** The range as one /v1/analytics/usage query: the last 24 whole hours by hour, or the last 7 days by day. */
function rangeQuery(range: string): Record<string, string> {
  if (range !== "24h") return { period: "last_7_days", bucket: "day", group_by: "provider" };
  const end = new Date();
  end.setMinutes(60, 0, 0);
  return { from: new Date(end.getTime() - 24 * 3_600_000).toISOString(), to: end.toISOString(), bucket: "hour", group_by: "provider" };
}

async function loadSeries(range: string): Promise<Series> {
  const answers = (await api<Bucketed>("/v1/analytics/usage", { query: rangeQuery(range) })).buckets;
  const providers = [...new Set(answers.flatMap((a) => (a.by_provider ?? []).map((p) => p.name ?? "")))].sort();
  // A bucket without calls is a gap in latency and error rate, and a zero in requests.
  const line = (pick: (f: Figures) => number | null, none: number | null = null) =>
    providers.map((name) => ({ label: name, values: answers.map((a) => { const f = a.by_provider?.find((p) => p.name === name); return f && f.requests > 0 ? pick(f) : none; }) }));
  return {
    times: answers.map((b) => Math.floor(Date.parse(b.from) / 1000)),
    latency: line((f) => f.avg_latency_ms),
    errors: line((f) => Math.round(f.error_rate * 1000) / 10),
    requests: line((f) => f.requests, 0),
  };
}

function Overview() {
  const [period, setPeriod] = useState("today");
  const [range, setRange] = useState("24h");
  const usage = useLoad(() => api<Usage>("/v1/analytics/usage", { query: { period, group_by: "key_source,team" } }), [period]);
  const comparison = useLoad(() => api<Comparison>("/v1/analytics/cost-comparison", { query: { period } }), [period]);
  const series = useLoad(() => loadSeries(range), [range]);
  const split = useMemo(() => {
    const sources = usage.data?.by_key_source ?? [];
    const of = (names: string[]) => sources.filter((s) => names.includes(s.name ?? "")).reduce((sum, s) => ({ requests: sum.requests + s.requests, cost: sum.cost + s.estimated_cost }), { requests: 0, cost: 0 });
    return { byok: of(["request", "stored"]), platform: of(["platform"]) };
  }, [usage.data]);
  return html`
    <h1 tabindex="-1">Overview</h1>
    <form class="filters" onSubmit=${(e: Event) => e.preventDefault()}>
      <${SelectField} id="overview-period" label="Period" value=${period} onChange=${setPeriod} options=${PERIODS} />
    </form>
    <${ErrorNotice} error=${usage.error ?? comparison.error} />
    ${usage.loading && !usage.data ? html`<${Loading} what="usage" />` : null}
    <section class="cards" aria-label="Totals">
      <div class="card"><h2>Requests</h2><p class="figure" id="total-requests">${count(usage.data?.total_requests)}</p></div>
      <div class="card"><h2>Spend (list price)</h2><p class="figure" id="total-spend">${money(usage.data?.estimated_costs)}</p></div>
      <div class="card"><h2>BYOK</h2><p class="figure" id="byok-requests">${count(split.byok.requests)}</p><p>requests, ${money(split.byok.cost)}</p></div>
      <div class="card"><h2>Platform keys</h2><p class="figure" id="platform-requests">${count(split.platform.requests)}</p><p>requests, ${money(split.platform.cost)}</p></div>
      <div class="card"><h2>Savings</h2><p class="figure" id="savings">${money(comparison.data?.savings)}</p><p>${percent(comparison.data?.savings_percentage, 2)} against platform keys</p></div>
    </section>
    <${Table}
      caption="By key source"
      rowKey=${(r: Figures) => r.name ?? ""}
      rows=${usage.data?.by_key_source ?? []}
      empty="No calls in this period."
      columns=${[
        { label: "Key source", cell: (r: Figures) => r.name ?? "–" },
        { label: "Requests", cell: (r: Figures) => count(r.requests), numeric: true },
        { label: "List price", cell: (r: Figures) => money(r.estimated_cost), numeric: true },
        { label: "Charged", cell: (r: Figures) => money(r.cost), numeric: true },
        { label: "Avg latency", cell: (r: Figures) => ms(r.avg_latency_ms), numeric: true },
        { label: "Error rate", cell: (r: Figures) => percent(r.error_rate * 100), numeric: true },
      ]}
    />
    <${Table}
      caption="By team"
      rowKey=${(r: Figures & { team_id: string | null }) => r.team_id ?? ""}
      rows=${usage.data?.by_team ?? []}
      empty="No calls in this period."
      columns=${[
        { label: "Team", cell: (r: Figures & { team_id: string | null }) => (r.team_id === null ? "(no team)" : (r.name ?? r.team_id)) },
        { label: "Requests", cell: (r: Figures) => count(r.requests), numeric: true },
        { label: "List price", cell: (r: Figures) => money(r.estimated_cost), numeric: true },
        { label: "Error rate", cell: (r: Figures) => percent(r.error_rate * 100), numeric: true },
      ]}
    />
    <section aria-labelledby="over-time">
      <h2 id="over-time">Providers over time</h2>
      <form class="filters" onSubmit=${(e: Event) => e.preventDefault()}>
        <${SelectField} id="overview-range" label="Range" value=${range} onChange=${setRange} options=${RANGES} />
      </form>
      <${ErrorNotice} error=${series.error} />
      ${series.data
        ? html`
            <${LineChart} id="chart-requests" title="Requests by provider" times=${series.data.times} series=${series.data.requests} format=${(v: number | null) => count(v)} />
            <${LineChart} id="chart-latency" title="Average latency by provider" times=${series.data.times} series=${series.data.latency} format=${(v: number | null) => ms(v)} />
            <${LineChart} id="chart-errors" title="Error rate by provider" times=${series.data.times} series=${series.data.errors} format=${(v: number | null) => percent(v)} />
          `
        : html`<${Loading} what="charts" />`}
    </section>
  `;
}

export const overviewPage: Page = { path: "/", title: "Overview", needs: "analytics.read", component: Overview };
