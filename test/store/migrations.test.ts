import { describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { readFileSync } from "node:fs";
import { renderMigrationIndex } from "../../scripts/embed-migrations.ts";
import { applyMigrations } from "../../src/store/sqlite/database.ts";
import { migrations } from "../../src/store/sqlite/migrations/index.ts";

describe("embedded migrations", () => {
  test("src/store/sqlite/migrations/index.ts matches drizzle-kit's journal (run `npm run migrations` when this fails)", () => {
    expect(readFileSync("src/store/sqlite/migrations/index.ts", "utf8")).toBe(renderMigrationIndex());
  });

  test("applied once, in order, to a new database; a second start applies nothing", () => {
    const sqlite = new Database(":memory:");
    expect(applyMigrations(sqlite)).toEqual(migrations.map((m) => m.tag));
    expect(applyMigrations(sqlite)).toEqual([]);
    const tables = sqlite.query("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((r) => (r as { name: string }).name);
    for (const table of ["accounts", "api_keys", "provider_keys", "audit_events", "teams", "usage_records"]) expect(tables).toContain(table);
    sqlite.close();
  });

  test("0008 moves each rollup's JSON latency histogram into the bucket columns", () => {
    const sqlite = new Database(":memory:");
    sqlite.run("CREATE TABLE keyway_migrations (tag TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)");
    const upTo = migrations.findIndex((m) => m.tag === "0008_usage_rollup_bucket_columns");
    for (const migration of migrations.slice(0, upTo)) {
      for (const statement of migration.sql.split("--> statement-breakpoint")) if (statement.trim() !== "") sqlite.run(statement);
      sqlite.run("INSERT INTO keyway_migrations (tag, applied_at) VALUES (?, 0)", [migration.tag]);
    }
    const histogram = Array.from({ length: 31 }, (_, i) => (i % 5 === 0 ? i + 1 : 0));
    sqlite.run(
      `INSERT INTO usage_rollups VALUES (500, 'acct_a', '', '', 'openai', 'gpt-4o', 'request', 37, 1, 10, 20, 0, 30, 900, ?)`,
      [JSON.stringify(histogram)],
    );
    expect(applyMigrations(sqlite)).toContain("0008_usage_rollup_bucket_columns");
    const row = sqlite.query("SELECT * FROM usage_rollups").get() as Record<string, number>;
    expect(Array.from({ length: 31 }, (_, i) => row[`latency_bucket_${i}`])).toEqual(histogram);
    expect(row).toMatchObject({ requests: 37, latency_ms_sum: 900 });
    expect("latency_histogram" in row).toBe(false);
    sqlite.close();
  });
});
