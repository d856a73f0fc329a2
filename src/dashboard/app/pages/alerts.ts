// Alerts (GET /v1/alerts): BYOK cost thresholds and usage anomalies with their e-mail and webhook targets. Create one
// (POST /v1/alerts), delete one (DELETE /v1/alerts/{id}), and read what fired and its deliveries (GET /v1/alerts/events).
import { useState } from "preact/hooks";
import { api } from "../api.ts";
import { html } from "../html.ts";
import { SelectField, TextField } from "../components/field.ts";
import { ErrorNotice, Loading, StatusNotice } from "../components/notice.ts";
import { type Column, Table } from "../components/table.ts";
import { money, when } from "../format.ts";
import { can, type Session } from "../session.ts";
import { useLoad } from "../use-load.ts";
import { useSubmit } from "../use-submit.ts";
import type { Page, PageProps } from "./page.ts";

interface Alert {
  id: string;
  type: "byok_cost_threshold" | "byok_usage_anomaly";
  team_id: string | null;
  provider?: string | null;
  threshold?: number | null;
  period?: string | null;
  sensitivity?: string | null;
  notify: string[];
  created_at: string;
}

interface AlertEvent {
  id: number;
  kind: "fired" | "delivery";
  alert_id: string;
  team_id: string | null;
  created_at: string;
  outcome: string;
  alert_type?: string | null;
  figures?: Record<string, unknown> | null;
  delivery?: string;
  channel?: string | null;
  target?: string | null;
  attempt?: number | null;
  status?: number | null;
  reason?: string | null;
}

const TYPES = [
  { value: "byok_cost_threshold", label: "BYOK cost reaches a threshold" },
  { value: "byok_usage_anomaly", label: "BYOK usage anomaly (spike, new provider or model)" },
];
const PERIODS = [
  { value: "hourly", label: "Per hour" },
  { value: "daily", label: "Per day" },
  { value: "monthly", label: "Per month" },
];
const SENSITIVITIES = [
  { value: "low", label: "Low" },
  { value: "medium", label: "Medium" },
  { value: "high", label: "High" },
];
const KINDS = [
  { value: "fired", label: "Firings" },
  { value: "delivery", label: "Delivery attempts" },
  { value: "", label: "Both" },
];

/** What an alert watches, in words. */
function watches(alert: Alert): string {
  const scope = `${alert.provider ? `${alert.provider} ` : ""}BYOK${alert.team_id ? ` of team ${alert.team_id}` : ""}`;
  if (alert.type === "byok_cost_threshold") return `${scope} cost reaches ${money(alert.threshold)} ${PERIODS.find((p) => p.value === alert.period)?.label.toLowerCase() ?? ""}`;
  return `${scope} usage anomaly, ${alert.sensitivity ?? "medium"} sensitivity`;
}

/** The figures of a firing, in words (ids and numbers only). */
function firedBecause(event: AlertEvent): string {
  const f = event.figures ?? {};
  if (f.metric === "byok_cost") return `${money(f.observed_usd as number)} reached ${money(f.threshold_usd as number)} (${String(f.period ?? "")})`;
  if (f.reason === "spike") return `Spike in ${((f.exceeded as string[] | undefined) ?? []).join(" and ")}`;
  if (f.reason === "new_provider") return `New provider ${String(f.provider ?? "")}`;
  if (f.reason === "new_model") return `New model ${String(f.provider ?? "")}/${String(f.model ?? "")}`;
  return JSON.stringify(f);
}

function CreateAlert({ session, created }: { session: Session; created: (message: string) => void }) {
  const [type, setType] = useState("byok_cost_threshold");
  const [provider, setProvider] = useState("");
  const [teamId, setTeamId] = useState("");
  const [threshold, setThreshold] = useState("");
  const [period, setPeriod] = useState("daily");
  const [sensitivity, setSensitivity] = useState("medium");
  const [notify, setNotify] = useState("");
  const providers = useLoad(() => api<{ providers: { name: string }[] }>("/v1/providers"));
  const { busy, error, submit } = useSubmit(async () => {
    const targets = notify.split(/[\s,]+/).filter((t) => t !== "");
    const alert =
      type === "byok_cost_threshold"
        ? { type, provider: provider || undefined, team_id: teamId || undefined, threshold: Number(threshold), period, notify: targets }
        : { type, team_id: teamId || undefined, sensitivity, notify: targets };
    const answer = await api<{ data: Alert[] }>("/v1/alerts", { method: "POST", body: { alerts: [alert] } });
    setThreshold("");
    setNotify("");
    created(`Created alert ${answer.data[0]?.id ?? ""}.`);
  });
  return html`
    <form class="panel" onSubmit=${submit} aria-labelledby="create-alert-title">
      <h2 id="create-alert-title">Create an alert</h2>
      <${SelectField} id="alert-type" label="Alert when" value=${type} onChange=${setType} options=${TYPES} />
      ${type === "byok_cost_threshold"
        ? html`
            <${TextField} id="alert-threshold" label="Threshold (USD)" required=${true} value=${threshold} onInput=${setThreshold} hint="BYOK spend at list price, up to six decimals." />
            <${SelectField} id="alert-period" label="Period" value=${period} onChange=${setPeriod} options=${PERIODS} />
            <${SelectField}
              id="alert-provider"
              label="Provider"
              value=${provider}
              onChange=${setProvider}
              options=${[{ value: "", label: "Every provider" }, ...(providers.data?.providers ?? []).map((p) => ({ value: p.name, label: p.name }))]}
            />
          `
        : html`<${SelectField} id="alert-sensitivity" label="Sensitivity" value=${sensitivity} onChange=${setSensitivity} options=${SENSITIVITIES} hint="High fires on smaller spikes." />`}
      ${session.team_id === null
        ? html`<${TextField} id="alert-team" label="Team id (optional)" value=${teamId} onInput=${setTeamId} hint="Watch only this team's calls; empty: the whole account." />`
        : null}
      <${TextField} id="alert-notify" label="Notify" value=${notify} onInput=${setNotify} hint="E-mail addresses and https webhook URLs, separated by commas or spaces." />
      <${ErrorNotice} error=${error} />
      <button type="submit" disabled=${busy}>Create alert</button>
    </form>
  `;
}

function DeleteButton({ alert, deleted, failed }: { alert: Alert; deleted: (message: string) => void; failed: (error: Error) => void }) {
  const [confirming, setConfirming] = useState(false);
  const remove = async () => {
    try {
      await api(`/v1/alerts/${encodeURIComponent(alert.id)}`, { method: "DELETE" });
      deleted(`Deleted alert ${alert.id}.`);
    } catch (failure) {
      failed(failure as Error);
    }
  };
  if (!confirming) return html`<button type="button" class="secondary" onClick=${() => setConfirming(true)} aria-label=${`Delete alert ${alert.id}`}>Delete</button>`;
  return html`
    <span class="confirm">
      <button type="button" class="danger" onClick=${remove} aria-label=${`Confirm deleting alert ${alert.id}`}>Confirm delete</button>
      <button type="button" class="secondary" onClick=${() => setConfirming(false)}>Keep</button>
    </span>
  `;
}

function History({ alerts }: { alerts: Alert[] }) {
  const [kind, setKind] = useState("fired");
  const [alertId, setAlertId] = useState("");
  const [limit, setLimit] = useState("50");
  const events = useLoad(() => api<{ data: AlertEvent[] }>("/v1/alerts/events", { query: { kind: kind || undefined, alert_id: alertId || undefined, limit } }), [kind, alertId, limit]);
  const columns: Column<AlertEvent>[] = [
    { label: "When", cell: (e: AlertEvent) => when(e.created_at) },
    { label: "Alert", cell: (e: AlertEvent) => html`<code>${e.alert_id}</code>` },
    { label: "Event", cell: (e: AlertEvent) => (e.kind === "fired" ? "fired" : `${e.channel ?? ""} attempt ${e.attempt ?? ""}`) },
    { label: "What", cell: (e: AlertEvent) => (e.kind === "fired" ? firedBecause(e) : (e.target ?? "")) },
    { label: "Outcome", cell: (e: AlertEvent) => (e.kind === "fired" ? (e.delivery === "none" || !e.delivery ? "no targets" : e.delivery) : `${e.outcome}${e.status ? ` (${e.status})` : ""}${e.reason ? `: ${e.reason}` : ""}`) },
  ];
  return html`
    <h2 id="alert-history-title">History</h2>
    <div class="filters" role="group" aria-labelledby="alert-history-title">
      <${SelectField} id="events-kind" label="Show" value=${kind} onChange=${setKind} options=${KINDS} />
      <${SelectField} id="events-alert" label="Alert" value=${alertId} onChange=${setAlertId} options=${[{ value: "", label: "Every alert" }, ...alerts.map((a) => ({ value: a.id, label: a.id }))]} />
      <${SelectField} id="events-limit" label="Rows" value=${limit} onChange=${setLimit} options=${["20", "50", "200", "1000"].map((n) => ({ value: n, label: n }))} />
    </div>
    <${ErrorNotice} error=${events.error} />
    <${Table} caption="What fired, newest first" rowKey=${(e: AlertEvent) => String(e.id)} rows=${events.data?.data ?? []} empty="Nothing has fired yet." columns=${columns} />
  `;
}

function Alerts({ session }: PageProps) {
  const alerts = useLoad(() => api<{ data: Alert[] }>("/v1/alerts"));
  const [status, setStatus] = useState<string | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const mayManage = can(session, "alerts.manage");
  const changed = (message: string) => {
    setError(undefined);
    setStatus(message);
    alerts.reload();
  };
  const columns: Column<Alert>[] = [
    { label: "Alert", cell: (a: Alert) => html`<code>${a.id}</code>` },
    { label: "Watches", cell: (a: Alert) => watches(a) },
    { label: "Notify", cell: (a: Alert) => (a.notify.length === 0 ? "– (history only)" : a.notify.join(", ")) },
    { label: "Created", cell: (a: Alert) => when(a.created_at) },
  ];
  if (mayManage) columns.push({ label: "Actions", cell: (a: Alert) => html`<${DeleteButton} alert=${a} deleted=${changed} failed=${setError} />` });
  const list = alerts.data?.data ?? [];
  return html`
    <h1 tabindex="-1">Alerts</h1>
    <${StatusNotice} text=${status} />
    <${ErrorNotice} error=${alerts.error ?? error} />
    ${!alerts.data && alerts.loading ? html`<${Loading} what="alerts" />` : null}
    <${Table} caption="Alerts" rowKey=${(a: Alert) => a.id} rows=${list} empty="No alerts yet." columns=${columns} />
    ${mayManage ? html`<${CreateAlert} session=${session} created=${changed} />` : null}
    <${History} alerts=${list} />
  `;
}

export const alertsPage: Page = { path: "/alerts", title: "Alerts", needs: "alerts.read", component: Alerts };
