// Compile-time proof that each table here reads and writes exactly the rows of its repository contract
// (../repositories/): a column added, removed or retyped on one side and not the other fails `tsc`.
import type { Account } from "../repositories/accounts.ts";
import type { AlertEventRecord, AlertFiring, AlertRecord } from "../repositories/alerts.ts";
import type { ApiKeyRecord, NewApiKeyRecord } from "../repositories/api-keys.ts";
import type { ApprovalRecord } from "../repositories/approvals.ts";
import type { AuditEvent, StoredAuditEvent } from "../repositories/audit.ts";
import type { CreditReservation } from "../repositories/credit-reservations.ts";
import type { GatewayLease } from "../repositories/gateway-leases.ts";
import type { JobLease } from "../repositories/job-leases.ts";
import type { ProviderKeyRecord } from "../repositories/provider-keys.ts";
import type { RequestLog, StoredRequestLog } from "../repositories/request-logs.ts";
import type { RotationSchedule } from "../repositories/rotation-schedules.ts";
import type { Setting } from "../repositories/settings.ts";
import type { TeamMemberRecord, TeamRecord } from "../repositories/teams.ts";
import type { StoredUsage, UsageRecord } from "../repositories/usage.ts";
import type { UsageRollup } from "../repositories/usage-rollups.ts";
import type * as schema from "./schema.ts";

/** True only when each type is assignable to the other: same keys, same optionality, same value types. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export type RowTypesMatch = [
  Same<typeof schema.accounts.$inferSelect, Account>,
  Same<typeof schema.apiKeys.$inferSelect, ApiKeyRecord>,
  Same<typeof schema.apiKeys.$inferInsert, NewApiKeyRecord>,
  Same<typeof schema.approvals.$inferSelect, ApprovalRecord>,
  Same<typeof schema.auditEvents.$inferSelect, StoredAuditEvent>,
  Same<typeof schema.auditEvents.$inferInsert, AuditEvent>,
  Same<typeof schema.creditReservations.$inferSelect, CreditReservation>,
  Same<typeof schema.gatewayLeases.$inferSelect, GatewayLease>,
  Same<typeof schema.jobLeases.$inferSelect, JobLease>,
  Same<typeof schema.providerKeys.$inferSelect, ProviderKeyRecord>,
  Same<typeof schema.requestLogs.$inferSelect, StoredRequestLog>,
  Same<typeof schema.requestLogs.$inferInsert, RequestLog>,
  Same<typeof schema.rotationSchedules.$inferSelect, RotationSchedule>,
  Same<typeof schema.settings.$inferSelect, Setting>,
  Same<typeof schema.teams.$inferSelect, TeamRecord>,
  Same<typeof schema.teamMembers.$inferSelect, TeamMemberRecord>,
  Same<typeof schema.usageRecords.$inferSelect, StoredUsage>,
  Same<typeof schema.usageRecords.$inferInsert, UsageRecord>,
  // The histogram is an array in the contract and one column per bucket here.
  Same<Omit<typeof schema.usageRollups.$inferSelect, `latencyBucket${number}`>, Omit<UsageRollup, "latencyHistogram">>,
  Same<Omit<typeof schema.usageRollupsDaily.$inferSelect, `latencyBucket${number}` | "day">, Omit<UsageRollup, "latencyHistogram" | "hour">>,
  Same<typeof schema.alerts.$inferSelect, AlertRecord>,
  Same<typeof schema.alertFirings.$inferSelect, AlertFiring>,
  Same<typeof schema.alertEvents.$inferSelect, AlertEventRecord>,
];

// Fails to compile when any entry above is `false`.
export const rowTypesMatch: RowTypesMatch = [
  true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true,
];
