// Messages about what just happened: errors are announced at once (role=alert), the rest politely (role=status).
import { html } from "../html.ts";

export function ErrorNotice({ error }: { error: Error | undefined | null }) {
  if (!error) return null;
  return html`<p class="notice error" role="alert">${error.message}</p>`;
}

export function StatusNotice({ text }: { text: string | undefined | null }) {
  return html`<p class="notice ok" role="status">${text ?? ""}</p>`;
}

export function Loading({ what }: { what: string }) {
  return html`<p class="loading" role="status">Loading ${what}…</p>`;
}
