// Analytics: usage of a period (named or custom dates) grouped by provider, model, team, project or key source, as a
// table and as a chart over time (one GET /v1/analytics/usage call with bucket=hour|day), and the billing export.
import { useMemo, useState } from "preact/hooks";
import { api } from "../api.ts";
import { html } from "../html.ts";
import { type ChartSeries, LineChart } from "../components/chart.ts";
import { SelectField, TextField } from "../components/field.ts";
import { ErrorNotice, Loading, StatusNotice } from "../components/notice.ts";
import { type Column, Table } from "../components/table.ts";
import { count, money, ms, percent } from "../format.ts";
import { useLoad } from "../use-load.ts";
import { ExportForm } from "./analytics-export.ts";
import { bucketFor, type Entry, entryKey, entryLabel, GROUPS, incomplete, PERIODS, type PeriodChoice, periodParams } from "./analytics-query.ts";
import type { Page } from "./page.ts";

interface Figures {
  total_requests: number;
  estimated_costs: number;
  costs?: number;
  total_tokens: { input: number; output: number };
  avg_latency_ms: number | null;
  error_rate: number;
  [list: `by_${string}`]: Entry[] | undefined;
}

interface Answer extends Figures {
  period: { from: string; to: string; time_zone: string };
  buckets: (Figures & { from: string; to: string })[];
}

const METRICS = [
  { value: "requests", label: "Requests" },
  { value: "estimated_cost", label: "Spend (list price)" },
];

/** Lines drawn at most: the dearest entries of the period. */
const MAX_LINES = 8;

function chartOf(answer: Answer, group: string, metric: string): { times: number[]; series: ChartSeries[] } {
  const top = (answer[`by_${group}`] ?? []).slice(0, MAX_LINES);
  const pick = (e: Entry) => (metric === "requests" ? e.requests : e.estimated_cost);
  return {
    times: answer.buckets.map((b) => Math.floor(Date.parse(b.from) / 1000)),
    series: top.map((entry) => ({
      label: entryLabel(group, entry),
      values: answer.buckets.map((b) => {
        const found = (b[`by_${group}`] ?? []).find((e) => entryKey(group, e) === entryKey(group, entry));
        return found ? pick(found) : 0;
      }),
    })),
  };
}

function Analytics() {
  const [choice, setChoice] = useState<PeriodChoice>({ period: "last_7_days", from: "", to: "" });
  const [group, setGroup] = useState("provider");
  const [metric, setMetric] = useState("requests");
  const missing = incomplete(choice);
  const usage = useLoad(
    () =>
      missing !== null
        ? Promise.resolve(undefined)
        : api<Answer>("/v1/analytics/usage", { query: { ...periodParams(choice), group_by: group, bucket: bucketFor(choice) } }),
    [choice.period, choice.from, choice.to, group],
  );
  const answer = usage.data;
  const chart = useMemo(() => (answer ? chartOf(answer, group, metric) : undefined), [answer, group, metric]);
  const groupLabel = GROUPS.find((g) => g.value === group)?.label ?? group;
  const format = metric === "requests" ? (v: number | null) => count(v) : (v: number | null) => money(v);
  const columns: Column<Entry>[] = [
    { label: groupLabel, cell: (e: Entry) => entryLabel(group, e) },
    { label: "Requests", cell: (e: Entry) => count(e.requests), numeric: true },
    { label: "List price", cell: (e: Entry) => money(e.estimated_cost), numeric: true },
    { label: "Charged", cell: (e: Entry) => money(e.cost), numeric: true },
    { label: "Input tokens", cell: (e: Entry) => count(e.input_tokens), numeric: true },
    { label: "Output tokens", cell: (e: Entry) => count(e.output_tokens), numeric: true },
    { label: "Avg latency", cell: (e: Entry) => ms(e.avg_latency_ms), numeric: true },
    { label: "p95 latency", cell: (e: Entry) => ms(e.p95_latency_ms), numeric: true },
    { label: "Error rate", cell: (e: Entry) => percent(e.error_rate * 100), numeric: true },
  ];
  return html`
    <h1 tabindex="-1">Analytics</h1>
    <form class="filters" onSubmit=${(e: Event) => e.preventDefault()} aria-label="What to show">
      <${SelectField} id="analytics-period" label="Period" value=${choice.period} onChange=${(period: string) => setChoice({ ...choice, period })} options=${PERIODS} />
      ${choice.period === "custom"
        ? html`
            <${TextField} id="analytics-from" label="First day" type="date" value=${choice.from} onInput=${(from: string) => setChoice({ ...choice, from })} />
            <${TextField} id="analytics-to" label="Last day" type="date" value=${choice.to} onInput=${(to: string) => setChoice({ ...choice, to })} />
          `
        : null}
      <${SelectField} id="analytics-group" label="Group by" value=${group} onChange=${setGroup} options=${GROUPS} />
      <button type="button" class="secondary" onClick=${usage.reload} disabled=${missing !== null}>Refresh</button>
    </form>
    <${StatusNotice} text=${missing} />
    <${ErrorNotice} error=${usage.error} />
    ${usage.loading && !answer && missing === null ? html`<${Loading} what="analytics" />` : null}
    ${answer
      ? html`
          <p class="muted" id="analytics-period-shown">
            ${new Date(answer.period.from).toLocaleString()} to ${new Date(answer.period.to).toLocaleString()} (${answer.period.time_zone} calendar)
          </p>
          <section class="cards" aria-label="Totals">
            <div class="card"><h2>Requests</h2><p class="figure" id="analytics-requests">${count(answer.total_requests)}</p></div>
            <div class="card"><h2>List price</h2><p class="figure" id="analytics-list-price">${money(answer.estimated_costs)}</p></div>
            <div class="card"><h2>Charged</h2><p class="figure" id="analytics-charged">${money(answer.costs)}</p></div>
            <div class="card"><h2>Tokens</h2><p class="figure">${count(answer.total_tokens.input + answer.total_tokens.output)}</p><p>${count(answer.total_tokens.input)} in, ${count(answer.total_tokens.output)} out</p></div>
            <div class="card"><h2>Error rate</h2><p class="figure">${percent(answer.error_rate * 100)}</p><p>avg ${ms(answer.avg_latency_ms)}</p></div>
          </section>
          <${Table}
            caption=${`By ${groupLabel.toLowerCase()}`}
            rowKey=${(e: Entry) => entryKey(group, e)}
            rows=${answer[`by_${group}`] ?? []}
            empty="No calls in this period."
            columns=${columns}
          />
          <section aria-labelledby="analytics-over-time">
            <h2 id="analytics-over-time">Over time, by ${bucketFor(choice)}</h2>
            <form class="filters" onSubmit=${(e: Event) => e.preventDefault()}>
              <${SelectField} id="analytics-metric" label="Figure" value=${metric} onChange=${setMetric} options=${METRICS} />
            </form>
            ${chart
              ? html`<${LineChart}
                  id="analytics-chart"
                  title=${`${METRICS.find((m) => m.value === metric)?.label ?? metric} by ${groupLabel.toLowerCase()} (the ${MAX_LINES} dearest)`}
                  times=${chart.times}
                  series=${chart.series}
                  format=${format}
                />`
              : null}
          </section>
        `
      : null}
    <${ExportForm} choice=${choice} />
  `;
}

export const analyticsPage: Page = { path: "/analytics", title: "Analytics", needs: "analytics.read", component: Analytics };
