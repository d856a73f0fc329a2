// One team (GET /v1/teams/{id}): its rules, members and today's calls; deleting it (every member key revoked) for the
// roles that may.
import { useState } from "preact/hooks";
import { api } from "../api.ts";
import { html } from "../html.ts";
import { ErrorNotice, Loading } from "../components/notice.ts";
import { can, type Session } from "../session.ts";
import { useLoad } from "../use-load.ts";
import { TeamMembers } from "./team-members.ts";
import { ruleProviders, TeamRulesForm, TeamRulesView } from "./team-rules.ts";
import type { Team } from "./team-types.ts";
import { TeamUsage } from "./team-usage.ts";

function DeleteTeam({ team, deleted }: { team: Team; deleted: (message: string) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const remove = async () => {
    try {
      await api(`/v1/teams/${encodeURIComponent(team.id)}`, { method: "DELETE" });
      deleted(`Deleted the team ${team.name}; its members' keys no longer work.`);
    } catch (failure) {
      setError(failure as Error);
    }
  };
  return html`
    <div class="panel">
      <h2>Delete the team</h2>
      <p>Removes the team and its members and revokes every member's key.</p>
      <${ErrorNotice} error=${error} />
      ${confirming
        ? html`<span class="confirm">
            <button type="button" class="danger" onClick=${remove}>Confirm deleting ${team.name}</button>
            <button type="button" class="secondary" onClick=${() => setConfirming(false)}>Keep</button>
          </span>`
        : html`<button type="button" class="danger" onClick=${() => setConfirming(true)}>Delete team</button>`}
    </div>
  `;
}

export interface TeamDetailProps {
  session: Session;
  teamId: string;
  configured: string[];
  back: (() => void) | undefined;
  /** The team changed (rules, members): lists showing it load again. */
  changed: () => void;
  deleted: (message: string) => void;
}

export function TeamDetail({ session, teamId, configured, back, changed, deleted }: TeamDetailProps) {
  const team = useLoad(() => api<Team>(`/v1/teams/${encodeURIComponent(teamId)}`), [teamId]);
  const refresh = () => {
    team.reload();
    changed();
  };
  if (!team.data) return html`${team.loading ? html`<${Loading} what="the team" />` : null}<${ErrorNotice} error=${team.error} />`;
  const data = team.data;
  const mayChange = can(session, "teams.update");
  const providers = ruleProviders(data, configured);
  return html`
    <section aria-labelledby="team-title" class="team">
      <h2 id="team-title" class="team-name">Team ${data.name}</h2>
      <p class="muted">${data.id}${back ? " · " : ""}${back ? html`<button type="button" class="link" onClick=${back}>All teams</button>` : null}</p>
      <${ErrorNotice} error=${team.error} />
      <${TeamUsage} team=${data} onlyOwnCalls=${session.permissions["analytics.read"] === "key"} />
      ${mayChange
        ? html`<${TeamRulesForm} key=${data.id} team=${data} providers=${providers} saved=${refresh} />`
        : html`<${TeamRulesView} team=${data} providers=${providers} />`}
      <${TeamMembers} team=${data} mayChange=${mayChange} reload=${refresh} />
      ${can(session, "teams.delete") ? html`<${DeleteTeam} team=${data} deleted=${deleted} />` : null}
    </section>
  `;
}
