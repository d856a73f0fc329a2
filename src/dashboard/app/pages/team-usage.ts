// A team's calls today per provider (GET /v1/analytics/usage?period=today&team_id=...), beside each provider's daily cap.
import { api } from "../api.ts";
import { html } from "../html.ts";
import { ErrorNotice } from "../components/notice.ts";
import { type Column, Table } from "../components/table.ts";
import { count, money } from "../format.ts";
import { useLoad } from "../use-load.ts";
import type { Team } from "./team-types.ts";

interface ProviderFigures {
  name: string | null;
  requests: number;
  estimated_cost: number;
  error_rate: number | null;
}

interface Usage {
  total_requests: number;
  estimated_costs: number;
  by_provider?: ProviderFigures[];
}

export function TeamUsage({ team, onlyOwnCalls }: { team: Team; onlyOwnCalls: boolean }) {
  const usage = useLoad(() => api<Usage>("/v1/analytics/usage", { query: { period: "today", team_id: team.id, group_by: "provider" } }), [team.id]);
  const cap = (provider: string | null) => (provider === null ? undefined : team.byok_permissions.providers?.[provider]?.max_cost_per_day);
  const columns: Column<ProviderFigures>[] = [
    { label: "Provider", cell: (f: ProviderFigures) => f.name ?? "–" },
    { label: "Requests", cell: (f: ProviderFigures) => count(f.requests), numeric: true },
    { label: "List price", cell: (f: ProviderFigures) => money(f.estimated_cost), numeric: true },
    { label: "Daily cap", cell: (f: ProviderFigures) => (cap(f.name) === undefined ? "none" : money(cap(f.name))), numeric: true },
  ];
  return html`
    <h2>Today</h2>
    <${ErrorNotice} error=${usage.error} />
    <p class="muted" id="team-today">
      ${usage.data ? `${count(usage.data.total_requests)} requests, ${money(usage.data.estimated_costs)} at list price${onlyOwnCalls ? " (your own calls)" : ""}.` : "Loading…"}
      ${" "}<button type="button" class="secondary" onClick=${usage.reload}>Refresh</button>
    </p>
    <${Table} caption="Calls today by provider" rowKey=${(f: ProviderFigures) => f.name ?? "none"} rows=${usage.data?.by_provider ?? []} empty="No calls today." columns=${columns} />
  `;
}
