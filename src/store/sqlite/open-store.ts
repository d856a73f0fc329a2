// The SQLite driver: every repository over one bun:sqlite database (WAL), migrated at start-up.
import type { Store } from "../store.ts";
import { accountsRepo } from "./accounts-repo.ts";
import { alertsRepo } from "./alerts-repo.ts";
import { apiKeysRepo } from "./api-keys-repo.ts";
import { approvalsRepo } from "./approvals-repo.ts";
import { auditRepo } from "./audit-repo.ts";
import { creditReservationsRepo } from "./credit-reservations-repo.ts";
import { dashboardSessionsRepo } from "./dashboard-sessions-repo.ts";
import { openDatabase } from "./database.ts";
import { gatewayLeasesRepo } from "./gateway-leases-repo.ts";
import { jobLeasesRepo } from "./job-leases-repo.ts";
import { providerKeysRepo } from "./provider-keys-repo.ts";
import { requestLogsRepo } from "./request-logs-repo.ts";
import { rotationSchedulesRepo } from "./rotation-schedules-repo.ts";
import { settingsRepo } from "./settings-repo.ts";
import { teamsRepo } from "./teams-repo.ts";
import { usageRepo } from "./usage-repo.ts";
import { usageRollupsRepo } from "./usage-rollups-repo.ts";
import { type WalFlusher, walFlusher } from "./wal-flusher.ts";

/** A repository whose batch inserts are followed by a background sync of the WAL (see wal-flusher.ts). */
function flushedAfterInserts<R extends { insertMany(rows: never[]): Promise<void> }>(repo: R, flusher: WalFlusher | undefined): R {
  if (!flusher) return repo;
  const insertMany = repo.insertMany;
  return {
    ...repo,
    async insertMany(rows: Parameters<R["insertMany"]>[0]) {
      await insertMany(rows);
      flusher.wrote();
    },
  };
}

export function openStore(path: string): Store {
  const opened = openDatabase(path);
  // The tables written on every call (usage rows, key-use audit rows, team request logs) have their WAL pages
  // written to disk in the background, which keeps SQLite's checkpoints short.
  const flusher = path === ":memory:" ? undefined : walFlusher(`${path}-wal`);
  return {
    accounts: accountsRepo(opened.db),
    creditReservations: creditReservationsRepo(opened.db),
    apiKeys: apiKeysRepo(opened.db),
    settings: settingsRepo(opened.db),
    usage: flushedAfterInserts(usageRepo(opened.db), flusher),
    usageRollups: usageRollupsRepo(opened.db),
    providerKeys: providerKeysRepo(opened.db),
    audit: flushedAfterInserts(auditRepo(opened.db), flusher),
    rotationSchedules: rotationSchedulesRepo(opened.db),
    teams: teamsRepo(opened.db),
    approvals: approvalsRepo(opened.db),
    requestLogs: flushedAfterInserts(requestLogsRepo(opened.db), flusher),
    gatewayLeases: gatewayLeasesRepo(opened.db),
    jobLeases: jobLeasesRepo(opened.db),
    dashboardSessions: dashboardSessionsRepo(opened.db),
    alerts: alertsRepo(opened.db),
    async ping(): Promise<boolean> {
      try {
        opened.sqlite.query("SELECT 1").get();
        return true;
      } catch {
        return false;
      }
    },
    close() {
      flusher?.close();
      opened.close();
    },
  };
}
