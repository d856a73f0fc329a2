// What the Analytics page asks /v1/analytics/usage for: the period (named, or custom local dates), the group, and
// the time bucket its chart is drawn by (hours for a day or two, days beyond); and how a group entry is named.

export const PERIODS = [
  { value: "today", label: "Today" },
  { value: "last_7_days", label: "Last 7 days" },
  { value: "current_month", label: "This month" },
  { value: "last_30_days", label: "Last 30 days" },
  { value: "last_quarter", label: "Last quarter" },
  { value: "custom", label: "Custom dates" },
];

export const GROUPS = [
  { value: "provider", label: "Provider" },
  { value: "model", label: "Model" },
  { value: "team", label: "Team" },
  { value: "project", label: "Project" },
  { value: "key_source", label: "Key source" },
];

export interface PeriodChoice {
  period: string;
  /** Local dates (YYYY-MM-DD), with `custom`. */
  from: string;
  to: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Why the choice cannot be asked yet (a custom period without both dates), or null. */
export function incomplete(choice: PeriodChoice): string | null {
  if (choice.period !== "custom") return null;
  if (!DATE.test(choice.from) || !DATE.test(choice.to)) return "Choose the first and the last day of the custom period.";
  return null;
}

/** The period's query parameters (shared by the analytics call and the export's body). */
export function periodParams(choice: PeriodChoice): Record<string, string> {
  return choice.period === "custom" ? { period: "custom", from: choice.from, to: choice.to } : { period: choice.period };
}

/** Hours for today and custom periods of up to two days; days otherwise. */
export function bucketFor(choice: PeriodChoice): "hour" | "day" {
  if (choice.period === "today") return "hour";
  if (choice.period !== "custom") return "day";
  const days = (Date.parse(choice.to) - Date.parse(choice.from)) / 86_400_000 + 1;
  return days <= 2 ? "hour" : "day";
}

/** A group entry of an answer (by_provider, by_model, ...), with its figures. */
export interface Entry {
  name: string | null;
  provider?: string | null;
  team_id?: string | null;
  requests: number;
  estimated_cost: number;
  cost?: number;
  input_tokens: number;
  output_tokens: number;
  avg_latency_ms: number | null;
  p95_latency_ms: number | null;
  error_rate: number;
}

/** One stable key per entry of a group (a model with its provider, a team by id). */
export function entryKey(group: string, entry: Entry): string {
  if (group === "model") return `${entry.provider ?? ""}/${entry.name ?? ""}`;
  if (group === "team") return entry.team_id ?? "";
  return entry.name ?? "";
}

/** How an entry is named on the page: calls without the value are "(none)", a team by its name. */
export function entryLabel(group: string, entry: Entry): string {
  if (group === "model") return entry.name === null ? "(none)" : `${entry.provider ?? "?"}/${entry.name}`;
  if (group === "team") return entry.team_id === null || entry.team_id === undefined ? "(no team)" : (entry.name ?? entry.team_id);
  return entry.name ?? "(none)";
}
