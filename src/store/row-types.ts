// Compile-time proof that each table of a driver's schema reads and writes exactly the rows of its repository contract
// (./repositories/): a column added, removed or retyped on one side and not the other fails `tsc`. Each driver checks
// its own schema module against it (sqlite/row-types.ts, postgres/row-types.ts).
import type { Account } from "./repositories/accounts.ts";
import type { AlertEventRecord, AlertFiring, AlertRecord } from "./repositories/alerts.ts";
import type { ApiKeyRecord, NewApiKeyRecord } from "./repositories/api-keys.ts";
import type { ApprovalRecord } from "./repositories/approvals.ts";
import type { AuditEvent, StoredAuditEvent } from "./repositories/audit.ts";
import type { CreditReservation } from "./repositories/credit-reservations.ts";
import type { DashboardSession } from "./repositories/dashboard-sessions.ts";
import type { GatewayLease } from "./repositories/gateway-leases.ts";
import type { JobLease } from "./repositories/job-leases.ts";
import type { ProviderKeyRecord } from "./repositories/provider-keys.ts";
import type { RequestLog, StoredRequestLog } from "./repositories/request-logs.ts";
import type { RotationSchedule } from "./repositories/rotation-schedules.ts";
import type { Setting } from "./repositories/settings.ts";
import type { TeamMemberRecord, TeamRecord } from "./repositories/teams.ts";
import type { StoredUsage, UsageRecord } from "./repositories/usage.ts";
import type { UsageRollup } from "./repositories/usage-rollups.ts";

/** True only when each type is assignable to the other: same keys, same optionality, same value types. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** A table as drizzle types it, whatever the dialect. */
interface TypedTable {
  $inferSelect: object;
  $inferInsert: object;
}

/** The tables a driver's schema module must hold (the same export names in every dialect). */
export type SchemaTables = Record<
  | "accounts" | "apiKeys" | "approvals" | "auditEvents" | "creditReservations" | "gatewayLeases" | "jobLeases" | "providerKeys"
  | "requestLogs" | "rotationSchedules" | "settings" | "teams" | "teamMembers" | "usageRecords" | "usageRollups" | "usageRollupsDaily"
  | "alerts" | "alertFirings" | "alertEvents" | "dashboardSessions",
  TypedTable
>;

/** One entry per table (and insert shape): each is `true` only when the driver's row is exactly the contract's. */
export type RowTypesMatch<schema extends SchemaTables> = [
  Same<schema["accounts"]["$inferSelect"], Account>,
  Same<schema["apiKeys"]["$inferSelect"], ApiKeyRecord>,
  Same<schema["apiKeys"]["$inferInsert"], NewApiKeyRecord>,
  Same<schema["approvals"]["$inferSelect"], ApprovalRecord>,
  Same<schema["auditEvents"]["$inferSelect"], StoredAuditEvent>,
  Same<schema["auditEvents"]["$inferInsert"], AuditEvent>,
  Same<schema["creditReservations"]["$inferSelect"], CreditReservation>,
  Same<schema["gatewayLeases"]["$inferSelect"], GatewayLease>,
  Same<schema["jobLeases"]["$inferSelect"], JobLease>,
  Same<schema["providerKeys"]["$inferSelect"], ProviderKeyRecord>,
  Same<schema["requestLogs"]["$inferSelect"], StoredRequestLog>,
  Same<schema["requestLogs"]["$inferInsert"], RequestLog>,
  Same<schema["rotationSchedules"]["$inferSelect"], RotationSchedule>,
  Same<schema["settings"]["$inferSelect"], Setting>,
  Same<schema["teams"]["$inferSelect"], TeamRecord>,
  Same<schema["teamMembers"]["$inferSelect"], TeamMemberRecord>,
  Same<schema["usageRecords"]["$inferSelect"], StoredUsage>,
  Same<schema["usageRecords"]["$inferInsert"], UsageRecord>,
  // The histogram is an array in the contract and one column per bucket here.
  Same<Omit<schema["usageRollups"]["$inferSelect"], `latencyBucket${number}`>, Omit<UsageRollup, "latencyHistogram">>,
  Same<Omit<schema["usageRollupsDaily"]["$inferSelect"], `latencyBucket${number}` | "day">, Omit<UsageRollup, "latencyHistogram" | "hour">>,
  Same<schema["alerts"]["$inferSelect"], AlertRecord>,
  Same<schema["alertFirings"]["$inferSelect"], AlertFiring>,
  Same<schema["alertEvents"]["$inferSelect"], AlertEventRecord>,
  Same<schema["dashboardSessions"]["$inferSelect"], DashboardSession>,
];

