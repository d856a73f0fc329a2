// Stored provider keys (GET /v1/providers): hints only, never a key. Add one (POST /v1/providers/keys; typed into a
// password field and cleared once sent), rotate it immediately or gradually (POST /v1/providers/keys/rotate), remove it.
import { useState } from "preact/hooks";
import { api } from "../api.ts";
import { html } from "../html.ts";
import { CheckField, SelectField, TextField } from "../components/field.ts";
import { ErrorNotice, Loading, StatusNotice } from "../components/notice.ts";
import { type Column, Table } from "../components/table.ts";
import { when } from "../format.ts";
import { can } from "../session.ts";
import { useLoad } from "../use-load.ts";
import { useSubmit } from "../use-submit.ts";
import type { Page, PageProps } from "./page.ts";

interface StoredKey {
  id: string;
  provider: string;
  label: string | null;
  hint: string;
  environment: string | null;
  status: string;
  created_at: string;
  age_days: number;
  retire_at: string | null;
  rotation_due: boolean;
}

interface Provider {
  name: string;
  status: string;
  keys: StoredKey[];
}

function AddKey({ providers, added }: { providers: string[]; added: (message: string) => void }) {
  const [provider, setProvider] = useState(providers[0] ?? "");
  const [label, setLabel] = useState("");
  const [environment, setEnvironment] = useState("");
  const [secret, setSecret] = useState("");
  const { busy, error, submit } = useSubmit(async () => {
    const apiKey = secret;
    setSecret("");
    const answer = await api<{ providers: StoredKey[] }>("/v1/providers/keys", {
      method: "POST",
      body: { providers: [{ name: provider, api_key: apiKey, label: label || undefined, environment: environment || undefined }] },
    });
    setLabel("");
    setEnvironment("");
    added(`Stored a ${provider} key ending ${answer.providers[0]?.hint ?? ""}.`);
  });
  return html`
    <form class="panel" onSubmit=${submit} aria-labelledby="add-key-title">
      <h2 id="add-key-title">Add a key</h2>
      <${SelectField} id="add-provider" label="Provider" value=${provider} onChange=${setProvider} options=${providers.map((p) => ({ value: p, label: p }))} />
      <${TextField} id="add-secret" label="Provider key" type="password" autocomplete="new-password" required=${true} value=${secret} onInput=${setSecret} hint="Sent once, encrypted at rest; only its last four characters are ever shown." />
      <${TextField} id="add-label" label="Label (optional)" value=${label} onInput=${setLabel} />
      <${TextField} id="add-environment" label="Environment (optional)" value=${environment} onInput=${setEnvironment} />
      <${ErrorNotice} error=${error} />
      <button type="submit" disabled=${busy}>Store key</button>
    </form>
  `;
}

function RotateKey({ target, done, cancel }: { target: StoredKey; done: (message: string) => void; cancel: () => void }) {
  const [secret, setSecret] = useState("");
  const [strategy, setStrategy] = useState("immediate");
  const [grace, setGrace] = useState("60");
  const [testFirst, setTestFirst] = useState(true);
  // Rotated, the form closes: the button stays disabled until then.
  const { busy, error, submit } = useSubmit(
    async () => {
      const newKey = secret;
      setSecret("");
      await api("/v1/providers/keys/rotate", {
        method: "POST",
        body: {
          provider: target.provider,
          key_id: target.id,
          new_api_key: newKey,
          rotation_strategy: strategy,
          grace_period_minutes: strategy === "gradual" ? Number(grace) : undefined,
          test_before_switch: testFirst,
        },
      });
      done(`Rotated the ${target.provider} key ${target.hint} (${strategy}).`);
    },
    { keepBusy: true },
  );
  return html`
    <form class="panel" onSubmit=${submit} aria-labelledby="rotate-title">
      <h2 id="rotate-title">Rotate the ${target.provider} key ${target.hint}</h2>
      <${TextField} id="rotate-secret" label="New provider key" type="password" autocomplete="new-password" required=${true} value=${secret} onInput=${setSecret} />
      <${SelectField}
        id="rotate-strategy"
        label="Switch"
        value=${strategy}
        onChange=${setStrategy}
        options=${[
          { value: "immediate", label: "Immediately (the old key is retired now)" },
          { value: "gradual", label: "Gradually (the old key keeps serving during a grace period)" },
        ]}
      />
      ${strategy === "gradual" ? html`<${TextField} id="rotate-grace" label="Grace period (minutes)" type="number" min=${1} value=${grace} onInput=${setGrace} />` : null}
      <${CheckField} id="rotate-test" label="Test the new key with the provider before switching" checked=${testFirst} onChange=${setTestFirst} />
      <${ErrorNotice} error=${error} />
      <div class="actions">
        <button type="submit" disabled=${busy}>Rotate</button>
        <button type="button" class="secondary" onClick=${cancel}>Cancel</button>
      </div>
    </form>
  `;
}

function RemoveButton({ target, removed, failed }: { target: StoredKey; removed: (message: string) => void; failed: (error: Error) => void }) {
  const [confirming, setConfirming] = useState(false);
  const remove = async () => {
    try {
      await api(`/v1/providers/keys/${encodeURIComponent(target.id)}`, { method: "DELETE" });
      removed(`Removed the ${target.provider} key ${target.hint}.`);
    } catch (failure) {
      failed(failure as Error);
    }
  };
  if (!confirming) return html`<button type="button" class="secondary" onClick=${() => setConfirming(true)} aria-label=${`Remove ${target.provider} key ${target.hint}`}>Remove</button>`;
  return html`
    <span class="confirm">
      <button type="button" class="danger" onClick=${remove} aria-label=${`Confirm removing ${target.provider} key ${target.hint}`}>Confirm remove</button>
      <button type="button" class="secondary" onClick=${() => setConfirming(false)}>Keep</button>
    </span>
  `;
}

function StoredKeys({ session }: PageProps) {
  const providers = useLoad(() => api<{ providers: Provider[] }>("/v1/providers"));
  const [rotating, setRotating] = useState<StoredKey | undefined>();
  const [status, setStatus] = useState<string | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const changed = (message: string) => {
    setRotating(undefined);
    setError(undefined);
    setStatus(message);
    providers.reload();
  };
  const keys = (providers.data?.providers ?? []).flatMap((p) => p.keys);
  const mayRotate = can(session, "provider_keys.rotate");
  const mayRemove = can(session, "provider_keys.remove");
  const columns: Column<StoredKey>[] = [
    { label: "Provider", cell: (k: StoredKey) => k.provider },
    { label: "Label", cell: (k: StoredKey) => k.label ?? "–" },
    { label: "Key", cell: (k: StoredKey) => html`<code class="hint">${k.hint}</code>` },
    { label: "Environment", cell: (k: StoredKey) => k.environment ?? "–" },
    { label: "Status", cell: (k: StoredKey) => html`<span class=${`status status-${k.status}`}>${k.status}${k.retire_at ? ` until ${when(k.retire_at)}` : ""}</span>` },
    { label: "Age (days)", cell: (k: StoredKey) => `${k.age_days}${k.rotation_due ? " (rotation due)" : ""}`, numeric: true },
  ];
  if (mayRotate || mayRemove) {
    columns.push({
      label: "Actions",
      cell: (k: StoredKey) => html`
        <span class="actions">
          ${mayRotate && k.status === "active" ? html`<button type="button" onClick=${() => setRotating(k)} aria-label=${`Rotate ${k.provider} key ${k.hint}`}>Rotate</button>` : null}
          ${mayRemove ? html`<${RemoveButton} target=${k} removed=${changed} failed=${setError} />` : null}
        </span>
      `,
    });
  }
  return html`
    <h1 tabindex="-1">Stored keys</h1>
    <${StatusNotice} text=${status} />
    <${ErrorNotice} error=${providers.error ?? error} />
    ${!providers.data && providers.loading ? html`<${Loading} what="stored keys" />` : null}
    <${Table} caption="Provider keys stored in keyway (hints only)" rowKey=${(k: StoredKey) => k.id} rows=${keys} empty="No keys are stored yet." columns=${columns} />
    ${rotating ? html`<${RotateKey} key=${rotating.id} target=${rotating} done=${changed} cancel=${() => setRotating(undefined)} />` : null}
    ${can(session, "provider_keys.store") && providers.data
      ? html`<${AddKey} providers=${providers.data.providers.map((p) => p.name)} added=${changed} />`
      : null}
  `;
}

export const storedKeysPage: Page = { path: "/keys", title: "Stored keys", needs: "provider_keys.list", component: StoredKeys };
