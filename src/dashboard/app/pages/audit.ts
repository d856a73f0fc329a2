// The audit log (GET /v1/audit): who added, rotated, removed or used which stored key, and who approved which costly
// request, newest first, filtered by the API's own filters (action, provider, key, actor, since, until, limit).
import { useState } from "preact/hooks";
import { api } from "../api.ts";
import { html } from "../html.ts";
import { SelectField, TextField } from "../components/field.ts";
import { ErrorNotice, Loading } from "../components/notice.ts";
import { type Column, Table } from "../components/table.ts";
import { when } from "../format.ts";
import { useLoad } from "../use-load.ts";
import type { Page } from "./page.ts";

interface AuditEvent {
  id: number;
  account_id: string;
  actor: string;
  action: string;
  key_id: string | null;
  provider: string | null;
  outcome: string;
  detail: Record<string, unknown> | null;
  created_at: string;
}

const ACTIONS = [
  { value: "", label: "Every action" },
  { value: "key.add", label: "key.add" },
  { value: "key.rotate", label: "key.rotate" },
  { value: "key.remove", label: "key.remove" },
  { value: "key.retire", label: "key.retire" },
  { value: "key.use", label: "key.use" },
  { value: "key.rotation_due", label: "key.rotation_due" },
  { value: "key.schedule", label: "key.schedule" },
  { value: "master_key.rotate", label: "master_key.rotate" },
  { value: "approval.approve", label: "approval.approve" },
];

interface Filters {
  action: string;
  provider: string;
  key_id: string;
  actor: string;
  since: string;
  until: string;
  limit: string;
}

const NONE: Filters = { action: "", provider: "", key_id: "", actor: "", since: "", until: "", limit: "100" };

/** A datetime-local value (the browser's time zone) as the ISO 8601 instant the API takes. */
const instant = (local: string): string | undefined => (local === "" ? undefined : new Date(local).toISOString());

/** An event's detail as short `name: value` text (ids and figures only; the audit log never holds key material). */
function detailText(detail: Record<string, unknown> | null): string {
  if (!detail) return "";
  return Object.entries(detail)
    .map(([name, value]) => `${name}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(", ");
}

function Audit() {
  const [draft, setDraft] = useState<Filters>(NONE);
  const [applied, setApplied] = useState<Filters>(NONE);
  const events = useLoad(
    () =>
      api<{ data: AuditEvent[] }>("/v1/audit", {
        query: { ...applied, since: instant(applied.since), until: instant(applied.until) },
      }),
    [applied],
  );
  const field = (name: keyof Filters) => (value: string) => setDraft((d) => ({ ...d, [name]: value }));
  const apply = (event: Event) => {
    event.preventDefault();
    setApplied(draft);
  };
  const clear = () => {
    setDraft(NONE);
    setApplied(NONE);
  };
  const columns: Column<AuditEvent>[] = [
    { label: "When", cell: (e: AuditEvent) => when(e.created_at) },
    { label: "Action", cell: (e: AuditEvent) => html`<code>${e.action}</code>` },
    { label: "Actor", cell: (e: AuditEvent) => e.actor },
    { label: "Provider", cell: (e: AuditEvent) => e.provider ?? "–" },
    { label: "Stored key", cell: (e: AuditEvent) => e.key_id ?? "–" },
    { label: "Outcome", cell: (e: AuditEvent) => e.outcome },
    { label: "Detail", cell: (e: AuditEvent) => detailText(e.detail) },
  ];
  return html`
    <h1 tabindex="-1">Audit log</h1>
    <form class="panel filters-panel" onSubmit=${apply} aria-labelledby="audit-filters-title">
      <h2 id="audit-filters-title">Filters</h2>
      <div class="filter-grid">
        <${SelectField} id="audit-action" label="Action" value=${draft.action} onChange=${field("action")} options=${ACTIONS} />
        <${TextField} id="audit-provider" label="Provider" value=${draft.provider} onInput=${field("provider")} />
        <${TextField} id="audit-key" label="Stored key id" value=${draft.key_id} onInput=${field("key_id")} />
        <${TextField} id="audit-actor" label="Actor (keyway key id, cli or scheduler)" value=${draft.actor} onInput=${field("actor")} />
        <${TextField} id="audit-since" label="Since" type="datetime-local" value=${draft.since} onInput=${field("since")} />
        <${TextField} id="audit-until" label="Until" type="datetime-local" value=${draft.until} onInput=${field("until")} />
        <${SelectField} id="audit-limit" label="Rows" value=${draft.limit} onChange=${field("limit")} options=${["20", "100", "500", "1000"].map((n) => ({ value: n, label: n }))} />
      </div>
      <div class="actions">
        <button type="submit">Apply filters</button>
        <button type="button" class="secondary" onClick=${clear}>Clear</button>
      </div>
    </form>
    <${ErrorNotice} error=${events.error} />
    ${!events.data && events.loading ? html`<${Loading} what="the audit log" />` : null}
    <${Table} caption="Audit events, newest first" rowKey=${(e: AuditEvent) => String(e.id)} rows=${events.data?.data ?? []} empty="No events match." columns=${columns} />
  `;
}

export const auditPage: Page = { path: "/audit", title: "Audit log", needs: "audit.read", component: Audit };
