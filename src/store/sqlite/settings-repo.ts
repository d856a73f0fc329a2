// Installation-wide settings as key/value rows (for example, whether the admin key was bootstrapped).
import type { Database } from "bun:sqlite";
import type { Db } from "./database.ts";
import { settings } from "./schema.ts";
import { sqlNames } from "./table-sql.ts";
import type { SettingsRepo } from "../repositories/settings.ts";

/** One setting's value (undefined when unset) through a cached statement (the master key's canary is read every heartbeat). */
export function preparedSettingRead(sqlite: Database): (key: string) => string | undefined {
  const { table, column } = sqlNames(settings);
  const statement = sqlite.prepare<{ value: string }, [string]>(`SELECT ${column.value} AS value FROM ${table} WHERE ${column.key} = ?`);
  return (key) => statement.get(key)?.value;
}

export function settingsRepo(db: Db): SettingsRepo {
  const read = preparedSettingRead(db.$client);
  return {
    async get(key: string): Promise<string | undefined> {
      return read(key);
    },
    /** Sets the value only when none is set; returns whether this call set it. */
    async setIfAbsent(key: string, value: string): Promise<boolean> {
      return db.insert(settings).values({ key, value }).onConflictDoNothing().returning({ key: settings.key }).all().length > 0;
    },
  };
}

