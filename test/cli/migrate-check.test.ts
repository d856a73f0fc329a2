// `keyway migrate`, `keyway check` and `keyway serve` as real processes against a real Postgres (a fresh schema,
// passed through the URL's search_path option), an SQLite file, and unreachable databases.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPool } from "../../src/store/postgres/database.ts";
import { migrations as postgresMigrations } from "../../src/store/postgres/migrations/index.ts";
import { migrations as sqliteMigrations } from "../../src/store/sqlite/migrations/index.ts";
import { startSourceServer } from "../helpers/binary.ts";
import { freshPostgresSchema, POSTGRES_URL } from "../helpers/postgres.ts";

const MAIN = join(import.meta.dir, "../../src/main.ts");
const REDIS_URL = process.env.KEYWAY_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const dir = mkdtempSync(join(tmpdir(), "keyway-migrate-"));

async function keyway(args: string[], timeoutMs = 20_000) {
  const proc = Bun.spawn([process.execPath, MAIN, ...args], { env: { ...process.env, KEYWAY_CONFIG: "" }, stdout: "pipe", stderr: "pipe" });
  const exited = await Promise.race([proc.exited.then(() => true), Bun.sleep(timeoutMs).then(() => false)]);
  if (!exited) proc.kill("SIGTERM");
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  return { code: exited ? proc.exitCode : "still running", out, err };
}

/** The URL of the test server with every connection's search_path set to `schema`. */
function urlIn(schema: string): string {
  const url = new URL(POSTGRES_URL);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}

let configs = 0;
function writeConfig(storage: string, extra: string[] = []): string {
  const file = join(dir, `keyway-${++configs}.yaml`);
  writeFileSync(file, [`storage: ${storage}`, `security: { master_key_file: ${join(dir, `master-${configs}.key`)}, admin_key: kw_migrate_test_admin_0000001 }`, "server: { host: 127.0.0.1, port: 0 }", ...extra].join("\n"));
  return file;
}

const pgTags = postgresMigrations.map((m) => m.tag);
const fresh = await freshPostgresSchema("cli");
const inspector = openPool({ url: POSTGRES_URL, poolSize: 1 });
afterAll(async () => {
  await inspector.close();
  await fresh.drop();
});

async function tablesIn(schema: string): Promise<string[]> {
  const rows = (await inspector`SELECT table_name FROM information_schema.tables WHERE table_schema = ${schema} ORDER BY table_name`) as { table_name: string }[];
  return rows.map((row) => row.table_name);
}

describe("keyway check / migrate / serve on Postgres", () => {
  const pgConfig = writeConfig(`{ driver: postgres, url: "${urlIn(fresh.schema)}", migrate: false, pool_size: 2 }`);

  test("the schema travels in the URL: Bun's client honours options=-c search_path", async () => {
    const sql = openPool({ url: urlIn(fresh.schema), poolSize: 1 });
    try {
      const [row] = (await sql`SELECT current_schema() AS schema`) as { schema: string }[];
      expect(row?.schema).toBe(fresh.schema);
    } finally {
      await sql.close();
    }
  });

  test("check on a fresh database reports it reachable with every migration pending", async () => {
    const run = await keyway(["check", "--config", pgConfig]);
    expect(run.code).toBe(0);
    expect(run.out).toContain(`Postgres at postgres://postgres@127.0.0.1:5432/test reachable`);
    expect(run.out).toContain(`${pgTags.length} migration(s) pending (${pgTags.join(", ")})`);
    expect(run.out).toContain("run `keyway migrate` before serve");
  });

  test("serve with migrate: false refuses a database lacking migrations, naming keyway migrate (exit 2)", async () => {
    const run = await keyway(["serve", "--config", pgConfig]);
    expect(run.code).toBe(2);
    expect(run.err).toContain("keyway migrate");
    expect(run.err).toContain("postgres://postgres@127.0.0.1:5432/test");
    expect(run.err).not.toContain("internal error");
    expect(await tablesIn(fresh.schema)).toEqual([]);
  });

  test("migrate applies each migration once and names it; a second run has nothing to do", async () => {
    const first = await keyway(["migrate", "--config", pgConfig]);
    expect(first.code).toBe(0);
    expect(first.out.split("\n").filter((line) => line.startsWith("applied ")).map((line) => line.slice("applied ".length))).toEqual(pgTags);
    const tables = await tablesIn(fresh.schema);
    for (const table of ["accounts", "api_keys", "usage_records", "keyway_migrations"]) expect(tables).toContain(table);
    const recorded = (await inspector.unsafe(`SELECT tag FROM "${fresh.schema}".keyway_migrations ORDER BY tag`)) as { tag: string }[];
    expect(recorded.map((row) => row.tag)).toEqual([...pgTags].sort());

    const second = await keyway(["migrate", "--config", pgConfig]);
    expect(second.code).toBe(0);
    expect(second.out).not.toContain("applied ");
    expect(second.out).toContain("is up to date");

    const check = await keyway(["check", "--config", pgConfig]);
    expect(check.code).toBe(0);
    expect(check.out).toContain("reachable; migrations up to date");
  });

  test("serve on the migrated database answers /health and /ready", async () => {
    const { proc, url } = await startSourceServer(pgConfig);
    try {
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(((await health.json()) as { status: string }).status).toBe("ok");
      const ready = await fetch(`${url}/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: "ready", checks: { database: true } });
    } finally {
      proc.kill("SIGTERM");
      await proc.exited;
    }
  }, 30_000);
});

describe("unreachable databases and Redis", () => {
  const secret = "pw-that-must-not-show";
  const unreachable = writeConfig(`{ driver: postgres, url: "postgres://keyway:${secret}@127.0.0.1:1/keyway" }`);

  test("check, migrate and a store-opening command exit 2 naming the host, never the password, without a stack", async () => {
    for (const args of [["check"], ["migrate"], ["api-keys", "list"]]) {
      const run = await keyway([...args, "--config", unreachable]);
      expect(run.code).toBe(2);
      expect(run.err).toContain("cannot reach Postgres at postgres://keyway@127.0.0.1:1/keyway");
      expect(run.out + run.err).not.toContain(secret);
      expect(run.err).not.toMatch(/\n\s+at /);
    }
  });

  test("serve exits 2 with the same message", async () => {
    const run = await keyway(["serve", "--config", unreachable]);
    expect(run.code).toBe(2);
    expect(run.err).toContain("cannot reach Postgres at postgres://keyway@127.0.0.1:1/keyway");
    expect(run.err).not.toContain(secret);
  });

  test("check sends the configured Redis a PING; an unreachable one is exit 2, named without its password", async () => {
    const sqlite = `{ path: ${join(dir, "redis-check.db")} }`;
    const good = await keyway(["check", "--config", writeConfig(sqlite, [`counters: { driver: redis, url: "${REDIS_URL}" }`])]);
    expect(good.code).toBe(0);
    expect(good.out).toContain("answers PING");
    const bad = await keyway(["check", "--config", writeConfig(sqlite, [`counters: { driver: redis, url: "redis://:${secret}@127.0.0.1:1" }`])]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("cannot reach Redis at redis://127.0.0.1:1");
    expect(bad.out + bad.err).not.toContain(secret);
  });
});

describe("keyway migrate on SQLite", () => {
  test("creates and migrates the file, naming each migration; then reports it up to date", async () => {
    const config = writeConfig(`{ path: ${join(dir, "migrate.db")} }`);
    const before = await keyway(["check", "--config", config]);
    expect(before.code).toBe(0);
    expect(before.out).toContain(`${sqliteMigrations.length} migration(s) pending`);
    const first = await keyway(["migrate", "--config", config]);
    expect(first.code).toBe(0);
    expect(first.out.split("\n").filter((line) => line.startsWith("applied ")).map((line) => line.slice("applied ".length))).toEqual(sqliteMigrations.map((m) => m.tag));
    const second = await keyway(["migrate", "--config", config]);
    expect(second.out).toContain("is up to date");
    const after = await keyway(["check", "--config", config]);
    expect(after.out).toContain("migrations up to date");
  });
});
