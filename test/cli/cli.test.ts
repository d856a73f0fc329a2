import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startGateway } from "../helpers/gateway.ts";

const MAIN = join(import.meta.dir, "../../src/main.ts");

function keyway(args: string[], env: Record<string, string> = {}, cwd?: string) {
  const result = Bun.spawnSync([process.execPath, MAIN, ...args], { env: { ...process.env, ...env, KEYWAY_CONFIG: env.KEYWAY_CONFIG ?? "" }, cwd });
  return { code: result.exitCode, out: result.stdout.toString(), err: result.stderr.toString() };
}

/** Runs keyway without blocking this process (an in-process gateway may be serving); kills it after `timeoutMs`. */
async function keywayAsync(args: string[], env: Record<string, string> = {}, timeoutMs = 15_000) {
  const proc = Bun.spawn([process.execPath, MAIN, ...args], { env: { ...process.env, ...env, KEYWAY_CONFIG: env.KEYWAY_CONFIG ?? "" }, stdout: "pipe", stderr: "pipe" });
  const exited = await Promise.race([proc.exited.then(() => true), Bun.sleep(timeoutMs).then(() => false)]);
  if (!exited) {
    proc.kill("SIGTERM");
    await proc.exited;
  }
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  return { code: exited ? proc.exitCode : "still running", out, err };
}

describe("keyway CLI", () => {
  const dir = mkdtempSync(join(tmpdir(), "keyway-cli-"));
  const good = join(dir, "good.yaml");
  writeFileSync(good, `storage: { path: ${join(dir, "cli.db")} }\nserver: { port: 9999 }\nsecurity: { master_key_file: ${join(dir, "master.key")} }\n`);

  test("version and --help exit 0", () => {
    expect(keyway(["version"]).out).toMatch(/^keyway \d+\.\d+\.\d+/);
    for (const args of [["--help"], ["serve", "--help"], ["check", "--help"], ["api-keys", "--help"]]) {
      const run = keyway(args);
      expect(run.code).toBe(0);
      expect(run.out).toContain("keyway");
    }
  });

  test("unknown commands and flags are user errors (exit 1)", () => {
    expect(keyway(["launch"]).code).toBe(1);
    const flag = keyway(["serve", "--bogus"]);
    expect(flag.code).toBe(1);
    expect(flag.err).toContain("bogus");
    expect(keyway(["serve", "--config", good, "--port", "http"]).code).toBe(1);
  });

  test("serve on a port already in use is a user error naming the address", () => {
    const holder = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("busy") });
    try {
      const run = keyway(["serve", "--config", good, "--port", String(holder.port)]);
      expect(run.code).toBe(1);
      expect(run.err).toContain(`cannot listen on 127.0.0.1:${holder.port}`);
    } finally {
      holder.stop(true);
    }
  });

  test("serve on a port another keyway listens on is refused, not silently shared", async () => {
    const first = await startGateway({});
    try {
      const port = new URL(first.url).port;
      const run = await keywayAsync(["serve", "--config", good, "--port", port]);
      expect(run.code).toBe(1);
      expect(run.err).toContain(`cannot listen on 127.0.0.1:${port}`);
      expect(run.err).not.toContain("    at ");
      expect((await fetch(`${first.url}/health`)).status).toBe(200);
    } finally {
      await first.stop();
    }
  }, 30_000);

  test("server.reuse_port: true lets two keyways share a port on purpose", async () => {
    const first = await startGateway({ server: { reuse_port: true } });
    try {
      const port = Number(new URL(first.url).port);
      const second = await startGateway({ server: { reuse_port: true, port } });
      try {
        expect(second.url).toBe(first.url);
        const answers = await Promise.all(Array.from({ length: 8 }, () => fetch(`${first.url}/health`).then((r) => r.json())));
        expect(answers.every((a) => a.status === "ok")).toBe(true);
      } finally {
        await second.stop();
      }
    } finally {
      await first.stop();
    }
  });

  test("check and serve refuse a config the same way: every problem, exit 1, no stack", async () => {
    const bad = join(dir, "unset-var.yaml");
    writeFileSync(
      bad,
      [
        `storage: { path: ${join(dir, "unset.db")} }`,
        `security: { master_key_file: ${join(dir, "unset.key")} }`,
        "server: { port: \"${KW_TEST_PORT:-0}\", prot: 1 }",
        "providers:",
        '  local: { adapter: openai-compatible, base_url: "http://${KW_TEST_LOCAL_HOST}:11434/v1" }',
        "routing: { default: { strategy: fastest-ever } }",
      ].join("\n"),
    );
    const env = { KW_TEST_LOCAL_HOST: "" };
    const checked = await keywayAsync(["check", "--config", bad], env);
    const served = await keywayAsync(["serve", "--config", bad], env);
    expect(checked.code).toBe(1);
    expect(served.code).toBe(1);
    expect(checked.err).toContain("providers.local.base_url: ${KW_TEST_LOCAL_HOST} is not set and has no default");
    expect(checked.err).toContain("server.prot: unknown key");
    expect(checked.err).toContain("routing.default.strategy: unknown strategy 'fastest-ever'");
    expect(served.err).toBe(checked.err);
    expect(served.err).not.toContain("    at ");
    expect(served.err).not.toContain("TypeError");
  }, 40_000);

  test("check: exit 0 on a good config, exit 1 listing every problem with its path", () => {
    const ok = keyway(["check", "--config", good]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain("config ok");
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "server:\n  prot: 1\n  port: abc\nstorage: { driver: oracle }\n");
    const run = keyway(["check", "--config", bad]);
    expect(run.code).toBe(1);
    expect(run.err).toContain("server.prot: unknown key");
    expect(run.err).toContain("server.port: expected integer");
    expect(run.err).toContain("storage.driver");
    expect(keyway(["check"], { KEYWAY_CONFIG: bad }).code).toBe(1);
  });

  test("api-keys create, list and revoke against the local database", () => {
    const created = keyway(["api-keys", "create", "--config", good, "--name", "deploy", "--role", "viewer"]);
    expect(created.code).toBe(0);
    const key = /kw_[A-Za-z0-9_-]{43}/.exec(created.out)?.[0] as string;
    const id = /created (key_[A-Za-z0-9_-]+)/.exec(created.out)?.[1] as string;
    expect(key).toBeDefined();
    const listed = keyway(["api-keys", "list", "--config", good, "--json"]);
    const rows = JSON.parse(listed.out);
    expect(rows.find((r: { id: string }) => r.id === id)).toMatchObject({ name: "deploy", role: "viewer", revoked_at: null });
    expect(listed.out).not.toContain(key);
    expect(readFileSync(join(dir, "cli.db")).toString("latin1")).not.toContain(key);
    expect(keyway(["api-keys", "revoke", id, "--config", good]).code).toBe(0);
    expect(keyway(["api-keys", "revoke", id, "--config", good]).code).toBe(1);
    expect(keyway(["api-keys", "create", "--config", good]).code).toBe(1);
    expect(keyway(["api-keys", "create", "--config", good, "--name", "x", "--ip", "not-an-ip"]).code).toBe(1);
  });
});

describe("keyway keys", () => {
  const dir = mkdtempSync(join(tmpdir(), "keyway-cli-keys-"));
  const config = join(dir, "keyway.yaml");
  writeFileSync(config, `storage: { path: ${join(dir, "k.db")} }\nsecurity: { master_key_file: ${join(dir, "master.key")} }\n`);
  const run = (args: string[], stdin?: string) => {
    const result = Bun.spawnSync([process.execPath, MAIN, "keys", ...args, "--config", config], { stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin), env: { ...process.env, KEYWAY_CONFIG: "" } });
    return { code: result.exitCode, out: result.stdout.toString(), err: result.stderr.toString() };
  };

  test("add (key from stdin), list, rotate and remove against the local database", () => {
    const SECRET = "sk-proj-cli0stored0000000000000abcd";
    const added = run(["add", "--provider", "openai", "--label", "cli"], SECRET);
    expect(added.code).toBe(0);
    expect(added.out).toContain("...abcd");
    const id = /stored (pk_\S+)/.exec(added.out)?.[1] as string;
    const listed = JSON.parse(run(["list", "--json"]).out);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id, provider: "openai", label: "cli", status: "active" });
    expect(run(["list"]).out).not.toContain(SECRET);

    const rotated = run(["rotate", "--provider", "openai"], "sk-proj-cli0stored0000000000000efgh");
    expect(rotated.code).toBe(0);
    expect(rotated.out).toContain(`rotated: ${id} ->`);
    const after = JSON.parse(run(["list", "--json"]).out);
    expect(after.map((k: { status: string }) => k.status).sort()).toEqual(["active", "retired"]);

    expect(run(["remove", id]).code).toBe(0);
    expect(JSON.parse(run(["list", "--json"]).out)).toHaveLength(1);
    expect(readFileSync(join(dir, "k.db")).toString("latin1")).not.toContain(SECRET);
  });

  test("bad input is a user error", () => {
    expect(run(["add", "--provider", "nosuch"], "sk-x").code).toBe(1);
    expect(run(["add", "--provider", "openai"], "").code).toBe(1);
    const broken = run(["add", "--provider", "openai"], "sk-proj-two\rparts0000000000");
    expect(broken.code).toBe(1);
    expect(broken.err).toContain("cannot be sent to a provider");
    expect(broken.err).not.toContain("parts0000000000");
    expect(JSON.parse(run(["list", "--json"]).out)).toHaveLength(1);
    expect(run(["remove", "pk_nope"]).code).toBe(1);
    expect(run(["explode"]).code).toBe(1);
  });
});
