// The rollup conditions both drivers' alert repositories filter with, over each driver's own columns (drizzle's operators
// build the same SQL for SQLite and Postgres).
import { type Column, eq, gte, inArray, lt, type SQL } from "drizzle-orm";
import { BYOK_KEY_SOURCES, type FigureFilter } from "./repositories/alerts.ts";


export interface RollupColumns {
  accountId: Column;
  hour: Column;
  keySource: Column;
  teamId: Column;
  provider: Column;
}

/** An account's BYOK rollups over [fromHour, toHour), optionally one team's or provider's. */
export function byokRollupConditions(rollups: RollupColumns, accountId: string, fromHour: number, toHour: number, filter: FigureFilter = {}): SQL[] {
  const conditions: SQL[] = [
    eq(rollups.accountId, accountId),
    gte(rollups.hour, fromHour),
    lt(rollups.hour, toHour),
    inArray(rollups.keySource, [...BYOK_KEY_SOURCES]),
  ];
  if (filter.teamId !== undefined) conditions.push(eq(rollups.teamId, filter.teamId));
  if (filter.provider !== undefined) conditions.push(eq(rollups.provider, filter.provider));
  return conditions;
}
