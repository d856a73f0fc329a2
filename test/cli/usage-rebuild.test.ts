// `keyway usage rebuild-rollups` run as the real CLI on a database seeded here: the rebuilt rollups equal those
// maintained as the rows were written; progress on stderr; exit codes 0 and 1.
import { Database } from "bun:sqlite";
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/store/sqlite/open-store.ts";
import { variedRows, usageRow } from "../store/contract/usage.ts";

const MAIN = join(import.meta.dir, "../../src/main.ts");
const HOUR = 3_600_000;

const dir = mkdtempSync(join(tmpdir(), "keyway-rebuild-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const dbPath = join(dir, "k.db");
const config = join(dir, "keyway.yaml");
writeFileSync(config, `storage: { path: ${dbPath} }\nsecurity: { master_key_file: ${join(dir, "master.key")} }\n`);

function keyway(args: string[]) {
  const result = Bun.spawnSync([process.execPath, MAIN, ...args], { env: { ...process.env, KEYWAY_CONFIG: "" } });
  return { code: result.exitCode, out: result.stdout.toString(), err: result.stderr.toString() };
}

function allRollups(): unknown[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.query("SELECT * FROM usage_rollups ORDER BY account_id, hour, team_id, project_tag, provider, model, key_source").all();
  } finally {
    db.close();
  }
}

describe("keyway usage rebuild-rollups", () => {
  test("rebuilds the rollups of the hours with raw rows to what was maintained incrementally, keeping older hours", async () => {
    const store = openStore(dbPath);
    const accountA = (await store.accounts.create("a")).id;
    const accountB = (await store.accounts.create("b")).id;
    // Enough rows for several slices of the command (5,000 rows each), written in batches like the recorder's.
    for (let batch = 0; batch < 24; batch++) await store.usage.insertMany(variedRows(batch % 2 === 0 ? accountA : accountB, 500));
    // An hour whose raw rows retention deleted: its rollup must survive the rebuild.
    await store.usage.insertMany([usageRow(accountA, { createdAt: 100 * HOUR, inputTokens: 9 })]);
    await store.usage.pruneBefore(101 * HOUR, 10);
    store.close();
    const maintained = allRollups();
    expect(maintained.length).toBeGreaterThan(10);
    expect((maintained as { hour: number; input_tokens: number }[]).filter((r) => r.hour === 100).map((r) => r.input_tokens)).toEqual([9]);

    const db = new Database(dbPath);
    db.run("UPDATE usage_rollups SET requests = requests + 5, latency_bucket_3 = 0, latency_bucket_30 = 7 WHERE hour > 200");
    db.run("DELETE FROM usage_rollups WHERE team_id = '' AND hour > 200");
    db.close();
    expect(allRollups()).not.toEqual(maintained);

    const run = keyway(["usage", "rebuild-rollups", "--config", config]);
    expect(run.err).toContain("rebuilding usage rollups: 0% (0/12000 rows)");
    expect(run.err).toContain("41% (5000/12000 rows)");
    expect(run.err).toContain("100% (12000/12000 rows)");
    expect(run.out).toContain("usage rollups rebuilt from 12000 raw rows");
    expect(run.code).toBe(0);
    expect(allRollups()).toEqual(maintained);
  });

  test("an unknown action or flag is a user error (exit 1); --help exits 0", () => {
    const unknown = keyway(["usage", "rebuild", "--config", config]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("unknown action 'rebuild'");
    expect(keyway(["usage", "rebuild-rollups", "--nope"]).code).toBe(1);
    const help = keyway(["usage", "--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toContain("keyway usage rebuild-rollups [--config FILE]");
  });

  test("a config that does not load is a user error (exit 1)", () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "usage: { retention_days: 0 }\n");
    const run = keyway(["usage", "rebuild-rollups", "--config", bad]);
    expect(run.code).toBe(1);
    expect(run.err).toContain("retention_days");
  });
});
