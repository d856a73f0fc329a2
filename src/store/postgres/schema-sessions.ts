// The dashboard_sessions table (Postgres driver), re-exported by schema.ts: sign-ins of the web dashboard.
import { bigint, index, pgTable, text } from "drizzle-orm/pg-core";

/** Dashboard sign-ins: the digest of the session cookie, the keyway key it stands for, its CSRF token and expiry. */
export const dashboardSessions = pgTable(
  "dashboard_sessions",
  {
    id: text("id").primaryKey(),
    apiKeyId: text("api_key_id").notNull(),
    accountId: text("account_id").notNull(),
    csrfToken: text("csrf_token").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
  },
  (table) => [index("dashboard_sessions_expires").on(table.expiresAt)],
);
