// The Postgres driver: every repository over one connection pool (Bun's SQL client under drizzle), migrated at
// start-up under an advisory lock unless told not to.
import type { Store } from "../store.ts";
import { accountsRepo } from "./accounts-repo.ts";
import { alertsRepo } from "./alerts-repo.ts";
import { apiKeysRepo } from "./api-keys-repo.ts";
import { approvalsRepo } from "./approvals-repo.ts";
import { auditRepo } from "./audit-repo.ts";
import { creditReservationsRepo } from "./credit-reservations-repo.ts";
import { dashboardSessionsRepo } from "./dashboard-sessions-repo.ts";
import { applyPostgresMigrations, drizzleOver, openPool, pendingPostgresMigrations, type PostgresOptions } from "./database.ts";
import { gatewayLeasesRepo } from "./gateway-leases-repo.ts";
import { jobLeasesRepo } from "./job-leases-repo.ts";
import { providerKeysRepo } from "./provider-keys-repo.ts";
import { requestLogsRepo } from "./request-logs-repo.ts";
import { rotationSchedulesRepo } from "./rotation-schedules-repo.ts";
import { settingsRepo } from "./settings-repo.ts";
import { teamsRepo } from "./teams-repo.ts";
import { usageRepo } from "./usage-repo.ts";
import { usageRollupsRepo } from "./usage-rollups-repo.ts";

export interface OpenPostgresOptions extends PostgresOptions {
  /** Apply pending migrations at open (default); when false, refuse to open a database that lacks some. */
  migrate?: boolean;
}

export async function openPostgresStore(options: OpenPostgresOptions): Promise<Store> {
  const sql = openPool(options);
  try {
    if (options.migrate === false) {
      const pending = await pendingPostgresMigrations(sql);
      if (pending.length > 0) throw new Error(`the database lacks migrations ${pending.join(", ")}; run \`keyway migrate\``);
    } else {
      await applyPostgresMigrations(sql);
    }
  } catch (error) {
    await sql.close();
    throw error;
  }
  const db = drizzleOver(sql);
  return {
    accounts: accountsRepo(db, sql),
    creditReservations: creditReservationsRepo(db, sql),
    apiKeys: apiKeysRepo(db, sql),
    settings: settingsRepo(db, sql),
    usage: usageRepo(db, sql),
    usageRollups: usageRollupsRepo(db, sql),
    providerKeys: providerKeysRepo(db, sql),
    audit: auditRepo(db, sql),
    rotationSchedules: rotationSchedulesRepo(db, sql),
    teams: teamsRepo(db, sql),
    approvals: approvalsRepo(db, sql),
    requestLogs: requestLogsRepo(db, sql),
    gatewayLeases: gatewayLeasesRepo(db, sql),
    jobLeases: jobLeasesRepo(db, sql),
    dashboardSessions: dashboardSessionsRepo(db),
    alerts: alertsRepo(db, sql),
    async ping(): Promise<boolean> {
      try {
        await sql`SELECT 1`;
        return true;
      } catch {
        return false;
      }
    },
    close() {
      void sql.close();
    },
  };
}
