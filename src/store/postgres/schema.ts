// The Postgres database schema (drizzle): the SQLite schema (../sqlite/schema.ts) table for table and column for
// column, in Postgres types: whole numbers (epoch ms, micro-USD, counts) are bigint read as JS numbers, flags boolean,
// JSON jsonb. test/store/schema-parity.test.ts migrates both databases and fails on any difference in tables,
// columns, types, nullability, defaults and indexes; the row types are proven identical at compile time (row-types.ts).
import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, customType, index, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { LATENCY_BUCKETS, latencyBucketField } from "../usage-rollup.ts";

/**
 * A jsonb column written as JSON text cast to jsonb and read as Bun SQL parses it. (drizzle's own jsonb stringifies
 * the value and Bun SQL, seeing a jsonb parameter, encodes that string again: every document would be stored as a
 * JSON string scalar, and a stored string such as "123" would read back as a number.)
 */
const jsonb = customType<{ data: unknown; driverData: unknown }>({
  dataType: () => "jsonb",
  toDriver: (value) => sql`${JSON.stringify(value)}::text::jsonb`,
  fromDriver: (value) => value,
});

export const accounts = pgTable("accounts", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** Credit balance in micro-USD (1e-6 USD), kept integral so sums are exact. */
  creditsMicros: bigint("credits_micros", { mode: "number" }).notNull().default(0),
  createdAt: bigint("created_at", { mode: "number" }).notNull(),
});

export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id),
    teamId: text("team_id"),
    name: text("name").notNull(),
    role: text("role", { enum: ["admin", "developer", "viewer"] }).notNull(),
    /** The operator's key: may act on every account. */
    operator: boolean("operator").notNull().default(false),
    /** SHA-256 of the whole key, hex. The key itself is never stored. */
    digest: text("digest").notNull(),
    /** The first characters of the key, enough to recognise it in a list. */
    prefix: text("prefix").notNull(),
    ipAllowlist: jsonb("ip_allowlist").$type<string[]>(),
    expiresAt: bigint("expires_at", { mode: "number" }),
    revokedAt: bigint("revoked_at", { mode: "number" }),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (table) => [
    uniqueIndex("api_keys_digest").on(table.digest),
    index("api_keys_account").on(table.accountId),
    // Gateways ask every half second which keys were revoked lately (their caches forget those).
    index("api_keys_revoked").on(table.revokedAt),
  ],
);

export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

export const usageRecords = pgTable(
  "usage_records",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    requestId: text("request_id").notNull(),
    accountId: text("account_id").notNull(),
    apiKeyId: text("api_key_id").notNull(),
    teamId: text("team_id"),
    projectTag: text("project_tag"),
    endpoint: text("endpoint").notNull(),
    provider: text("provider"),
    model: text("model"),
    keySource: text("key_source"),
    byok: boolean("byok").notNull(),
    status: bigint("status", { mode: "number" }).notNull(),
    inputTokens: bigint("input_tokens", { mode: "number" }).notNull().default(0),
    outputTokens: bigint("output_tokens", { mode: "number" }).notNull().default(0),
    /** The upstream sent no usage (a stream cut short): the tokens are estimated. */
    usageEstimated: boolean("usage_estimated").notNull().default(false),
    /** What the account was charged, micro-USD; 0 when a BYOK key paid. */
    costMicros: bigint("cost_micros", { mode: "number" }).notNull().default(0),
    /** The provider's list price for the call, micro-USD, whoever paid. */
    estimatedCostMicros: bigint("estimated_cost_micros", { mode: "number" }).notNull().default(0),
    /** Input tokens read from the provider's prompt cache (part of input_tokens). */
    cacheReadTokens: bigint("cache_read_tokens", { mode: "number" }).notNull().default(0),
    /** Input tokens written to the provider's prompt cache (part of input_tokens). */
    cacheWriteTokens: bigint("cache_write_tokens", { mode: "number" }).notNull().default(0),
    /** Reasoning (thinking) tokens (part of output_tokens). */
    reasoningTokens: bigint("reasoning_tokens", { mode: "number" }).notNull().default(0),
    attempts: bigint("attempts", { mode: "number" }).notNull(),
    latencyMs: bigint("latency_ms", { mode: "number" }).notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (table) => [index("usage_account_time").on(table.accountId, table.createdAt), index("usage_created_at").on(table.createdAt)],
);

/**
 * The columns hourly and daily rollups share: the dimensions (an absent team, project, provider, model or key source
 * is '' so such calls share, and accumulate in, one row) and the sums. Calls per latency bucket are one integer column
 * per bucket (latency_bucket_0 .. latency_bucket_30; the bounds are LATENCY_BUCKET_BOUNDS_MS in ../usage-rollup.ts):
 * an upsert adds them as plain integers, and a grouped read sums them in SQL.
 */
function rollupColumns() {
  const latencyBuckets = Object.fromEntries(
    Array.from({ length: LATENCY_BUCKETS }, (_, i) => [latencyBucketField(i), bigint(`latency_bucket_${i}`, { mode: "number" }).notNull().default(0)]),
  ) as Record<`latencyBucket${number}`, ReturnType<typeof bigint>>;
  return {
    accountId: text("account_id").notNull(),
    teamId: text("team_id").notNull(),
    projectTag: text("project_tag").notNull(),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    keySource: text("key_source").notNull(),
    requests: bigint("requests", { mode: "number" }).notNull(),
    errors: bigint("errors", { mode: "number" }).notNull(),
    inputTokens: bigint("input_tokens", { mode: "number" }).notNull(),
    outputTokens: bigint("output_tokens", { mode: "number" }).notNull(),
    costMicros: bigint("cost_micros", { mode: "number" }).notNull(),
    listCostMicros: bigint("list_cost_micros", { mode: "number" }).notNull(),
    latencyMsSum: bigint("latency_ms_sum", { mode: "number" }).notNull(),
    ...latencyBuckets,
  };
}

/** Hourly rollups of usage_records, upserted in the transaction that writes the raw rows. */
export const usageRollups = pgTable(
  "usage_rollups",
  {
    /** UTC epoch hour. */
    hour: bigint("hour", { mode: "number" }).notNull(),
    ...rollupColumns(),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.hour, table.teamId, table.projectTag, table.provider, table.model, table.keySource] }),
    // For the compaction and reads over every account (a new hour's row is indexed once; adding to it is not).
    index("usage_rollups_hour").on(table.hour),
  ],
);

/**
 * Daily rollups: the hourly rollups of each whole UTC day summed, written by the background compaction once the day
 * is over (and added to by the rare row written later for a compacted day), so reads over months sum a row per day.
 * The first day not yet compacted is the setting `usage_rollups_daily_through`.
 */
export const usageRollupsDaily = pgTable(
  "usage_rollups_daily",
  {
    /** UTC epoch day: floor(created_at in ms / 86,400,000). */
    day: bigint("day", { mode: "number" }).notNull(),
    ...rollupColumns(),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.day, table.teamId, table.projectTag, table.provider, table.model, table.keySource] }),
  ],
);

/** Provider keys stored for an account (or a team), encrypted with the master key. */
export const providerKeys = pgTable(
  "provider_keys",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id),
    teamId: text("team_id"),
    /** The configured provider name (what clients write before '/'). */
    provider: text("provider").notNull(),
    label: text("label"),
    environment: text("environment"),
    organizationId: text("organization_id"),
    settings: jsonb("settings").$type<Record<string, unknown>>(),
    /** `v1:<kid>:<base64(nonce || ciphertext)>`, AES-256-GCM with the record id and account as additional data. */
    ciphertext: text("ciphertext").notNull(),
    /** The last 4 characters, to tell keys apart in lists. */
    hint: text("hint").notNull(),
    /** HMAC-SHA256 of the key under a key derived from the master key: recognises a key without revealing it. */
    fingerprint: text("fingerprint").notNull(),
    /** active: takes traffic; retiring: a fallback until retire_at; retired: never used again. */
    status: text("status", { enum: ["active", "retiring", "retired"] }).notNull(),
    rotationDays: bigint("rotation_days", { mode: "number" }),
    retireAt: bigint("retire_at", { mode: "number" }),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    rotatedAt: bigint("rotated_at", { mode: "number" }),
  },
  (table) => [index("provider_keys_owner").on(table.accountId, table.provider, table.status)],
);

/** Who added, rotated, removed or used which stored key, when, and with what outcome. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    accountId: text("account_id").notNull(),
    /** The keyway key that acted, or `cli` / `scheduler`. */
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    keyId: text("key_id"),
    provider: text("provider"),
    outcome: text("outcome").notNull(),
    detail: jsonb("detail").$type<Record<string, unknown>>(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (table) => [index("audit_account_time").on(table.accountId, table.createdAt), index("audit_key").on(table.keyId)],
);

/** Cron schedules that flag an account's keys for a provider as due for rotation and notify webhooks. */
export const rotationSchedules = pgTable(
  "rotation_schedules",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    provider: text("provider").notNull(),
    cron: text("cron").notNull(),
    webhooks: jsonb("webhooks").$type<string[]>().notNull(),
    lastRunAt: bigint("last_run_at", { mode: "number" }),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (table) => [uniqueIndex("rotation_schedule_owner").on(table.accountId, table.provider)],
);

/** Teams inside an account: provider permissions, usage controls, members (whose keys are api_keys rows). */
export const teams = pgTable("teams", {
  id: text("id").primaryKey(),
  accountId: text("account_id")
    .notNull()
    .references(() => accounts.id),
  name: text("name").notNull(),
  permissions: jsonb("permissions").$type<Record<string, unknown>>().notNull(),
  usageControls: jsonb("usage_controls").$type<Record<string, unknown>>().notNull(),
  ipAllowlist: jsonb("ip_allowlist").$type<string[]>(),
  createdAt: bigint("created_at", { mode: "number" }).notNull(),
});

export const teamMembers = pgTable(
  "team_members",
  {
    id: text("id").primaryKey(),
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id),
    email: text("email").notNull(),
    role: text("role", { enum: ["admin", "developer", "viewer"] }).notNull(),
    byokAccess: boolean("byok_access").notNull(),
    apiKeyId: text("api_key_id").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (table) => [index("team_members_team").on(table.teamId), uniqueIndex("team_members_key").on(table.apiKeyId)],
);

/** Requests above a team's require_approval_above: pending, approved by a team admin, then used once. */
export const approvals = pgTable("approvals", {
  id: text("id").primaryKey(),
  teamId: text("team_id").notNull(),
  accountId: text("account_id").notNull(),
  requestedBy: text("requested_by").notNull(),
  provider: text("provider").notNull(),
  model: text("model").notNull(),
  estimatedCostMicros: bigint("estimated_cost_micros", { mode: "number" }).notNull(),
  status: text("status", { enum: ["pending", "approved", "used"] }).notNull(),
  approvedBy: text("approved_by"),
  createdAt: bigint("created_at", { mode: "number" }).notNull(),
  decidedAt: bigint("decided_at", { mode: "number" }),
});

/** Request and response bodies of teams with log_all_requests, keys redacted. */
export const requestLogs = pgTable(
  "request_logs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    teamId: text("team_id").notNull(),
    requestId: text("request_id").notNull(),
    apiKeyId: text("api_key_id").notNull(),
    projectTag: text("project_tag"),
    endpoint: text("endpoint").notNull(),
    provider: text("provider"),
    model: text("model"),
    status: bigint("status", { mode: "number" }).notNull(),
    request: jsonb("request").$type<unknown>(),
    response: jsonb("response").$type<unknown>(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (table) => [index("request_logs_team_time").on(table.teamId, table.createdAt)],
);

/** Gateways running on this database, one row per instance: a heartbeat every few seconds, removed on a clean stop. */
export const gatewayLeases = pgTable("gateway_leases", {
  instanceId: text("instance_id").primaryKey(),
  host: text("host").notNull(),
  pid: bigint("pid", { mode: "number" }).notNull(),
  startedAt: bigint("started_at", { mode: "number" }).notNull(),
  heartbeatAt: bigint("heartbeat_at", { mode: "number" }).notNull(),
  /** How often this instance beats; its lease is stale after three missed beats. */
  heartbeatEveryMs: bigint("heartbeat_every_ms", { mode: "number" }).notNull(),
});

/** Scheduled jobs and the gateway instance that may run each now: taken when free or expired, renewed while held. */
export const jobLeases = pgTable("job_leases", {
  job: text("job").primaryKey(),
  holder: text("holder").notNull(),
  acquiredAt: bigint("acquired_at", { mode: "number" }).notNull(),
  expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
});

/**
 * Credits held for calls under way: taken from the account together with this row, given back (less the charge)
 * when the call settles, in one transaction each. Rows left by a gateway that died are settled at the next start.
 */
export const creditReservations = pgTable("credit_reservations", {
  id: text("id").primaryKey(),
  /** The call's request id (X-Request-Id): its usage row says what to charge. */
  requestId: text("request_id").notNull(),
  accountId: text("account_id")
    .notNull()
    .references(() => accounts.id),
  /** The gateway (its lease) that holds the reservation. */
  instanceId: text("instance_id").notNull(),
  reservedMicros: bigint("reserved_micros", { mode: "number" }).notNull(),
  createdAt: bigint("created_at", { mode: "number" }).notNull(),
});

/** Alerts an account (or one of its teams) keeps on its BYOK spend: a cost threshold per period, or usage anomalies. */
export const alerts = pgTable(
  "alerts",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id),
    /** Only this team's traffic is watched (a team admin's alerts always name its team). */
    teamId: text("team_id"),
    type: text("type", { enum: ["byok_cost_threshold", "byok_usage_anomaly"] }).notNull(),
    /** byok_cost_threshold: only this provider's calls. */
    provider: text("provider"),
    /** byok_cost_threshold: the BYOK cost (micro-USD) at which it fires. */
    thresholdMicros: bigint("threshold_micros", { mode: "number" }),
    period: text("period", { enum: ["hourly", "daily", "monthly"] }),
    sensitivity: text("sensitivity", { enum: ["low", "medium", "high"] }),
    /** E-mail addresses and webhook URLs. */
    notify: jsonb("notify").$type<string[]>().notNull(),
    /** byok_usage_anomaly: the provider/model pairs already in use when it was made (never reported as new). */
    knownPairs: jsonb("known_pairs").$type<{ provider: string; model: string }[]>().notNull(),
    /** The keyway key that created it. */
    createdBy: text("created_by").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (table) => [index("alerts_account").on(table.accountId)],
);

/**
 * One row per alert and window it fired for (a period for thresholds, an hour or a first-seen provider/model for
 * anomalies). The unique key is what makes an alert fire once per window: the row is inserted before anyone is
 * notified, and only the evaluator (of whichever gateway) whose insert succeeded notifies.
 */
export const alertFirings = pgTable(
  "alert_firings",
  {
    id: text("id").primaryKey(),
    alertId: text("alert_id").notNull(),
    windowKey: text("window_key").notNull(),
    firedAt: bigint("fired_at", { mode: "number" }).notNull(),
  },
  (table) => [uniqueIndex("alert_firings_window").on(table.alertId, table.windowKey)],
);

/** What alerts did: every firing and every delivery attempt (channel, target, outcome). Kept when an alert is deleted. */
export const alertEvents = pgTable(
  "alert_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    alertId: text("alert_id").notNull(),
    accountId: text("account_id").notNull(),
    teamId: text("team_id"),
    firingId: text("firing_id").notNull(),
    kind: text("kind", { enum: ["fired", "delivery"] }).notNull(),
    channel: text("channel", { enum: ["webhook", "email"] }),
    target: text("target"),
    attempt: bigint("attempt", { mode: "number" }),
    /** fired; delivered, failed (retried unless final), blocked (a private address, not sent). */
    outcome: text("outcome", { enum: ["fired", "delivered", "failed", "blocked"] }).notNull(),
    status: bigint("status", { mode: "number" }),
    /** A delivery attempt after which none follows for this target (delivered, blocked or the last try). */
    final: boolean("final"),
    /** For a firing: the alert's payload (window, figures); for an attempt: why it failed. */
    detail: jsonb("detail").$type<Record<string, unknown>>(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (table) => [index("alert_events_account").on(table.accountId, table.id), index("alert_events_alert").on(table.alertId, table.id)],
);

export * from "./schema-sessions.ts";
