// The storage section: one driver's fields only, a Postgres URL that is required and judged without being repeated.
import { describe, expect, test } from "bun:test";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { knownNames } from "../../src/cli/known-names.ts";
import { ConfigError } from "../../src/config/errors.ts";
import { loadConfigFrom } from "../../src/config/load.ts";
import { validateConfig } from "../../src/config/validate.ts";
import { describeDatabaseUrl } from "../../src/store/database-url.ts";

function issuesOf(storage: unknown) {
  return validateConfig({ storage }, knownNames).issues.filter((issue) => issue.path.startsWith("storage"));
}

describe("storage config", () => {
  test("postgres with a URL is accepted, with pool_size 10 and migrate true by default", () => {
    const { config, issues } = validateConfig({ storage: { driver: "postgres", url: "postgres://kw:pw@db.internal:5432/keyway" } }, knownNames);
    expect(issues).toEqual([]);
    expect(config?.storage).toMatchObject({ driver: "postgres", url: "postgres://kw:pw@db.internal:5432/keyway", pool_size: 10, migrate: true });
  });

  test("postgresql:// and explicit pool_size / migrate are accepted", () => {
    const { config, issues } = validateConfig({ storage: { driver: "postgres", url: "postgresql://db/keyway", pool_size: 3, migrate: false } }, knownNames);
    expect(issues).toEqual([]);
    expect(config?.storage).toMatchObject({ pool_size: 3, migrate: false });
  });

  test("the URL is required with postgres", () => {
    expect(issuesOf({ driver: "postgres" })).toEqual([{ path: "storage.url", message: expect.stringContaining("required with driver postgres") }]);
    expect(issuesOf({ driver: "postgres", url: "" })).toEqual([{ path: "storage.url", message: expect.stringContaining("required with driver postgres") }]);
  });

  test("a URL of another scheme, without a host, or unparseable is refused without repeating it (it may hold a password)", () => {
    for (const url of ["mysql://u:topsecret@db/keyway", "postgres://:topsecret@/keyway", "not a url topsecret"]) {
      const issues = issuesOf({ driver: "postgres", url });
      expect(issues).toHaveLength(1);
      expect(issues[0]?.path).toBe("storage.url");
      expect(issues[0]?.message).not.toContain("topsecret");
    }
    expect(issuesOf({ driver: "postgres", url: "mysql://db/k" })[0]?.message).toContain("postgres://");
  });

  test("sqlite-only and postgres-only fields are refused on the other driver, each named", () => {
    expect(issuesOf({ driver: "postgres", url: "postgres://db/k", path: "./k.db" })).toEqual([
      { path: "storage.path", message: "only for driver sqlite; remove it or change storage.driver" },
    ]);
    const onSqlite = issuesOf({ url: "postgres://db/k", pool_size: 5, migrate: false });
    expect(onSqlite.map((issue) => issue.path).sort()).toEqual(["storage.migrate", "storage.pool_size", "storage.url"]);
    for (const issue of onSqlite) expect(issue.message).toBe("only for driver postgres; remove it or change storage.driver");
  });

  test("pool_size must be a positive integer", () => {
    expect(issuesOf({ driver: "postgres", url: "postgres://db/k", pool_size: 0 }).map((i) => i.path)).toEqual(["storage.pool_size"]);
  });

  test("sqlite stays the default and keeps its folder check", () => {
    const { config } = validateConfig({}, knownNames);
    expect(config?.storage).toMatchObject({ driver: "sqlite", path: "./keyway.db" });
    expect(issuesOf({ path: join(tmpdir(), "k.db") })).toEqual([]);
    expect(issuesOf({ path: "/nonexistent-keyway-dir/k.db" }).map((i) => i.path)).toEqual(["storage.path"]);
  });

  test("the URL may come from the environment; a problem names the variable, not the value", () => {
    const env = { PG_URL: "mysql://kw:envsecret@db/keyway" };
    let caught: unknown;
    try {
      loadConfigFrom({ storage: { driver: "postgres", url: "${PG_URL}" } }, "t.yaml", env, knownNames);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const described = (caught as ConfigError).describe();
    expect(described).toContain("storage.url");
    expect(described).toContain("${PG_URL}");
    expect(described).not.toContain("envsecret");
    const ok = loadConfigFrom({ storage: { driver: "postgres", url: "${PG_URL}" } }, "t.yaml", { PG_URL: "postgres://kw:pw@db/keyway" }, knownNames);
    expect(ok.config.storage.url).toBe("postgres://kw:pw@db/keyway");
  });

  test("a database URL is described without its password", () => {
    expect(describeDatabaseUrl("postgres://kw:hunter2@db.internal:6543/keyway?sslmode=require")).toBe("postgres://kw@db.internal:6543/keyway");
    expect(describeDatabaseUrl("postgresql://db/keyway")).toBe("postgresql://db/keyway");
    expect(describeDatabaseUrl("::: hunter2")).not.toContain("hunter2");
  });
});
