// Opening the SQLite store while another process holds the file's lock for a moment (a CLI command finishing, a
// gateway stopping) waits for it, as busy_timeout promises, instead of failing the start with "database is locked".
import { afterAll, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/store/sqlite/database.ts";

const dir = mkdtempSync(join(tmpdir(), "keyway-locked-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a start while another process holds an exclusive lock waits for it and opens the database", async () => {
  const path = join(dir, "keyway.db");
  new Database(path, { create: true }).close();
  const holder = Bun.spawn(
    [process.execPath, "-e", `const { Database } = require("bun:sqlite"); const db = new Database(${JSON.stringify(path)}); db.run("BEGIN EXCLUSIVE"); console.log("locked"); setTimeout(() => { db.run("COMMIT"); db.close(); }, 400);`],
    { stdout: "pipe" },
  );
  const reader = (holder.stdout as ReadableStream<Uint8Array>).getReader();
  expect(new TextDecoder().decode((await reader.read()).value)).toContain("locked");
  const startedAt = performance.now();
  const opened = openDatabase(path);
  try {
    expect(performance.now() - startedAt).toBeGreaterThan(100);
    expect(opened.sqlite.query("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
  } finally {
    opened.close();
    await holder.exited;
  }
});
