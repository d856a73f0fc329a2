// keyway API keys (GET /v1/api-keys): name, prefix, role, reach, never a secret. Create one (POST /v1/api-keys; the
// key is shown once) and revoke one (DELETE /v1/api-keys/{id}), for the roles that may.
import { useState } from "preact/hooks";
import { api } from "../api.ts";
import { html } from "../html.ts";
import { CheckField, SelectField, TextField } from "../components/field.ts";
import { ErrorNotice, Loading, StatusNotice } from "../components/notice.ts";
import { ShownOnce } from "../components/shown-once.ts";
import { type Column, Table } from "../components/table.ts";
import { when } from "../format.ts";
import { can, type Session } from "../session.ts";
import { joinList, splitList } from "../text-list.ts";
import { useLoad } from "../use-load.ts";
import { useSubmit } from "../use-submit.ts";
import type { Page, PageProps } from "./page.ts";
import { ROLES, type Team } from "./team-types.ts";

interface ApiKey {
  id: string;
  name: string;
  account_id: string;
  team_id: string | null;
  role: string;
  prefix: string;
  ip_allowlist: string[] | null;
  expires_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

const stateOf = (k: ApiKey): string => (k.revoked_at ? "revoked" : k.expires_at && Date.parse(k.expires_at) <= Date.now() ? "expired" : "active");

function CreateKey({ session, created }: { session: Session; created: (name: string, key: string) => void }) {
  // An account key may put the new key in one of its teams; a team key's new keys join its own team.
  const teams = useLoad(() => (session.team_id === null && can(session, "teams.read") ? api<{ data: Team[] }>("/v1/teams") : Promise.resolve({ data: [] as Team[] })));
  const [name, setName] = useState("");
  const [role, setRole] = useState("developer");
  const [team, setTeam] = useState("");
  const [ips, setIps] = useState("");
  const [expires, setExpires] = useState("");
  const { busy, error, submit } = useSubmit(async () => {
    const ranges = splitList(ips);
    const answer = await api<ApiKey & { key: string }>("/v1/api-keys", {
      method: "POST",
      body: {
        name,
        role,
        ...(team ? { team_id: team } : {}),
        ...(ranges.length > 0 ? { ip_allowlist: ranges } : {}),
        ...(expires ? { expires_at: new Date(expires).toISOString() } : {}),
      },
    });
    setName("");
    setIps("");
    setExpires("");
    created(answer.name, answer.key);
  });
  const teamOptions = [{ value: "", label: session.team_id === null ? "none (the whole account)" : "this team" }, ...(teams.data?.data ?? []).map((t) => ({ value: t.id, label: t.name }))];
  return html`
    <form class="panel" onSubmit=${submit} aria-labelledby="create-key-title">
      <h2 id="create-key-title">Create a key</h2>
      <${TextField} id="key-name" label="Name" required=${true} value=${name} onInput=${setName} hint="Who or what uses it, like “CI” or “Ana's laptop”." />
      <${SelectField} id="key-role" label="Role" value=${role} onChange=${setRole} options=${ROLES} />
      ${teamOptions.length > 1 ? html`<${SelectField} id="key-team" label="Team" value=${team} onChange=${setTeam} options=${teamOptions} />` : null}
      <${TextField} id="key-ips" label="IP allowlist (optional)" value=${ips} onInput=${setIps} hint="Addresses or CIDR ranges, comma-separated; empty: from anywhere." />
      <${TextField} id="key-expires" label="Expires (optional)" type="datetime-local" value=${expires} onInput=${setExpires} />
      <${ErrorNotice} error=${error} />
      <button type="submit" disabled=${busy}>Create key</button>
    </form>
  `;
}

function RevokeButton({ target, revoked, failed }: { target: ApiKey; revoked: (message: string) => void; failed: (error: Error) => void }) {
  const [confirming, setConfirming] = useState(false);
  const revoke = async () => {
    try {
      await api(`/v1/api-keys/${encodeURIComponent(target.id)}`, { method: "DELETE" });
      revoked(`Revoked the key ${target.name} (${target.prefix}…).`);
    } catch (failure) {
      failed(failure as Error);
    }
  };
  if (!confirming) return html`<button type="button" class="secondary" onClick=${() => setConfirming(true)} aria-label=${`Revoke ${target.name}`}>Revoke</button>`;
  return html`
    <span class="confirm">
      <button type="button" class="danger" onClick=${revoke} aria-label=${`Confirm revoking ${target.name}`}>Confirm revoke</button>
      <button type="button" class="secondary" onClick=${() => setConfirming(false)}>Keep</button>
    </span>
  `;
}

function ApiKeys({ session }: PageProps) {
  const keys = useLoad(() => api<{ data: ApiKey[] }>("/v1/api-keys"));
  const [fresh, setFresh] = useState<{ name: string; key: string } | undefined>();
  const [showEnded, setShowEnded] = useState(false);
  const [status, setStatus] = useState<string | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const changed = (message: string) => {
    setError(undefined);
    setStatus(message);
    keys.reload();
  };
  const mayRevoke = can(session, "api_keys.revoke");
  const rows = (keys.data?.data ?? []).filter((k) => showEnded || stateOf(k) === "active");
  const columns: Column<ApiKey>[] = [
    { label: "Name", cell: (k: ApiKey) => `${k.name}${k.id === session.key_id ? " (this session)" : ""}` },
    { label: "Key", cell: (k: ApiKey) => html`<code class="hint">${k.prefix}…</code>` },
    { label: "Role", cell: (k: ApiKey) => k.role },
    { label: "Team", cell: (k: ApiKey) => k.team_id ?? "–" },
    { label: "IP allowlist", cell: (k: ApiKey) => (k.ip_allowlist?.length ? joinList(k.ip_allowlist) : "anywhere") },
    { label: "Expires", cell: (k: ApiKey) => (k.expires_at ? when(k.expires_at) : "never") },
    { label: "Created", cell: (k: ApiKey) => when(k.created_at) },
    { label: "Status", cell: (k: ApiKey) => html`<span class=${`status status-${stateOf(k)}`}>${stateOf(k)}</span>` },
  ];
  if (mayRevoke) {
    columns.push({
      label: "Actions",
      // The session's own key is not offered: revoking it would end this session.
      cell: (k: ApiKey) => (stateOf(k) === "active" && k.id !== session.key_id ? html`<${RevokeButton} target=${k} revoked=${changed} failed=${setError} />` : null),
    });
  }
  return html`
    <h1 tabindex="-1">API keys</h1>
    <${StatusNotice} text=${status} />
    <${ErrorNotice} error=${keys.error ?? error} />
    ${!keys.data && keys.loading ? html`<${Loading} what="keys" />` : null}
    <${CheckField} id="keys-ended" label="Show revoked and expired keys" checked=${showEnded} onChange=${setShowEnded} />
    <${Table} caption="keyway keys (the secret is never shown again)" rowKey=${(k: ApiKey) => k.id} rows=${rows} empty="No keys to show." columns=${columns} />
    ${fresh ? html`<${ShownOnce} id="new-key" title=${`Key ${fresh.name}`} secret=${fresh.key} onDone=${() => setFresh(undefined)} />` : null}
    ${can(session, "api_keys.create")
      ? html`<${CreateKey}
          session=${session}
          created=${(name: string, key: string) => {
            setFresh({ name, key });
            changed(`Created the key ${name}.`);
          }}
        />`
      : null}
  `;
}

export const apiKeysPage: Page = { path: "/api-keys", title: "API keys", needs: "api_keys.list", component: ApiKeys };
