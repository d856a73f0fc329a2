// Installation-wide settings on Postgres as key/value rows (for example, whether the admin key was bootstrapped).
import type { SQL } from "bun";
import { eq } from "drizzle-orm";
import type { SettingsRepo } from "../repositories/settings.ts";
import type { PgDb } from "./database.ts";
import { settings } from "./schema.ts";

export function settingsRepo(db: PgDb, _sql: SQL): SettingsRepo {
  return {
    async get(key: string): Promise<string | undefined> {
      const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, key));
      return row?.value;
    },
    /** Sets the value only when none is set; returns whether this call set it (one statement, safe between gateways). */
    async setIfAbsent(key: string, value: string): Promise<boolean> {
      const rows = await db.insert(settings).values({ key, value }).onConflictDoNothing().returning({ key: settings.key });
      return rows.length > 0;
    },
  };
}
