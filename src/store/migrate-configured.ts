// Migrations of the configured database on request (`keyway migrate`, `keyway check`): which are pending, and
// applying them, on SQLite or Postgres, without opening the whole store.
import { Database } from "bun:sqlite";
import { existsSync } from "node:fs";
import type { openPool } from "./postgres/database.ts";
import { applyMigrations } from "./sqlite/database.ts";
import { migrations as sqliteMigrations } from "./sqlite/migrations/index.ts";
import { describeStorage, type StorageSettings } from "./open-configured.ts";
import { unavailable } from "./store-errors.ts";

type PostgresDriver = typeof import("./postgres/database.ts");

/** Runs `work` on a one-connection pool; the Postgres driver is loaded only here (a SQLite gateway never needs it). */
async function withPostgres<T>(storage: StorageSettings, work: (sql: ReturnType<typeof openPool>, driver: PostgresDriver) => Promise<T>): Promise<T> {
  const driver = await import("./postgres/database.ts");
  const sql = driver.openPool({ url: storage.url ?? "", poolSize: 1 });
  try {
    return await work(sql, driver);
  } catch (error) {
    throw unavailable(describeStorage(storage), error);
  } finally {
    await sql.close();
  }
}

/** Applies what the database lacks; returns the tags applied, in order (none when it is up to date). */
export async function migrateConfigured(storage: StorageSettings): Promise<string[]> {
  if (storage.driver === "postgres") return withPostgres(storage, (sql, driver) => driver.applyPostgresMigrations(sql));
  let sqlite: Database;
  try {
    sqlite = new Database(storage.path, { create: true, strict: true });
  } catch (error) {
    throw unavailable(describeStorage(storage), error);
  }
  try {
    sqlite.run("PRAGMA busy_timeout = 5000");
    return applyMigrations(sqlite);
  } finally {
    sqlite.close();
  }
}

/** The tags the database still lacks; every one for an SQLite file not created yet (serve creates and migrates it). */
export async function pendingConfigured(storage: StorageSettings): Promise<string[]> {
  if (storage.driver === "postgres") return withPostgres(storage, (sql, driver) => driver.pendingPostgresMigrations(sql));
  const all = sqliteMigrations.map((m) => m.tag);
  if (storage.path === ":memory:" || !existsSync(storage.path)) return all;
  const sqlite = new Database(storage.path, { readonly: true, strict: true });
  try {
    const table = sqlite.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'keyway_migrations'").get();
    if (!table) return all;
    const applied = new Set(sqlite.query("SELECT tag FROM keyway_migrations").all().map((row) => (row as { tag: string }).tag));
    return all.filter((tag) => !applied.has(tag));
  } finally {
    sqlite.close();
  }
}
