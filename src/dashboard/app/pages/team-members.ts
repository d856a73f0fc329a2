// A team's members: who, role, BYOK access. Roles that may change the team add members (PATCH /v1/teams/{id}; the
// new member's key is shown once), change a member's role or access, and remove a member (their key is revoked).
import { useState } from "preact/hooks";
import { api } from "../api.ts";
import { html } from "../html.ts";
import { CheckField, SelectField, TextField } from "../components/field.ts";
import { ErrorNotice, StatusNotice } from "../components/notice.ts";
import { ShownOnce } from "../components/shown-once.ts";
import { type Column, Table } from "../components/table.ts";
import { useSubmit } from "../use-submit.ts";
import { type MemberRole, ROLES, type Team, type TeamMember } from "./team-types.ts";

const memberPath = (team: Team, member: TeamMember) => `/v1/teams/${encodeURIComponent(team.id)}/members/${encodeURIComponent(member.id)}`;

function AddMember({ team, added }: { team: Team; added: (team: Team, member: TeamMember) => void }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<MemberRole>("developer");
  const [byok, setByok] = useState(true);
  const { busy, error, submit } = useSubmit(async () => {
    const answer = await api<Team>(`/v1/teams/${encodeURIComponent(team.id)}`, { method: "PATCH", body: { members: [{ email, role, byok_access: byok }] } });
    const fresh = answer.members.find((m) => m.key !== undefined);
    setEmail("");
    if (fresh) added(answer, fresh);
  });
  const pickRole = (value: string) => {
    setRole(value as MemberRole);
    setByok(value !== "viewer");
  };
  return html`
    <form class="panel" onSubmit=${submit} aria-labelledby="add-member-title">
      <h2 id="add-member-title">Add a member</h2>
      <${TextField} id="member-email" label="E-mail" type="email" required=${true} value=${email} onInput=${setEmail} />
      <${SelectField} id="member-role" label="Role" value=${role} onChange=${pickRole} options=${ROLES} hint="admin manages the team; developer calls; viewer only reads." />
      <${CheckField} id="member-byok" label="The team's stored keys pay for their calls" checked=${byok} onChange=${setByok} />
      <${ErrorNotice} error=${error} />
      <button type="submit" disabled=${busy}>Add member</button>
    </form>
  `;
}

function MemberControls({ team, member, changed, failed }: { team: Team; member: TeamMember; changed: (message: string) => void; failed: (error: Error) => void }) {
  const [role, setRole] = useState<string>(member.role);
  const [byok, setByok] = useState(member.byok_access);
  const [confirming, setConfirming] = useState(false);
  const save = async () => {
    try {
      await api(memberPath(team, member), { method: "PATCH", body: { role, byok_access: byok } });
      changed(`${member.email} is now ${role}${byok ? "" : ", without the team's stored keys"}.`);
    } catch (failure) {
      failed(failure as Error);
    }
  };
  const remove = async () => {
    try {
      await api(memberPath(team, member), { method: "DELETE" });
      changed(`Removed ${member.email}; their key no longer works.`);
    } catch (failure) {
      failed(failure as Error);
    }
  };
  const edited = role !== member.role || byok !== member.byok_access;
  return html`
    <span class="actions member-controls">
      <select aria-label=${`Role of ${member.email}`} onChange=${(e: Event) => setRole((e.currentTarget as HTMLSelectElement).value)}>
        ${ROLES.map((r) => html`<option value=${r.value} selected=${r.value === role}>${r.label}</option>`)}
      </select>
      <label class="inline"><input type="checkbox" checked=${byok} onChange=${(e: Event) => setByok((e.currentTarget as HTMLInputElement).checked)} /> stored keys</label>
      <button type="button" disabled=${!edited} onClick=${save} aria-label=${`Save ${member.email}`}>Save</button>
      ${confirming
        ? html`<button type="button" class="danger" onClick=${remove} aria-label=${`Confirm removing ${member.email}`}>Confirm remove</button>
            <button type="button" class="secondary" onClick=${() => setConfirming(false)}>Keep</button>`
        : html`<button type="button" class="secondary" onClick=${() => setConfirming(true)} aria-label=${`Remove ${member.email}`}>Remove</button>`}
    </span>
  `;
}

export function TeamMembers({ team, mayChange, reload }: { team: Team; mayChange: boolean; reload: () => void }) {
  const [fresh, setFresh] = useState<TeamMember | undefined>();
  const [status, setStatus] = useState<string | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const changed = (message: string) => {
    setError(undefined);
    setStatus(message);
    reload();
  };
  const columns: Column<TeamMember>[] = [
    { label: "E-mail", cell: (m: TeamMember) => m.email },
    { label: "Role", cell: (m: TeamMember) => m.role },
    { label: "Stored keys pay", cell: (m: TeamMember) => (m.byok_access ? "yes" : "no") },
    { label: "keyway key id", cell: (m: TeamMember) => html`<code>${m.key_id}</code>` },
  ];
  if (mayChange) {
    columns.push({ label: "Change", cell: (m: TeamMember) => html`<${MemberControls} key=${`${m.id}-${m.role}-${m.byok_access}`} team=${team} member=${m} changed=${changed} failed=${setError} />` });
  }
  return html`
    <h2>Members</h2>
    <${StatusNotice} text=${status} />
    <${ErrorNotice} error=${error} />
    <${Table} caption=${`Members of ${team.name}`} rowKey=${(m: TeamMember) => m.id} rows=${team.members} empty="No members yet." columns=${columns} />
    ${fresh?.key
      ? html`<${ShownOnce} id="member-key" title=${`Key for ${fresh.email}`} secret=${fresh.key} onDone=${() => setFresh(undefined)} />`
      : null}
    ${mayChange
      ? html`<${AddMember}
          team=${team}
          added=${(_answer: Team, member: TeamMember) => {
            setFresh(member);
            changed(`Added ${member.email} as ${member.role}.`);
          }}
        />`
      : null}
  `;
}
