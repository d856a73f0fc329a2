// Providers and health (GET /v1/providers/health): status, p50/p95 latency, success rate, rate-limit headroom and
// issues per provider; the auto-disable settings, changed through POST /v1/providers/health-check by the operator only.
import { useEffect, useState } from "preact/hooks";
import { api } from "../api.ts";
import { html } from "../html.ts";
import { CheckField, TextField } from "../components/field.ts";
import { ErrorNotice, Loading, StatusNotice } from "../components/notice.ts";
import { Table } from "../components/table.ts";
import { count, ms, percent } from "../format.ts";
import { can } from "../session.ts";
import { useLoad } from "../use-load.ts";
import type { Page, PageProps } from "./page.ts";

interface ProviderHealth {
  name: string;
  status: string;
  latency_ms: number | null;
  latency_p95_ms: number | null;
  success_rate: number | null;
  rate_limit_remaining: number | null;
  requests: number;
  issues: string[];
  disabled_since?: string;
}

interface HealthSettings {
  auto_disable: boolean;
  health_threshold: number;
  latency_threshold: number;
  check_interval: number;
}

interface HealthAnswer {
  providers: ProviderHealth[];
  settings: HealthSettings;
  window_seconds: number;
}

function SettingsForm({ settings, saved }: { settings: HealthSettings; saved: () => void }) {
  const [draft, setDraft] = useState({
    auto_disable: settings.auto_disable,
    health_threshold: String(settings.health_threshold),
    latency_threshold: String(settings.latency_threshold),
    check_interval: String(settings.check_interval),
  });
  const [error, setError] = useState<Error | undefined>();
  const [status, setStatus] = useState<string | undefined>();
  useEffect(() => setStatus(undefined), [draft]);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      await api("/v1/providers/health-check", {
        method: "POST",
        body: {
          auto_disable: draft.auto_disable,
          health_threshold: Number(draft.health_threshold),
          latency_threshold: Number(draft.latency_threshold),
          check_interval: Number(draft.check_interval),
        },
      });
      setStatus("Settings saved (until the gateway restarts).");
      saved();
    } catch (failure) {
      setError(failure as Error);
    }
  };
  return html`
    <form class="panel" onSubmit=${submit} aria-labelledby="auto-disable-title">
      <h2 id="auto-disable-title">Auto-disable</h2>
      <${CheckField} id="auto-disable" label="Skip a provider whose success rate falls under the threshold" checked=${draft.auto_disable} onChange=${(v: boolean) => setDraft({ ...draft, auto_disable: v })} />
      <${TextField} id="health-threshold" label="Minimum success rate (%)" type="number" min=${0} value=${draft.health_threshold} onInput=${(v: string) => setDraft({ ...draft, health_threshold: v })} />
      <${TextField} id="latency-threshold" label="Degraded above p50 latency (ms)" type="number" min=${1} value=${draft.latency_threshold} onInput=${(v: string) => setDraft({ ...draft, latency_threshold: v })} />
      <${TextField} id="check-interval" label="Seconds between probes of a disabled provider" type="number" min=${1} value=${draft.check_interval} onInput=${(v: string) => setDraft({ ...draft, check_interval: v })} />
      <${ErrorNotice} error=${error} />
      <${StatusNotice} text=${status} />
      <button type="submit">Save settings</button>
    </form>
  `;
}

function Providers({ session }: PageProps) {
  const health = useLoad(() => api<HealthAnswer>("/v1/providers/health"));
  const data = health.data;
  return html`
    <h1 tabindex="-1">Providers and health</h1>
    <${ErrorNotice} error=${health.error} />
    ${!data && health.loading ? html`<${Loading} what="provider health" />` : null}
    ${data
      ? html`
          <${Table}
            caption=${`Over the last ${Math.round(data.window_seconds / 60)} minutes`}
            rowKey=${(p: ProviderHealth) => p.name}
            rows=${data.providers}
            empty="No providers are configured."
            columns=${[
              { label: "Provider", cell: (p: ProviderHealth) => p.name },
              { label: "Status", cell: (p: ProviderHealth) => html`<span class=${`status status-${p.status}`}>${p.status}</span>` },
              { label: "p50 latency", cell: (p: ProviderHealth) => ms(p.latency_ms), numeric: true },
              { label: "p95 latency", cell: (p: ProviderHealth) => ms(p.latency_p95_ms), numeric: true },
              { label: "Success rate", cell: (p: ProviderHealth) => percent(p.success_rate), numeric: true },
              { label: "Rate limit left", cell: (p: ProviderHealth) => count(p.rate_limit_remaining), numeric: true },
              { label: "Requests", cell: (p: ProviderHealth) => count(p.requests), numeric: true },
              { label: "Issues", cell: (p: ProviderHealth) => (p.issues.length === 0 ? "none" : html`<ul class="issues">${p.issues.map((i) => html`<li>${i}</li>`)}</ul>`) },
            ]}
          />
          ${can(session, "provider_health.configure")
            ? html`<${SettingsForm} settings=${data.settings} saved=${health.reload} />`
            : html`<p class="muted" id="auto-disable-readonly">
                Auto-disable is ${data.settings.auto_disable ? "on" : "off"} (success rate under ${data.settings.health_threshold}%, p50 over
                ${ms(data.settings.latency_threshold)}); only the operator's admin key changes it.
              </p>`}
        `
      : null}
  `;
}

export const providersPage: Page = { path: "/providers", title: "Providers", needs: "provider_health.read", component: Providers };
