// The summary sections of an export (provider, model, team and hourly totals, and the grand total), accumulated in
// integer units (micro-USD, tokens, ms) from raw rows and hourly rollups alike; memory grows with the number of
// distinct providers, models, teams and hours, never with the number of calls.
import type { StoredUsage } from "../store/repositories/usage.ts";
import type { UsageRollup, UsageSums } from "../store/repositories/usage-rollups.ts";
import { addSums, emptySums } from "../store/usage-groups.ts";
import { HOUR_MS } from "../store/usage-rollup.ts";

/** A summary line's totals (the rollups' sums, without the histogram). */
export type UsageTotals = UsageSums;

/** One line of a summary section: what it totals (a provider, a model, a team or an hour) and the totals. */
export interface SummaryLine {
  provider?: string | null;
  model?: string | null;
  teamId?: string | null;
  /** Start of the UTC hour, epoch ms (hourly lines). */
  hour?: number;
  totals: UsageTotals;
}

export interface ExportSummary {
  byProvider: SummaryLine[];
  byModel: SummaryLine[];
  byTeam: SummaryLine[];
  byHour: SummaryLine[];
  total: UsageTotals;
}


/** Average latency of the lines' calls, whole ms (0 for no calls). */
export function averageLatencyMs(totals: UsageTotals): number {
  return totals.requests === 0 ? 0 : Math.round(totals.latencyMsSum / totals.requests);
}

export class SummaryAccumulator {
  private readonly providers = new Map<string, UsageTotals>();
  private readonly models = new Map<string, UsageTotals>();
  private readonly teams = new Map<string, UsageTotals>();
  private readonly hours = new Map<number, UsageTotals>();
  private readonly total = emptySums();

  private into<K>(map: Map<K, UsageTotals>, key: K, totals: UsageTotals): void {
    let entry = map.get(key);
    if (entry === undefined) map.set(key, (entry = emptySums()));
    addSums(entry, totals);
  }

  /** Adds totals under their provider, model (of its provider), team and hour ('' for an absent provider, model or team). */
  add(hour: number, provider: string, model: string, teamId: string, totals: UsageTotals): void {
    this.into(this.providers, provider, totals);
    this.into(this.models, `${provider}\u0000${model}`, totals);
    this.into(this.teams, teamId, totals);
    this.into(this.hours, hour, totals);
    addSums(this.total, totals);
  }

  addRow(row: StoredUsage): void {
    this.add(Math.floor(row.createdAt / HOUR_MS), row.provider ?? "", row.model ?? "", row.teamId ?? "", {
      requests: 1,
      errors: row.status >= 400 ? 1 : 0,
      inputTokens: row.inputTokens,
      outputTokens: row.outputTokens,
      costMicros: row.costMicros,
      listCostMicros: row.estimatedCostMicros,
      latencyMsSum: row.latencyMs,
    });
  }

  addRollup(rollup: UsageRollup): void {
    this.add(rollup.hour, rollup.provider, rollup.model, rollup.teamId, rollup);
  }

  /**
   * The sections, each sorted by what it totals (models by provider then model; hours oldest first); '' becomes
   * null (no provider, model, team).
   */
  summary(): ExportSummary {
    const lines = <K>(map: Map<K, UsageTotals>, line: (key: K) => Omit<SummaryLine, "totals">) =>
      [...map.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, totals]) => ({ ...line(key), totals }));
    const orNull = (text: string) => (text === "" ? null : text);
    return {
      byProvider: lines(this.providers, (provider) => ({ provider: orNull(provider) })),
      byModel: lines(this.models, (key) => {
        const [provider = "", model = ""] = key.split("\u0000");
        return { provider: orNull(provider), model: orNull(model) };
      }),
      byTeam: lines(this.teams, (teamId) => ({ teamId: orNull(teamId) })),
      byHour: lines(this.hours, (hour) => ({ hour: hour * HOUR_MS })),
      total: { ...this.total },
    };
  }
}
