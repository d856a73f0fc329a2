// What a firing says: the webhook payload (also kept as the `fired` event's detail) and the e-mail made from it.
// Only ids, the window and figures: no key material, no request content.
import { isoInZone } from "../analytics/periods.ts";
import type { AlertRecord } from "../store/repositories/alerts.ts";
import type { Finding } from "./evaluator.ts";

export interface AlertPayload {
  type: "alert.fired";
  alert: { id: string; type: string };
  account_id: string;
  team_id: string | null;
  firing_id: string;
  window: { from: string; to: string; time_zone: string };
  fired_at: string;
  figures: Record<string, unknown>;
}

export function alertPayload(alert: AlertRecord, firingId: string, finding: Finding, timeZone: string, firedAt: number): AlertPayload {
  return {
    type: "alert.fired",
    alert: { id: alert.id, type: alert.type },
    account_id: alert.accountId,
    team_id: alert.teamId,
    firing_id: firingId,
    window: { from: isoInZone(finding.window.from, timeZone), to: isoInZone(finding.window.to, timeZone), time_zone: timeZone },
    fired_at: new Date(firedAt).toISOString(),
    figures: finding.figures,
  };
}

/** USD with cents, and up to micro-USD where they are not zero: $12.00, $0.05, $0.001234. */
const usd = (value: unknown) => `$${Number(value).toFixed(6).replace(/0{1,4}$/, "")}`;

interface SpikePart {
  observed: number;
  median: number;
  mad: number;
  limit: number;
  exceeded: boolean;
}

/** One line saying what happened, for the subject and the first line of the e-mail. */
export function headline(payload: AlertPayload): string {
  const f = payload.figures;
  if (payload.alert.type === "byok_cost_threshold") {
    const scope = f.provider ? ` on ${String(f.provider)}` : "";
    return `BYOK cost${scope} reached ${usd(f.observed_usd)} (threshold ${usd(f.threshold_usd)}, ${String(f.period)})`;
  }
  if (f.reason === "new_provider") return `BYOK calls to a provider never used before: ${String(f.provider)} (model ${String(f.model)})`;
  if (f.reason === "new_model") return `BYOK calls to a model never used before: ${String(f.provider)}/${String(f.model)}`;
  const requests = f.requests as SpikePart;
  const cost = f.cost_usd as SpikePart;
  const parts = [
    ...(requests.exceeded ? [`${requests.observed} requests (usual ${requests.median})`] : []),
    ...(cost.exceeded ? [`${usd(cost.observed)} (usual ${usd(cost.median)})`] : []),
  ];
  return `Unusual BYOK usage in one hour: ${parts.join(", ")}`;
}

/** A plain-text e-mail: subject and body with the figures. */
export function alertEmail(payload: AlertPayload): { subject: string; text: string } {
  const lines = [
    headline(payload),
    "",
    `Alert:    ${payload.alert.id} (${payload.alert.type})`,
    `Account:  ${payload.account_id}${payload.team_id ? `, team ${payload.team_id}` : ""}`,
    `Window:   ${payload.window.from} to ${payload.window.to} (${payload.window.time_zone})`,
    `Fired at: ${payload.fired_at}`,
    "",
    "Figures:",
    ...Object.entries(payload.figures).map(([name, value]) => `  ${name}: ${typeof value === "object" && value !== null ? JSON.stringify(value) : String(value)}`),
    "",
    `This firing is ${payload.firing_id} in GET /v1/alerts/events.`,
  ];
  return { subject: `[keyway] ${headline(payload)}`, text: `${lines.join("\n")}\n` };
}
