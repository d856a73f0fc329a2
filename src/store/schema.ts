// The database schema (drizzle): the one source of truth for tables and migrations.
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

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
  (table) => [uniqueIndex("api_keys_digest").on(table.digest), index("api_keys_account").on(table.accountId)],
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
    endpoint: text("endpoint").notNull(),
    provider: text("provider"),
    model: text("model"),
    keySource: text("key_source"),
    byok: integer("byok", { mode: "boolean" }).notNull(),
    status: integer("status").notNull(),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    /** What the account was charged, micro-USD; 0 when a BYOK key paid. */
    costMicros: integer("cost_micros").notNull().default(0),
    /** The provider's list price for the call, micro-USD, whoever paid. */
    estimatedCostMicros: integer("estimated_cost_micros").notNull().default(0),
    attempts: integer("attempts").notNull(),
    latencyMs: integer("latency_ms").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [index("usage_account_time").on(table.accountId, table.createdAt)],
);
