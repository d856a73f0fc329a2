// The billing export as a download (POST /v1/billing/export): type, format and breakdowns for the period chosen on
// the Analytics page; the file the server streams is handed to the browser under the name the server gave it.
import { useState } from "preact/hooks";
import { download } from "../api.ts";
import { html } from "../html.ts";
import { CheckField, SelectField } from "../components/field.ts";
import { ErrorNotice, StatusNotice } from "../components/notice.ts";
import { useSubmit } from "../use-submit.ts";
import { incomplete, type PeriodChoice, periodParams } from "./analytics-query.ts";

const TYPES = [
  { value: "all_usage", label: "Every call" },
  { value: "byok_usage", label: "Calls on your own provider keys (BYOK)" },
  { value: "platform_usage", label: "Calls on platform keys" },
];

const FORMATS = [
  { value: "csv", label: "CSV (spreadsheets)" },
  { value: "json", label: "JSON" },
];

const BREAKDOWNS = ["provider_breakdown", "model_breakdown", "team_breakdown"];

/** Hands a downloaded file to the browser (an object URL on a temporary link). */
function save(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function ExportForm({ choice }: { choice: PeriodChoice }) {
  const [type, setType] = useState("all_usage");
  const [format, setFormat] = useState("csv");
  const [breakdowns, setBreakdowns] = useState(true);
  const [hourly, setHourly] = useState(false);
  const [status, setStatus] = useState<string | undefined>();
  const missing = incomplete(choice);
  const { busy, error, submit } = useSubmit(async () => {
    setStatus(undefined);
    const include = [...(breakdowns ? BREAKDOWNS : []), ...(hourly ? ["hourly_usage"] : [])];
    const file = await download("/v1/billing/export", { method: "POST", body: { type, format, include, ...periodParams(choice) } });
    save(file.blob, file.filename);
    setStatus(`Downloaded ${file.filename}.`);
  });
  return html`
    <form class="panel" onSubmit=${submit} aria-labelledby="export-title">
      <h2 id="export-title">Billing export</h2>
      <p class="muted">One line per call of the period above, then the totals.</p>
      <${SelectField} id="export-type" label="Calls" value=${type} onChange=${setType} options=${TYPES} />
      <${SelectField} id="export-format" label="Format" value=${format} onChange=${setFormat} options=${FORMATS} />
      <${CheckField} id="export-breakdowns" label="Totals by provider, model and team" checked=${breakdowns} onChange=${setBreakdowns} />
      <${CheckField} id="export-hourly" label="Totals by hour" checked=${hourly} onChange=${setHourly} />
      <${ErrorNotice} error=${error} />
      <${StatusNotice} text=${status} />
      <button type="submit" disabled=${busy || missing !== null}>${busy ? "Preparing…" : "Download export"}</button>
    </form>
  `;
}
