// Approvals waiting (GET /v1/approvals): costly team requests a team admin must approve before the client repeats
// them with X-Approval-Id. Approve one (POST /v1/approvals/{id}); look back at approved and used ones.
import { useState } from "preact/hooks";
import { api } from "../api.ts";
import { html } from "../html.ts";
import { SelectField } from "../components/field.ts";
import { ErrorNotice, Loading, StatusNotice } from "../components/notice.ts";
import { type Column, Table } from "../components/table.ts";
import { money, when } from "../format.ts";
import { can } from "../session.ts";
import { useLoad } from "../use-load.ts";
import type { Page, PageProps } from "./page.ts";

export interface Approval {
  id: string;
  status: "pending" | "approved" | "used";
  team_id: string;
  team_name: string | null;
  requested_by: string;
  requested_by_name: string | null;
  provider: string;
  model: string;
  estimated_cost: number;
  approved_by: string | null;
  created_at: string;
  decided_at: string | null;
}

const STATUSES = [
  { value: "pending", label: "Waiting for approval" },
  { value: "approved", label: "Approved, not yet repeated" },
  { value: "used", label: "Approved and used" },
];

function Approvals({ session }: PageProps) {
  const [status, setStatus] = useState("pending");
  const approvals = useLoad(() => api<{ data: Approval[] }>("/v1/approvals", { query: { status } }), [status]);
  const [message, setMessage] = useState<string | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const approve = async (approval: Approval) => {
    setBusy(approval.id);
    setError(undefined);
    try {
      await api(`/v1/approvals/${encodeURIComponent(approval.id)}`, { method: "POST" });
      setMessage(`Approved ${approval.id}. The client may now repeat its request once with the header X-Approval-Id: ${approval.id}.`);
      approvals.reload();
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(undefined);
    }
  };
  const columns: Column<Approval>[] = [
    { label: "Requested", cell: (a: Approval) => when(a.created_at) },
    { label: "Team", cell: (a: Approval) => a.team_name ?? a.team_id },
    { label: "Requested by", cell: (a: Approval) => a.requested_by_name ?? a.requested_by },
    { label: "Model", cell: (a: Approval) => `${a.provider}/${a.model}` },
    { label: "Estimated cost", cell: (a: Approval) => money(a.estimated_cost), numeric: true },
    { label: "Approval id", cell: (a: Approval) => html`<code>${a.id}</code>` },
  ];
  if (status !== "pending") columns.push({ label: "Approved", cell: (a: Approval) => when(a.decided_at) });
  if (status === "pending" && can(session, "approvals.approve")) {
    columns.push({
      label: "Actions",
      cell: (a: Approval) => html`
        <button type="button" disabled=${busy === a.id} onClick=${() => approve(a)} aria-label=${`Approve ${a.id}: ${a.provider}/${a.model} for ${a.requested_by_name ?? a.requested_by}`}>Approve</button>
      `,
    });
  }
  return html`
    <h1 tabindex="-1">Approvals</h1>
    <p class="muted">A team request estimated above its provider's approval threshold is refused with <code>approval_required</code> until a team admin approves it here.</p>
    <div class="filters">
      <${SelectField} id="approvals-status" label="Show" value=${status} onChange=${setStatus} options=${STATUSES} />
      <button type="button" class="secondary" onClick=${approvals.reload}>Refresh</button>
    </div>
    <${StatusNotice} text=${message} />
    <${ErrorNotice} error=${approvals.error ?? error} />
    ${!approvals.data && approvals.loading ? html`<${Loading} what="approvals" />` : null}
    <${Table}
      caption=${STATUSES.find((s) => s.value === status)?.label ?? "Approvals"}
      rowKey=${(a: Approval) => a.id}
      rows=${approvals.data?.data ?? []}
      empty=${status === "pending" ? "Nothing is waiting for approval." : "None."}
      columns=${columns}
    />
  `;
}

export const approvalsPage: Page = { path: "/approvals", title: "Approvals", needs: "approvals.approve", component: Approvals };
