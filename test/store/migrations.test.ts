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
});
