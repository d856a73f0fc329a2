import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { knownNames } from "../../src/cli/known-names.ts";
import { loadConfigFrom } from "../../src/config/load.ts";
import { startRuntime } from "../../src/runtime.ts";
import { openStore } from "../../src/store/sqlite/open-store.ts";
import { createLogger } from "../../src/telemetry/logger.ts";
import { sealedKid } from "../../src/vault/cipher.ts";
import { generateMasterKey, MasterKeyError } from "../../src/vault/master-key.ts";
import { openVault } from "../../src/vault/open-vault.ts";
import { bindProviders } from "../../src/gateway/providers.ts";
import { builtInAdapters } from "../../src/providers/builtin.ts";
import type { ProviderAdapter } from "../../src/plugins/sdk.ts";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { startSourceServer } from "../helpers/binary.ts";

const MAIN = join(import.meta.dir, "../../src/main.ts");
const ADMIN = "kw_master_test_admin_000001";
const quiet = createLogger("error", () => {});
const providers = bindProviders({ openai: { adapter: "openai" } }, (s) => builtInAdapters.get(s.adapter) as ProviderAdapter, []);
let mock: MockOpenAI;

beforeAll(() => {
  mock = new MockOpenAI().start();
});
afterAll(async () => {
  await mock.stop();
});

function setup() {
  const dir = mkdtempSync(join(tmpdir(), "keyway-master-"));
  const configFile = join(dir, "keyway.yaml");
  const keyFile = join(dir, "master.key");
  const dbPath = join(dir, "k.db");
  writeFileSync(
    configFile,
    [
      `storage: { path: ${dbPath} }`,
      `security: { master_key_file: ${keyFile}, admin_key: ${ADMIN} }`,
      "server: { host: 127.0.0.1, port: 0 }",
      "telemetry: { log_level: info }",
      `providers: { openai: { adapter: openai, base_url: ${mock.url}, timeout_ms: 3000 } }`,
    ].join("\n"),
  );
  return { dir, configFile, keyFile, dbPath };
}

/** The CLI in a process of its own, without blocking this one (an in-process gateway keeps its heartbeat). */
async function keyway(args: string[], env: Record<string, string> = {}) {
  const proc = Bun.spawn([process.execPath, MAIN, ...args], { stdout: "pipe", stderr: "pipe", env: { ...process.env, KEYWAY_CONFIG: "", ...env } });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, out, err };
}

async function seed(dbPath: string, keyFile: string, count: number): Promise<string[]> {
  const store = openStore(dbPath);
  await store.accounts.ensureDefault();
  const vault = await openVault(store, providers, { masterKeyFile: keyFile, env: {} }, quiet);
  const secrets = Array.from({ length: count }, (_, i) => `sk-proj-master${String(i).padStart(8, "0")}xyz`);
  for (let i = 0; i < secrets.length; i += 500) {
    await vault.vault.add({ id: "test", accountId: "acc_default" }, secrets.slice(i, i + 500).map((apiKey) => ({ provider: "openai", apiKey })));
  }
  await vault.audit.close();
  store.close();
  return secrets;
}

/** Every stored key, decrypted with whatever master key the vault opens with. */
async function revealAll(dbPath: string, keyFile: string): Promise<string[]> {
  const store = openStore(dbPath);
  try {
    const vault = await openVault(store, providers, { masterKeyFile: keyFile, env: {} }, quiet);
    const records = await store.providerKeys.all();
    return Promise.all(records.map((r) => vault.vault.reveal(r)));
  } finally {
    store.close();
  }
}

function sealedKids(dbPath: string): string[] {
  const db = new Database(dbPath);
  try {
    return (db.query("SELECT ciphertext FROM provider_keys").all() as { ciphertext: string }[]).map((r) => sealedKid(r.ciphertext) ?? "?");
  } finally {
    db.close();
  }
}

const chat = (url: string) =>
  fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json", "x-use-byok": "true" },
    body: JSON.stringify({ model: "openai/gpt-4o", messages: [{ role: "user", content: "hi" }] }),
  });

describe("master key", () => {
  test("a wrong master key is refused at start-up with a clear message", async () => {
    const { configFile, keyFile, dbPath } = setup();
    await seed(dbPath, keyFile, 1);
    writeFileSync(keyFile, Buffer.from(generateMasterKey()).toString("base64"));
    const raw = { storage: { path: dbPath }, security: { master_key_file: keyFile }, server: { port: 0 } };
    const { config } = loadConfigFrom(raw, configFile, {}, knownNames);
    const attempt = startRuntime({ config, source: configFile, logger: quiet });
    await expect(attempt).rejects.toBeInstanceOf(MasterKeyError);
    await expect(attempt).rejects.toThrow(/is not the one this database was encrypted with/);
    const cli = Bun.spawnSync([process.execPath, MAIN, "serve", "--config", configFile]);
    expect(cli.exitCode).toBe(1);
    expect(cli.stderr.toString()).toContain("master key");
  });

  test("a missing key file is not replaced when the database holds sealed keys: serve and the CLI refuse, nothing is created", async () => {
    const { configFile, keyFile, dbPath } = setup();
    await seed(dbPath, keyFile, 2);
    const kids = sealedKids(dbPath);
    rmSync(keyFile);
    for (const args of [["serve"], ["keys", "list"], ["master-key", "rotate"]]) {
      const run = await keyway([...args, "--config", configFile]);
      expect(run.code).toBe(1);
      expect(run.err).toContain(`the master key file ${keyFile} does not exist`);
      expect(run.err).toContain(`holds 2 stored provider keys sealed with master key ${kids[0]}`);
      expect(run.err).toContain("restore");
      expect(existsSync(keyFile)).toBe(false);
      expect(existsSync(`${keyFile}.next`)).toBe(false);
    }
    expect(sealedKids(dbPath)).toEqual(kids);
  });

  test("a missing key file is refused even when the database holds only the canary", async () => {
    const { configFile, keyFile, dbPath } = setup();
    await seed(dbPath, keyFile, 0);
    rmSync(keyFile);
    const { config } = loadConfigFrom({ storage: { path: dbPath }, security: { master_key_file: keyFile }, server: { port: 0 } }, configFile, {}, knownNames);
    await expect(startRuntime({ config, source: configFile, logger: quiet })).rejects.toThrow(/holds 0 stored provider keys and a canary sealed with master key/);
    expect(existsSync(keyFile)).toBe(false);
  });

  test("keyway master-key rotate re-encrypts every key; the old key file no longer opens them", async () => {
    const { configFile, keyFile, dbPath } = setup();
    const secrets = await seed(dbPath, keyFile, 20);
    const oldKey = readFileSync(keyFile, "utf8");
    const run = Bun.spawnSync([process.execPath, MAIN, "master-key", "rotate", "--config", configFile]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout.toString()).toContain("20 stored keys re-encrypted");
    expect(readFileSync(keyFile, "utf8")).not.toBe(oldKey);
    expect(existsSync(`${keyFile}.next`)).toBe(false);
    expect((await revealAll(dbPath, keyFile)).sort()).toEqual([...secrets].sort());
    const stale = join(setup().dir, "old.key");
    writeFileSync(stale, oldKey);
    await expect(revealAll(dbPath, stale)).rejects.toBeInstanceOf(MasterKeyError);
  });

  test("a rotation killed half way loses nothing: the next start opens every key", async () => {
    const { configFile, keyFile, dbPath } = setup();
    const secrets = await seed(dbPath, keyFile, 3000);
    const proc = Bun.spawn([process.execPath, MAIN, "master-key", "rotate", "--config", configFile], { stdout: "pipe", stderr: "pipe" });
    const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
    let seen = "";
    while (!seen.includes("re-encrypted")) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    proc.kill("SIGKILL");
    await proc.exited;
    expect(proc.signalCode).toBe("SIGKILL");
    expect(seen).not.toContain("master key rotated");
    expect((await revealAll(dbPath, keyFile)).sort()).toEqual([...secrets].sort());
    expect(existsSync(`${keyFile}.next`)).toBe(false);
    const { config } = loadConfigFrom({ storage: { path: dbPath }, security: { master_key_file: keyFile, admin_key: "kw_after_kill_admin_00001" }, server: { port: 0 } }, configFile, {}, knownNames);
    const runtime = await startRuntime({ config, source: configFile, logger: quiet });
    await runtime.stop();
  });
});

describe("master key rotation and running gateways", () => {
  test("rotate refuses while a gateway process holds the database; stop, rotate, start works", async () => {
    const { configFile, keyFile, dbPath } = setup();
    const secrets = await seed(dbPath, keyFile, 2);
    const oldKey = readFileSync(keyFile, "utf8");
    const kids = sealedKids(dbPath);
    const first = await startSourceServer(configFile);
    try {
      const refused = await keyway(["master-key", "rotate", "--config", configFile]);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain("1 gateway holds this database");
      expect(refused.err).toContain(`pid ${first.proc.pid}`);
      expect(refused.err).toContain("Stop every gateway that uses this database, run keyway master-key rotate, then start them again");
      expect(refused.out).not.toContain("re-encrypted");
      expect(readFileSync(keyFile, "utf8")).toBe(oldKey);
      expect(existsSync(`${keyFile}.next`)).toBe(false);
      expect(sealedKids(dbPath)).toEqual(kids);
      expect((await chat(first.url)).status).toBe(200);
    } finally {
      first.proc.kill("SIGTERM");
      await first.proc.exited;
    }
    const rotated = await keyway(["master-key", "rotate", "--config", configFile]);
    expect(rotated.code).toBe(0);
    expect(rotated.out).toContain("2 stored keys re-encrypted");
    expect(new Set(sealedKids(dbPath)).has(kids[0] as string)).toBe(false);
    const again = await startSourceServer(configFile);
    try {
      const res = await chat(again.url);
      expect(res.status).toBe(200);
      expect(secrets).toContain(mock.last().headers.authorization?.slice(7) as string);
    } finally {
      again.proc.kill("SIGTERM");
      await again.proc.exited;
    }
  });

  test("a gateway killed with SIGKILL holds the database until its lease is stale", async () => {
    const { configFile, keyFile, dbPath } = setup();
    const secrets = await seed(dbPath, keyFile, 1);
    const server = await startSourceServer(configFile);
    server.proc.kill("SIGKILL");
    await server.proc.exited;
    const refused = await keyway(["master-key", "rotate", "--config", configFile]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("1 gateway holds this database");
    // Three missed heartbeats later the lease is stale; age it instead of waiting.
    const db = new Database(dbPath);
    db.run("UPDATE gateway_leases SET heartbeat_at = heartbeat_at - 60000");
    db.close();
    const rotated = await keyway(["master-key", "rotate", "--config", configFile]);
    expect(rotated.code).toBe(0);
    expect(rotated.err).toContain("ignored 1 stale gateway lease");
    expect(await revealAll(dbPath, keyFile)).toEqual(secrets);
  });

  test("--force rotates under a running gateway with a loud warning; the gateway follows and no key is lost", async () => {
    const { configFile, keyFile, dbPath } = setup();
    const [first] = await seed(dbPath, keyFile, 1);
    const { config } = loadConfigFrom({ storage: { path: dbPath }, security: { master_key_file: keyFile, admin_key: ADMIN }, server: { port: 0 }, providers: { openai: { adapter: "openai", base_url: mock.url } } }, configFile, {}, knownNames);
    const logs: string[] = [];
    const runtime = await startRuntime({ config, source: configFile, logger: createLogger("debug", (l) => logs.push(l)), leaseIntervalMs: 60_000 });
    try {
      expect((await chat(runtime.url)).status).toBe(200);
      const forced = await keyway(["master-key", "rotate", "--force", "--config", configFile]);
      expect(forced.code).toBe(0);
      expect(forced.err).toContain("WARNING");
      expect(forced.err).toContain("1 gateway holds this database");
      const newKid = sealedKids(dbPath)[0];
      // A key stored right after the rotation, before any heartbeat: sealed with the new key, never the old one.
      const SECOND = "sk-proj-stored0after0rotation000001";
      const stored = await fetch(`${runtime.url}/v1/providers/keys`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
        body: JSON.stringify({ providers: [{ name: "openai", api_key: SECOND }] }),
      });
      expect(stored.status).toBe(201);
      expect((await stored.json()).encryption.key_id).toBe(newKid);
      expect(new Set(sealedKids(dbPath))).toEqual(new Set([newKid as string]));
      const res = await chat(runtime.url);
      expect(res.status).toBe(200);
      expect(logs.some((l) => l.includes("adopted the rotated master key"))).toBe(true);
    } finally {
      await runtime.stop();
    }
    expect((await revealAll(dbPath, keyFile)).sort()).toEqual([first as string, "sk-proj-stored0after0rotation000001"].sort());
  });
});
