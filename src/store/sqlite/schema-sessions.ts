// The dashboard_sessions table (SQLite driver), re-exported by schema.ts: sign-ins of the web dashboard.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Dashboard sign-ins: the digest of the session cookie, the keyway key it stands for, its CSRF token and expiry. */
export const dashboardSessions = sqliteTable(
  "dashboard_sessions",
  {
    id: text("id").primaryKey(),
    apiKeyId: text("api_key_id").notNull(),
    accountId: text("account_id").notNull(),
    csrfToken: text("csrf_token").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (table) => [index("dashboard_sessions_expires").on(table.expiresAt)],
);
