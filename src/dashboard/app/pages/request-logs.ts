// Team request logs (GET /v1/teams/{id}/logs): the request and response bodies of teams with log_all_requests, keys
// redacted, newest first. The API takes the team and `limit`; the other filters narrow the loaded rows in the page.
import { useMemo, useState } from "preact/hooks";
import { api } from "../api.ts";
import { html } from "../html.ts";
import { SelectField, TextField } from "../components/field.ts";
import { ErrorNotice, Loading } from "../components/notice.ts";
import { type Column, Table } from "../components/table.ts";
import { when } from "../format.ts";
import { useLoad } from "../use-load.ts";
import type { Page, PageProps } from "./page.ts";

interface RequestLog {
  request_id: string;
  key_id: string;
  project_tag: string | null;
  endpoint: string;
  provider: string | null;
  model: string | null;
  status: number;
  request: unknown;
  response: unknown;
  created_at: string;
}

interface Team {
  id: string;
  name: string;
  usage_controls?: { log_all_requests?: boolean };
}

const OUTCOMES = [
  { value: "", label: "Any status" },
  { value: "ok", label: "Succeeded (2xx)" },
  { value: "error", label: "Failed (4xx, 5xx)" },
];

/** Distinct non-empty values of one field, sorted, as select options after the one that filters nothing. */
function choices(rows: RequestLog[], pick: (row: RequestLog) => string | null, allLabel: string) {
  const values = [...new Set(rows.map(pick).filter((v): v is string => v !== null && v !== ""))].sort();
  return [{ value: "", label: allLabel }, ...values.map((v) => ({ value: v, label: v }))];
}

const pretty = (body: unknown): string => (body === null || body === undefined ? "(not logged)" : JSON.stringify(body, null, 2));

function Body({ label, body }: { label: string; body: unknown }) {
  return html`<details><summary>${label}</summary><pre class="body">${pretty(body)}</pre></details>`;
}

function RequestLogs({ session }: PageProps) {
  const teams = useLoad(() => api<{ data: Team[] }>("/v1/teams"));
  const [teamId, setTeamId] = useState(session.team_id ?? "");
  const [limit, setLimit] = useState("100");
  const [outcome, setOutcome] = useState("");
  const [provider, setProvider] = useState("");
  const [model, setModel] = useState("");
  const [project, setProject] = useState("");
  const [text, setText] = useState("");
  const chosen = teamId || teams.data?.data[0]?.id || "";
  const logs = useLoad(
    () => (chosen === "" ? Promise.resolve({ data: [] as RequestLog[] }) : api<{ data: RequestLog[] }>(`/v1/teams/${encodeURIComponent(chosen)}/logs`, { query: { limit } })),
    [chosen, limit],
  );
  const rows = logs.data?.data ?? [];
  const shown = useMemo(() => {
    const needle = text.trim().toLowerCase();
    return rows.filter(
      (r) =>
        (outcome === "" || (outcome === "ok") === (r.status < 400)) &&
        (provider === "" || r.provider === provider) &&
        (model === "" || r.model === model) &&
        (project === "" || r.project_tag === project) &&
        (needle === "" || `${r.request_id} ${r.key_id} ${JSON.stringify(r.request)} ${JSON.stringify(r.response)}`.toLowerCase().includes(needle)),
    );
  }, [rows, outcome, provider, model, project, text]);
  const team = teams.data?.data.find((t) => t.id === chosen);
  const columns: Column<RequestLog>[] = [
    { label: "When", cell: (r: RequestLog) => when(r.created_at) },
    { label: "Request id", cell: (r: RequestLog) => html`<code>${r.request_id}</code>` },
    { label: "Key", cell: (r: RequestLog) => r.key_id },
    { label: "Project", cell: (r: RequestLog) => r.project_tag ?? "–" },
    { label: "Endpoint", cell: (r: RequestLog) => r.endpoint },
    { label: "Model", cell: (r: RequestLog) => (r.provider ? `${r.provider}/${r.model ?? ""}` : "–") },
    { label: "Status", cell: (r: RequestLog) => html`<span class=${r.status < 400 ? "status status-healthy" : "status status-unhealthy"}>${r.status}</span>`, numeric: true },
    { label: "Bodies", cell: (r: RequestLog) => html`<${Body} label="Request" body=${r.request} /><${Body} label="Response" body=${r.response} />` },
  ];
  return html`
    <h1 tabindex="-1">Request logs</h1>
    <p class="muted">Request and response bodies of teams with <code>log_all_requests</code>, keys redacted.</p>
    <div class="filters" role="group" aria-label="Which logs">
      <${SelectField}
        id="logs-team"
        label="Team"
        value=${chosen}
        onChange=${setTeamId}
        options=${(teams.data?.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
      />
      <${SelectField} id="logs-limit" label="Newest rows" value=${limit} onChange=${setLimit} options=${["20", "100", "500", "1000"].map((n) => ({ value: n, label: n }))} />
      <button type="button" class="secondary" onClick=${logs.reload}>Refresh</button>
    </div>
    <div class="filters" role="group" aria-label="Narrow the rows">
      <${SelectField} id="logs-outcome" label="Status" value=${outcome} onChange=${setOutcome} options=${OUTCOMES} />
      <${SelectField} id="logs-provider" label="Provider" value=${provider} onChange=${setProvider} options=${choices(rows, (r) => r.provider, "Any provider")} />
      <${SelectField} id="logs-model" label="Model" value=${model} onChange=${setModel} options=${choices(rows, (r) => r.model, "Any model")} />
      <${SelectField} id="logs-project" label="Project" value=${project} onChange=${setProject} options=${choices(rows, (r) => r.project_tag, "Any project")} />
      <${TextField} id="logs-search" label="Contains" value=${text} onInput=${setText} />
    </div>
    ${team && team.usage_controls?.log_all_requests !== true ? html`<p class="notice">This team does not log requests (log_all_requests is off): only earlier logs are shown.</p>` : null}
    <${ErrorNotice} error=${teams.error ?? logs.error} />
    ${logs.loading && !logs.data ? html`<${Loading} what="request logs" />` : null}
    <${Table}
      caption=${`${shown.length} of ${rows.length} logged requests${team ? ` of ${team.name}` : ""}`}
      rowKey=${(r: RequestLog) => `${r.request_id}-${r.created_at}`}
      rows=${shown}
      empty=${rows.length === 0 ? "No requests logged." : "No logged request matches the filters."}
      columns=${columns}
    />
  `;
}

export const requestLogsPage: Page = { path: "/logs", title: "Request logs", needs: "request_logs.read", component: RequestLogs };
