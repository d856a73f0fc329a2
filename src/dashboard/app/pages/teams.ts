// Teams (GET /v1/teams): the list, a new team (POST /v1/teams), and one team opened below it with its rules and
// members. A team key sees its own team only, opened at once.
import { useState } from "preact/hooks";
import { api } from "../api.ts";
import { html } from "../html.ts";
import { TextField } from "../components/field.ts";
import { ErrorNotice, Loading, StatusNotice } from "../components/notice.ts";
import { type Column, Table } from "../components/table.ts";
import { when } from "../format.ts";
import { can } from "../session.ts";
import { useLoad } from "../use-load.ts";
import { useSubmit } from "../use-submit.ts";
import type { Page, PageProps } from "./page.ts";
import { TeamDetail } from "./team-detail.ts";
import type { Team } from "./team-types.ts";

function CreateTeam({ created }: { created: (team: Team) => void }) {
  const [name, setName] = useState("");
  const { busy, error, submit } = useSubmit(async () => {
    const team = await api<Team>("/v1/teams", { method: "POST", body: { name } });
    setName("");
    created(team);
  });
  return html`
    <form class="panel" onSubmit=${submit} aria-labelledby="create-team-title">
      <h2 id="create-team-title">Create a team</h2>
      <${TextField} id="team-name" label="Team name" required=${true} value=${name} onInput=${setName} hint="Rules and members are set once it exists." />
      <${ErrorNotice} error=${error} />
      <button type="submit" disabled=${busy}>Create team</button>
    </form>
  `;
}

function Teams({ session }: PageProps) {
  const teams = useLoad(() => api<{ data: Team[] }>("/v1/teams"));
  const providers = useLoad(() => api<{ providers: { name: string }[] }>("/v1/providers"));
  const [open, setOpen] = useState<string | undefined>();
  const [status, setStatus] = useState<string | undefined>();
  const list = teams.data?.data ?? [];
  // A team key reaches one team: open it without asking.
  const shown = open ?? (session.team_id !== null ? list[0]?.id : undefined);
  const columns: Column<Team>[] = [
    { label: "Team", cell: (t: Team) => html`<button type="button" class="link" onClick=${() => setOpen(t.id)} aria-label=${`Open team ${t.name}`}>${t.name}</button>` },
    { label: "Members", cell: (t: Team) => String(t.members.length), numeric: true },
    { label: "Providers with rules", cell: (t: Team) => Object.keys(t.byok_permissions.providers ?? {}).sort().join(", ") || "–" },
    { label: "Created", cell: (t: Team) => when(t.created_at) },
  ];
  const created = (team: Team) => {
    setStatus(`Created the team ${team.name}.`);
    setOpen(team.id);
    teams.reload();
  };
  const deleted = (message: string) => {
    setStatus(message);
    setOpen(undefined);
    teams.reload();
  };
  return html`
    <h1 tabindex="-1">Teams</h1>
    <${StatusNotice} text=${status} />
    <${ErrorNotice} error=${teams.error ?? providers.error} />
    ${!teams.data && teams.loading ? html`<${Loading} what="teams" />` : null}
    ${session.team_id === null
      ? html`<${Table} caption="Teams of the account" rowKey=${(t: Team) => t.id} rows=${list} empty="No teams yet." columns=${columns} />`
      : null}
    ${can(session, "teams.create") && shown === undefined ? html`<${CreateTeam} created=${created} />` : null}
    ${shown !== undefined && providers.data
      ? html`<${TeamDetail}
          key=${shown}
          session=${session}
          teamId=${shown}
          configured=${providers.data.providers.map((p) => p.name)}
          back=${session.team_id === null ? () => setOpen(undefined) : undefined}
          changed=${teams.reload}
          deleted=${deleted}
        />`
      : null}
  `;
}

export const teamsPage: Page = { path: "/teams", title: "Teams", needs: "teams.read", component: Teams };
