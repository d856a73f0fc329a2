// Each dialect's schema names tables and columns after the contracts' row properties (see contract/schema-names.ts).
import { describe, expect, test } from "bun:test";
import { is, Table } from "drizzle-orm";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import * as sqliteSchema from "../../src/store/sqlite/schema.ts";
import { misnamed } from "./contract/schema-names.ts";

describe("schema names", () => {
  test("every SQLite table and column is the snake_case of its property", () => {
    expect(Object.values(sqliteSchema).filter((value) => is(value, Table)).length).toBeGreaterThanOrEqual(13);
    expect(misnamed(sqliteSchema)).toEqual([]);
  });

  test("a column or table named otherwise is reported", () => {
    const widgets = sqliteTable("widget", { id: text("id").primaryKey(), createdAt: integer("createdAt").notNull() });
    expect(misnamed({ widgets })).toEqual(["widget (export widgets)", "widget.createdAt (property createdAt)"]);
  });
});
