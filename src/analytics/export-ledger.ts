// Where an export's summary totals come from, hour by hour: the hourly rollups for the whole UTC hours inside the
// period (so hours whose raw rows retention removed are still counted), raw rows for the partial hours at its
// edges (the whole hour's rollup when its raw rows may be gone), and raw rows only for one keyway key's export
// (rollups do not record the key). The same sources as the analytics answers (./usage-aggregate.ts), so the
// export's totals are theirs.
import type { UsageRollupsRepo, UsageSlice } from "../store/repositories/usage-rollups.ts";
import { HOUR_MS } from "../store/usage-rollup.ts";
import { type ExportType, KEY_SOURCES_OF } from "./export-request.ts";
import type { SummaryAccumulator } from "./export-totals.ts";
import type { Period } from "./periods.ts";

/** What the caller may see: every account, one account, one team of it, or one keyway key's calls. */
export interface ExportScope {
  accountId?: string;
  teamId?: string;
  apiKeyId?: string;
}

/** Which epoch hours of the period are counted from their rollups; every other call is counted from its raw row. */
export interface HourSources {
  /** Epoch hours read from rollups, oldest first. */
  rollupHours: number[];
  fromRollup(createdAt: number): boolean;
}

/**
 * The hour sources of a period. `rawRowsSince`: raw rows older than this (epoch ms) may have been pruned
 * (usage.retention_days), so a partial hour starting before it is read whole from its rollup.
 */
export function hourSources(period: Pick<Period, "from" | "to">, scope: ExportScope, rawRowsSince?: number): HourSources {
  if (scope.apiKeyId !== undefined || period.from >= period.to) return { rollupHours: [], fromRollup: () => false };
  const first = Math.floor(period.from / HOUR_MS);
  const last = Math.ceil(period.to / HOUR_MS); // exclusive
  const rolled = (hour: number) => {
    const whole = hour * HOUR_MS >= period.from && (hour + 1) * HOUR_MS <= period.to;
    return whole || (rawRowsSince !== undefined && hour * HOUR_MS < rawRowsSince);
  };
  const rollupHours: number[] = [];
  for (let hour = first; hour < last; hour++) if (rolled(hour)) rollupHours.push(hour);
  return { rollupHours, fromRollup: (createdAt) => rolled(Math.floor(createdAt / HOUR_MS)) };
}

/** The rollup slice of an export: its account (every account when none), team and the type's key sources. */
export function rollupSlice(scope: ExportScope, type: ExportType): UsageSlice {
  const keySources = KEY_SOURCES_OF[type];
  return {
    ...(scope.accountId === undefined ? {} : { accountId: scope.accountId }),
    ...(scope.teamId === undefined ? {} : { teamId: scope.teamId }),
    ...(keySources === undefined ? {} : { keySources }),
  };
}

/** Adds the rollups of the hours read from rollups, summed per team, provider and model, to the totals; an hour a read. */
export async function addRollupTotals(
  usageRollups: Pick<UsageRollupsRepo, "grouped">,
  slice: UsageSlice,
  hours: HourSources,
  totals: SummaryAccumulator,
): Promise<void> {
  for (const hour of hours.rollupHours) {
    for (const group of await usageRollups.grouped(hour, hour + 1, slice, ["teamId", "provider", "model"])) {
      totals.add(hour, group.provider ?? "", group.model ?? "", group.teamId ?? "", group);
    }
  }
}
