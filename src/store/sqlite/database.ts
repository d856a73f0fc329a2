// Opens the SQLite database (WAL mode) and applies the embedded migrations at start-up.
import { Database } from "bun:sqlite";
import { type BunSQLiteDatabase, drizzle } from "drizzle-orm/bun-sqlite";
import { migrations } from "./migrations/index.ts";
import * as schema from "./schema.ts";

export type Db = BunSQLiteDatabase<typeof schema> & { $client: Database };

export interface OpenedDatabase {
  db: Db;
  sqlite: Database;
  close(): void;
}

const BREAKPOINT = "--> statement-breakpoint";

export function applyMigrations(sqlite: Database): string[] {
  sqlite.run("CREATE TABLE IF NOT EXISTS keyway_migrations (tag TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)");
  const applied = new Set(
    sqlite
      .query("SELECT tag FROM keyway_migrations")
      .all()
      .map((row) => (row as { tag: string }).tag),
  );
  const ran: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.tag)) continue;
    sqlite.transaction(() => {
      for (const statement of migration.sql.split(BREAKPOINT)) {
        if (statement.trim() !== "") sqlite.run(statement);
      }
      sqlite.run("INSERT INTO keyway_migrations (tag, applied_at) VALUES (?, ?)", [migration.tag, Date.now()]);
    })();
    ran.push(migration.tag);
  }
  return ran;
}

export function openDatabase(path: string): OpenedDatabase {
  const sqlite = new Database(path, { create: true, strict: true });
  // First, so that switching to WAL waits for a lock another process holds for a moment (a CLI command just
  // finishing) instead of failing the start with "database is locked".
  sqlite.run("PRAGMA busy_timeout = 5000");
  sqlite.run("PRAGMA journal_mode = WAL");
  sqlite.run("PRAGMA synchronous = NORMAL");
  sqlite.run("PRAGMA foreign_keys = ON");
  applyMigrations(sqlite);
  return { db: drizzle(sqlite, { schema }), sqlite, close: () => sqlite.close() };
}
