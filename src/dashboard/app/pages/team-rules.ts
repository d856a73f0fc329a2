// A team's rules: per provider (allowed, models, daily cap, approval threshold), usage controls and the IP allowlist.
// Roles that may change the team get the form (PATCH /v1/teams/{id}); the others read the same rules as text.
import { useState } from "preact/hooks";
import { api } from "../api.ts";
import { html } from "../html.ts";
import { CheckField, TextField } from "../components/field.ts";
import { ErrorNotice, StatusNotice } from "../components/notice.ts";
import { type Column, Table } from "../components/table.ts";
import { money } from "../format.ts";
import { joinList, splitList } from "../text-list.ts";
import { useSubmit } from "../use-submit.ts";
import type { ProviderRule, Team } from "./team-types.ts";

interface RuleDraft {
  enabled: boolean;
  models: string;
  cap: string;
  approval: string;
}

const draftOf = (rule: ProviderRule | undefined): RuleDraft => ({
  enabled: rule?.enabled !== false,
  models: joinList(rule?.models),
  cap: rule?.max_cost_per_day === undefined ? "" : String(rule.max_cost_per_day),
  approval: rule?.require_approval_above === undefined ? "" : String(rule.require_approval_above),
});

/** The USD amount typed, or undefined when blank; a clear error for anything else. */
function usd(text: string, what: string): number | undefined {
  if (text.trim() === "") return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${what} must be an amount of USD (0 or more), like 25 or 2.50.`);
  return value;
}

/** The providers the rules can name: those configured, and any the team's rules already name. */
export const ruleProviders = (team: Team, configured: string[]): string[] =>
  [...new Set([...configured, ...Object.keys(team.byok_permissions.providers ?? {})])].sort();

function rulesBody(providers: string[], drafts: Record<string, RuleDraft>): Record<string, ProviderRule> {
  const rules: Record<string, ProviderRule> = {};
  for (const name of providers) {
    const draft = drafts[name] ?? draftOf(undefined);
    const rule: ProviderRule = {};
    if (!draft.enabled) rule.enabled = false;
    const models = splitList(draft.models);
    if (models.length > 0) rule.models = models;
    const cap = usd(draft.cap, `The daily cap for ${name}`);
    if (cap !== undefined) rule.max_cost_per_day = cap;
    const approval = usd(draft.approval, `The approval threshold for ${name}`);
    if (approval !== undefined) rule.require_approval_above = approval;
    // A provider without rules is allowed, every model, no cap: leaving it out says the same.
    if (Object.keys(rule).length > 0) rules[name] = rule;
  }
  return rules;
}

export function TeamRulesForm({ team, providers, saved }: { team: Team; providers: string[]; saved: (team: Team) => void }) {
  const [drafts, setDrafts] = useState<Record<string, RuleDraft>>(() => Object.fromEntries(providers.map((p) => [p, draftOf(team.byok_permissions.providers?.[p])])));
  const controls = team.usage_controls;
  const [log, setLog] = useState(controls.log_all_requests === true);
  const [tagRequired, setTagRequired] = useState(controls.require_project_tag === true);
  const [projects, setProjects] = useState(joinList(controls.allowed_projects));
  const [block, setBlock] = useState(controls.block_sensitive_content === true);
  const [ips, setIps] = useState(joinList(team.ip_allowlist));
  const [status, setStatus] = useState<string | undefined>();
  const edit = (provider: string, change: Partial<RuleDraft>) => {
    setStatus(undefined);
    setDrafts((all) => ({ ...all, [provider]: { ...(all[provider] ?? draftOf(undefined)), ...change } }));
  };
  const { busy, error, submit } = useSubmit(async () => {
    setStatus(undefined);
    const allowed = splitList(projects);
    const answer = await api<Team>(`/v1/teams/${encodeURIComponent(team.id)}`, {
      method: "PATCH",
      body: {
        byok_permissions: { providers: rulesBody(providers, drafts) },
        usage_controls: {
          log_all_requests: log,
          require_project_tag: tagRequired,
          block_sensitive_content: block,
          ...(allowed.length > 0 ? { allowed_projects: allowed } : {}),
        },
        ip_allowlist: splitList(ips),
      },
    });
    setStatus("Rules saved.");
    saved(answer);
  });
  return html`
    <form class="panel wide" onSubmit=${submit} aria-labelledby="rules-title">
      <h2 id="rules-title">Rules</h2>
      <div class="rules">
        ${providers.map((name) => {
          const draft = drafts[name] ?? draftOf(undefined);
          return html`
            <fieldset key=${name} class="rule">
              <legend>${name}</legend>
              <${CheckField} id=${`rule-${name}-enabled`} label="Allowed" checked=${draft.enabled} onChange=${(enabled: boolean) => edit(name, { enabled })} />
              <${TextField} id=${`rule-${name}-models`} label="Models (empty: every model)" value=${draft.models} onInput=${(models: string) => edit(name, { models })} hint="Comma-separated model names." />
              <${TextField} id=${`rule-${name}-cap`} label="Daily cap (USD)" type="number" step="any" value=${draft.cap} onInput=${(cap: string) => edit(name, { cap })} />
              <${TextField} id=${`rule-${name}-approval`} label="Approval above (USD)" type="number" step="any" value=${draft.approval} onInput=${(approval: string) => edit(name, { approval })} />
            </fieldset>
          `;
        })}
      </div>
      <fieldset class="controls">
        <legend>Usage controls</legend>
        <${CheckField} id="control-log" label="Log every request and response (keys redacted)" checked=${log} onChange=${setLog} />
        <${CheckField} id="control-tag" label="Require a project tag (X-Project-Tag)" checked=${tagRequired} onChange=${setTagRequired} />
        <${TextField} id="control-projects" label="Allowed projects" value=${projects} onInput=${setProjects} hint="Comma-separated; empty: every tag is allowed." />
        <${CheckField} id="control-block" label="Block prompts with secrets or personal data" checked=${block} onChange=${setBlock} />
        <${TextField} id="control-ips" label="IP allowlist" value=${ips} onInput=${setIps} hint="Addresses or CIDR ranges, comma-separated; empty: from anywhere." />
      </fieldset>
      <${ErrorNotice} error=${error} />
      <${StatusNotice} text=${status} />
      <button type="submit" disabled=${busy}>Save rules</button>
    </form>
  `;
}

interface RuleRow {
  name: string;
  rule: ProviderRule | undefined;
}

export function TeamRulesView({ team, providers }: { team: Team; providers: string[] }) {
  const columns: Column<RuleRow>[] = [
    { label: "Provider", cell: (r: RuleRow) => r.name },
    { label: "Allowed", cell: (r: RuleRow) => (r.rule?.enabled === false ? "no" : "yes") },
    { label: "Models", cell: (r: RuleRow) => (r.rule?.models?.length ? joinList(r.rule.models) : "every model") },
    { label: "Daily cap", cell: (r: RuleRow) => (r.rule?.max_cost_per_day === undefined ? "none" : money(r.rule.max_cost_per_day)), numeric: true },
    { label: "Approval above", cell: (r: RuleRow) => (r.rule?.require_approval_above === undefined ? "none" : money(r.rule.require_approval_above)), numeric: true },
  ];
  const c = team.usage_controls;
  const yes = (flag: boolean | undefined) => (flag ? "yes" : "no");
  return html`
    <h2>Rules</h2>
    <${Table} caption="What the team may use, per provider" rowKey=${(r: RuleRow) => r.name} rows=${providers.map((name) => ({ name, rule: team.byok_permissions.providers?.[name] }))} empty="No providers." columns=${columns} />
    <dl class="facts" id="usage-controls">
      <dt>Every request logged</dt><dd>${yes(c.log_all_requests)}</dd>
      <dt>Project tag required</dt><dd>${yes(c.require_project_tag)}</dd>
      <dt>Allowed projects</dt><dd>${c.allowed_projects?.length ? joinList(c.allowed_projects) : "any"}</dd>
      <dt>Secrets and personal data blocked</dt><dd>${yes(c.block_sensitive_content)}</dd>
      <dt>IP allowlist</dt><dd>${team.ip_allowlist?.length ? joinList(team.ip_allowlist) : "anywhere"}</dd>
    </dl>
  `;
}
