// The store contract: every repository over one database, whatever the driver. Callers see only async methods.
import type { AccountsRepo } from "./repositories/accounts.ts";
import type { AlertsRepo } from "./repositories/alerts.ts";
import type { ApiKeysRepo } from "./repositories/api-keys.ts";
import type { ApprovalsRepo } from "./repositories/approvals.ts";
import type { AuditRepo } from "./repositories/audit.ts";
import type { CreditReservationsRepo } from "./repositories/credit-reservations.ts";
import type { DashboardSessionsRepo } from "./repositories/dashboard-sessions.ts";
import type { GatewayLeasesRepo } from "./repositories/gateway-leases.ts";
import type { JobLeasesRepo } from "./repositories/job-leases.ts";
import type { ProviderKeysRepo } from "./repositories/provider-keys.ts";
import type { RequestLogsRepo } from "./repositories/request-logs.ts";
import type { RotationSchedulesRepo } from "./repositories/rotation-schedules.ts";
import type { SettingsRepo } from "./repositories/settings.ts";
import type { TeamsRepo } from "./repositories/teams.ts";
import type { UsageRepo } from "./repositories/usage.ts";
import type { UsageRollupsRepo } from "./repositories/usage-rollups.ts";

export interface Store {
  accounts: AccountsRepo;
  creditReservations: CreditReservationsRepo;
  apiKeys: ApiKeysRepo;
  settings: SettingsRepo;
  usage: UsageRepo;
  usageRollups: UsageRollupsRepo;
  providerKeys: ProviderKeysRepo;
  audit: AuditRepo;
  rotationSchedules: RotationSchedulesRepo;
  teams: TeamsRepo;
  approvals: ApprovalsRepo;
  requestLogs: RequestLogsRepo;
  gatewayLeases: GatewayLeasesRepo;
  jobLeases: JobLeasesRepo;
  alerts: AlertsRepo;
  /** Dashboard sign-ins (cookie digest, key, CSRF token, expiry). */
  dashboardSessions: DashboardSessionsRepo;
  /** Readiness: the database answers a query. */
  ping(): Promise<boolean>;
  close(): void;
}
