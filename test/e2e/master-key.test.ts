import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { knownNames } from "../../src/cli/known-names.ts";
import { loadConfigFrom } from "../../src/config/load.ts";
import { startRuntime } from "../../src/runtime.ts";
import { openStore } from "../../src/store/store.ts";
import { createLogger } from "../../src/telemetry/logger.ts";
import { generateMasterKey, MasterKeyError } from "../../src/vault/master-key.ts";
import { openVault } from "../../src/vault/open-vault.ts";
import { bindProviders } from "../../src/gateway/providers.ts";
import { builtInAdapters } from "../../src/providers/builtin.ts";
import type { ProviderAdapter } from "../../src/plugins/sdk.ts";

const MAIN = join(import.meta.dir, "../../src/main.ts");
const quiet = createLogger("error", () => {});
const providers = bindProviders({ openai: { adapter: "openai" } }, (s) => builtInAdapters.get(s.adapter) as ProviderAdapter, []);

function setup() {
  const dir = mkdtempSync(join(tmpdir(), "keyway-master-"));
  const configFile = join(dir, "keyway.yaml");
  const keyFile = join(dir, "master.key");
  writeFileSync(configFile, `storage: { path: ${join(dir, "k.db")} }\nsecurity: { master_key_file: ${keyFile}, admin_key: kw_master_test_admin_000001 }\nserver: { port: 0 }\n`);
  return { dir, configFile, keyFile, dbPath: join(dir, "k.db") };
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
