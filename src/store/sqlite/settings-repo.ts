// Installation-wide settings as key/value rows (for example, whether the admin key was bootstrapped).
import { eq } from "drizzle-orm";
import type { Db } from "./database.ts";
import { settings } from "./schema.ts";
import type { SettingsRepo } from "../repositories/settings.ts";

export function settingsRepo(db: Db): SettingsRepo {
  return {
    async get(key: string): Promise<string | undefined> {
      return db.select().from(settings).where(eq(settings.key, key)).get()?.value;
    },
    /** Sets the value only when none is set; returns whether this call set it. */
    async setIfAbsent(key: string, value: string): Promise<boolean> {
      return db.insert(settings).values({ key, value }).onConflictDoNothing().returning({ key: settings.key }).all().length > 0;
    },
  };
}

