// The SQLite database schema (drizzle): each table's columns, once. Migrations are generated from it; the row types
// in ../repositories/ are proven identical to it at compile time (row-types.ts).
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { LATENCY_BUCKETS, latencyBucketField } from "../usage-rollup.ts";

export const accounts = sqliteTable("accounts", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** Credit balance in micro-USD (1e-6 USD), kept integral so sums are exact. */
  creditsMicros: integer("credits_micros").notNull().default(0),
  createdAt: integer("created_at").notNull(),
});

export const apiKeys = sqliteTable(
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
    operator: integer("operator", { mode: "boolean" }).notNull().default(false),
    /** SHA-256 of the whole key, hex. The key itself is never stored. */
    digest: text("digest").notNull(),
    /** The first characters of the key, enough to recognise it in a list. */
    prefix: text("prefix").notNull(),
    ipAllowlist: text("ip_allowlist", { mode: "json" }).$type<string[]>(),
    expiresAt: integer("expires_at"),
    revokedAt: integer("revoked_at"),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [
    uniqueIndex("api_keys_digest").on(table.digest),
    index("api_keys_account").on(table.accountId),
    // Gateways ask every half second which keys were revoked lately (their caches forget those).
    index("api_keys_revoked").on(table.revokedAt),
  ],
);

export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

export const usageRecords = sqliteTable(
  "usage_records",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    requestId: text("request_id").notNull(),
    accountId: text("account_id").notNull(),
    apiKeyId: text("api_key_id").notNull(),
    teamId: text("team_id"),
    projectTag: text("project_tag"),
    endpoint: text("endpoint").notNull(),
    provider: text("provider"),
    model: text("model"),
    keySource: text("key_source"),
    byok: integer("byok", { mode: "boolean" }).notNull(),
    status: integer("status").notNull(),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    /** The upstream sent no usage (a stream cut short): the tokens are estimated. */
    usageEstimated: integer("usage_estimated", { mode: "boolean" }).notNull().default(false),
    /** What the account was charged, micro-USD; 0 when a BYOK key paid. */
    costMicros: integer("cost_micros").notNull().default(0),
    /** The provider's list price for the call, micro-USD, whoever paid. */
    estimatedCostMicros: integer("estimated_cost_micros").notNull().default(0),
    /** Input tokens read from the provider's prompt cache (part of input_tokens). */
    cacheReadTokens: integer("cache_read_tokens").notNull().default(0),
    /** Input tokens written to the provider's prompt cache (part of input_tokens). */
    cacheWriteTokens: integer("cache_write_tokens").notNull().default(0),
    /** Reasoning (thinking) tokens (part of output_tokens). */
    reasoningTokens: integer("reasoning_tokens").notNull().default(0),
    attempts: integer("attempts").notNull(),
    latencyMs: integer("latency_ms").notNull(),
    createdAt: integer("created_at").notNull(),
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
    Array.from({ length: LATENCY_BUCKETS }, (_, i) => [latencyBucketField(i), integer(`latency_bucket_${i}`).notNull().default(0)]),
  ) as Record<`latencyBucket${number}`, ReturnType<typeof integer>>;
  return {
    accountId: text("account_id").notNull(),
    teamId: text("team_id").notNull(),
    projectTag: text("project_tag").notNull(),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    keySource: text("key_source").notNull(),
    requests: integer("requests").notNull(),
    errors: integer("errors").notNull(),
    inputTokens: integer("input_tokens").notNull(),
    outputTokens: integer("output_tokens").notNull(),
    costMicros: integer("cost_micros").notNull(),
    listCostMicros: integer("list_cost_micros").notNull(),
    latencyMsSum: integer("latency_ms_sum").notNull(),
    ...latencyBuckets,
  };
}

/** Hourly rollups of usage_records, upserted in the transaction that writes the raw rows. */
export const usageRollups = sqliteTable(
  "usage_rollups",
  {
    /** UTC epoch hour. */
    hour: integer("hour").notNull(),
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
export const usageRollupsDaily = sqliteTable(
  "usage_rollups_daily",
  {
    /** UTC epoch day: floor(created_at in ms / 86,400,000). */
    day: integer("day").notNull(),
    ...rollupColumns(),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.day, table.teamId, table.projectTag, table.provider, table.model, table.keySource] }),
  ],
);

/** Provider keys stored for an account (or a team), encrypted with the master key. */
export const providerKeys = sqliteTable(
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
    settings: text("settings", { mode: "json" }).$type<Record<string, unknown>>(),
    /** `v1:<kid>:<base64(nonce || ciphertext)>`, AES-256-GCM with the record id and account as additional data. */
    ciphertext: text("ciphertext").notNull(),
    /** The last 4 characters, to tell keys apart in lists. */
    hint: text("hint").notNull(),
    /** HMAC-SHA256 of the key under a key derived from the master key: recognises a key without revealing it. */
    fingerprint: text("fingerprint").notNull(),
    /** active: takes traffic; retiring: a fallback until retire_at; retired: never used again. */
    status: text("status", { enum: ["active", "retiring", "retired"] }).notNull(),
    rotationDays: integer("rotation_days"),
    retireAt: integer("retire_at"),
    createdAt: integer("created_at").notNull(),
    rotatedAt: integer("rotated_at"),
  },
  (table) => [index("provider_keys_owner").on(table.accountId, table.provider, table.status)],
);

/** Who added, rotated, removed or used which stored key, when, and with what outcome. */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountId: text("account_id").notNull(),
    /** The keyway key that acted, or `cli` / `scheduler`. */
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    keyId: text("key_id"),
    provider: text("provider"),
    outcome: text("outcome").notNull(),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [index("audit_account_time").on(table.accountId, table.createdAt), index("audit_key").on(table.keyId)],
);

/** Cron schedules that flag an account's keys for a provider as due for rotation and notify webhooks. */
export const rotationSchedules = sqliteTable(
  "rotation_schedules",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    provider: text("provider").notNull(),
    cron: text("cron").notNull(),
    webhooks: text("webhooks", { mode: "json" }).$type<string[]>().notNull(),
    lastRunAt: integer("last_run_at"),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [uniqueIndex("rotation_schedule_owner").on(table.accountId, table.provider)],
);

/** Teams inside an account: provider permissions, usage controls, members (whose keys are api_keys rows). */
export const teams = sqliteTable("teams", {
  id: text("id").primaryKey(),
  accountId: text("account_id")
    .notNull()
    .references(() => accounts.id),
  name: text("name").notNull(),
  permissions: text("permissions", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  usageControls: text("usage_controls", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  ipAllowlist: text("ip_allowlist", { mode: "json" }).$type<string[]>(),
  createdAt: integer("created_at").notNull(),
});

export const teamMembers = sqliteTable(
  "team_members",
  {
    id: text("id").primaryKey(),
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id),
    email: text("email").notNull(),
    role: text("role", { enum: ["admin", "developer", "viewer"] }).notNull(),
    byokAccess: integer("byok_access", { mode: "boolean" }).notNull(),
    apiKeyId: text("api_key_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [index("team_members_team").on(table.teamId), uniqueIndex("team_members_key").on(table.apiKeyId)],
);

/** Requests above a team's require_approval_above: pending, approved by a team admin, then used once. */
export const approvals = sqliteTable("approvals", {
  id: text("id").primaryKey(),
  teamId: text("team_id").notNull(),
  accountId: text("account_id").notNull(),
  requestedBy: text("requested_by").notNull(),
  provider: text("provider").notNull(),
  model: text("model").notNull(),
  estimatedCostMicros: integer("estimated_cost_micros").notNull(),
  status: text("status", { enum: ["pending", "approved", "used"] }).notNull(),
  approvedBy: text("approved_by"),
  createdAt: integer("created_at").notNull(),
  decidedAt: integer("decided_at"),
});

/** Request and response bodies of teams with log_all_requests, keys redacted. */
export const requestLogs = sqliteTable(
  "request_logs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    teamId: text("team_id").notNull(),
    requestId: text("request_id").notNull(),
    apiKeyId: text("api_key_id").notNull(),
    projectTag: text("project_tag"),
    endpoint: text("endpoint").notNull(),
    provider: text("provider"),
    model: text("model"),
    status: integer("status").notNull(),
    request: text("request", { mode: "json" }).$type<unknown>(),
    response: text("response", { mode: "json" }).$type<unknown>(),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [index("request_logs_team_time").on(table.teamId, table.createdAt)],
);

/** Gateways running on this database, one row per instance: a heartbeat every few seconds, removed on a clean stop. */
export const gatewayLeases = sqliteTable("gateway_leases", {
  instanceId: text("instance_id").primaryKey(),
  host: text("host").notNull(),
  pid: integer("pid").notNull(),
  startedAt: integer("started_at").notNull(),
  heartbeatAt: integer("heartbeat_at").notNull(),
  /** How often this instance beats; its lease is stale after three missed beats. */
  heartbeatEveryMs: integer("heartbeat_every_ms").notNull(),
});

/** Scheduled jobs and the gateway instance that may run each now: taken when free or expired, renewed while held. */
export const jobLeases = sqliteTable("job_leases", {
  job: text("job").primaryKey(),
  holder: text("holder").notNull(),
  acquiredAt: integer("acquired_at").notNull(),
  expiresAt: integer("expires_at").notNull(),
});

/**
 * Credits held for calls under way: taken from the account together with this row, given back (less the charge)
 * when the call settles, in one transaction each. Rows left by a gateway that died are settled at the next start.
 */
export const creditReservations = sqliteTable("credit_reservations", {
  id: text("id").primaryKey(),
  /** The call's request id (X-Request-Id): its usage row says what to charge. */
  requestId: text("request_id").notNull(),
  accountId: text("account_id")
    .notNull()
    .references(() => accounts.id),
  /** The gateway (its lease) that holds the reservation. */
  instanceId: text("instance_id").notNull(),
  reservedMicros: integer("reserved_micros").notNull(),
  createdAt: integer("created_at").notNull(),
});

/** Alerts an account (or one of its teams) keeps on its BYOK spend: a cost threshold per period, or usage anomalies. */
export const alerts = sqliteTable(
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
    thresholdMicros: integer("threshold_micros"),
    period: text("period", { enum: ["hourly", "daily", "monthly"] }),
    sensitivity: text("sensitivity", { enum: ["low", "medium", "high"] }),
    /** E-mail addresses and webhook URLs. */
    notify: text("notify", { mode: "json" }).$type<string[]>().notNull(),
    /** byok_usage_anomaly: the provider/model pairs already in use when it was made (never reported as new). */
    knownPairs: text("known_pairs", { mode: "json" }).$type<{ provider: string; model: string }[]>().notNull(),
    /** The keyway key that created it. */
    createdBy: text("created_by").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [index("alerts_account").on(table.accountId)],
);

/**
 * One row per alert and window it fired for (a period for thresholds, an hour or a first-seen provider/model for
 * anomalies). The unique key is what makes an alert fire once per window: the row is inserted before anyone is
 * notified, and only the evaluator (of whichever gateway) whose insert succeeded notifies.
 */
export const alertFirings = sqliteTable(
  "alert_firings",
  {
    id: text("id").primaryKey(),
    alertId: text("alert_id").notNull(),
    windowKey: text("window_key").notNull(),
    firedAt: integer("fired_at").notNull(),
  },
  (table) => [uniqueIndex("alert_firings_window").on(table.alertId, table.windowKey)],
);

/** What alerts did: every firing and every delivery attempt (channel, target, outcome). Kept when an alert is deleted. */
export const alertEvents = sqliteTable(
  "alert_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    alertId: text("alert_id").notNull(),
    accountId: text("account_id").notNull(),
    teamId: text("team_id"),
    firingId: text("firing_id").notNull(),
    kind: text("kind", { enum: ["fired", "delivery"] }).notNull(),
    channel: text("channel", { enum: ["webhook", "email"] }),
    target: text("target"),
    attempt: integer("attempt"),
    /** fired; delivered, failed (retried unless final), blocked (a private address, not sent). */
    outcome: text("outcome", { enum: ["fired", "delivered", "failed", "blocked"] }).notNull(),
    status: integer("status"),
    /** A delivery attempt after which none follows for this target (delivered, blocked or the last try). */
    final: integer("final", { mode: "boolean" }),
    /** For a firing: the alert's payload (window, figures); for an attempt: why it failed. */
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [index("alert_events_account").on(table.accountId, table.id), index("alert_events_alert").on(table.alertId, table.id)],
);

export * from "./schema-sessions.ts";
