import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bindProviders } from "../../src/gateway/providers.ts";
import type { ProviderAdapter } from "../../src/plugins/sdk.ts";
import { builtInAdapters } from "../../src/providers/builtin.ts";
import { openStore } from "../../src/store/sqlite/open-store.ts";
import { createLogger } from "../../src/telemetry/logger.ts";
import { createCipher, sealedKid } from "../../src/vault/cipher.ts";
import { generateMasterKey, keyId } from "../../src/vault/master-key.ts";
import { rotateMasterKey } from "../../src/vault/master-key-rotation.ts";
import { openVault } from "../../src/vault/open-vault.ts";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";

const quiet = createLogger("error", () => {});
const providers = bindProviders({ openai: { adapter: "openai" } }, (s) => builtInAdapters.get(s.adapter) as ProviderAdapter, []);
const actor = { id: "test", accountId: "acc_default" };

function fresh() {
  const dir = mkdtempSync(join(tmpdir(), "keyway-races-"));
  return { dbPath: join(dir, "k.db"), keyFile: join(dir, "master.key"), dir };
}

describe("master key rotation is race-free", () => {
  test("a key stored while the rotation prepares is re-read and resealed in the rotation's transaction", async () => {
    const { dbPath, keyFile } = fresh();
    const store = openStore(dbPath);
    await store.accounts.ensureDefault();
    const other = openStore(dbPath);
    try {
      const writer = await openVault(other, providers, { masterKeyFile: keyFile, env: {} }, quiet);
      await writer.vault.add(actor, Array.from({ length: 5 }, (_, i) => ({ provider: "openai", apiKey: `sk-proj-before${i}000000000000` })));
      let added = false;
      const result = await rotateMasterKey(store, { masterKeyFile: keyFile, env: {} }, quiet, {
        onProgress: async () => {
          if (added) return;
          added = true;
          await writer.vault.add(actor, [{ provider: "openai", apiKey: "sk-proj-during0rotation00000000" }]);
        },
      });
      expect(added).toBe(true);
      expect(result.records).toBe(6);
      const kids = (await store.providerKeys.all()).map((r) => sealedKid(r.ciphertext));
      expect(new Set(kids)).toEqual(new Set([result.newKid]));
      const reader = openStore(dbPath);
      const opened = await openVault(reader, providers, { masterKeyFile: keyFile, env: {} }, quiet);
      const secrets = await Promise.all((await reader.providerKeys.all()).map((r) => opened.vault.reveal(r)));
      expect(secrets).toContain("sk-proj-during0rotation00000000");
      reader.close();
    } finally {
      other.close();
      store.close();
    }
  });

  test("a process still holding the rotated-away key stores nothing: a clear error, no unreadable row", async () => {
    const { dbPath, dir } = fresh();
    const oldKey = Buffer.from(generateMasterKey()).toString("hex");
    const env = { KEYWAY_MASTER_KEY: oldKey };
    const stale = openStore(dbPath);
    await stale.accounts.ensureDefault();
    const staleVault = await openVault(stale, providers, { masterKeyFile: join(dir, "unused.key"), env }, quiet);
    await staleVault.vault.add(actor, [{ provider: "openai", apiKey: "sk-proj-first00000000000000000" }]);
    const rotator = openStore(dbPath);
    const newKeyFile = join(dir, "new.key");
    const rotated = await rotateMasterKey(rotator, { masterKeyFile: join(dir, "unused.key"), env }, quiet, { newKeyFile });
    rotator.close();
    const attempt = staleVault.vault.add(actor, [{ provider: "openai", apiKey: "sk-proj-second0000000000000000" }]);
    await expect(attempt).rejects.toMatchObject({ code: "stored_key_unreadable", status: 503 });
    await expect(attempt).rejects.toThrow(`this process holds master key ${rotated.oldKid}, but the database is sealed with ${rotated.newKid}`);
    expect((await stale.providerKeys.all()).map((r) => sealedKid(r.ciphertext))).toEqual([rotated.newKid]);
    stale.close();
  });
});

describe("a stored key sealed with a master key the gateway does not hold", () => {
  let mock: MockOpenAI;
  let gw: TestGateway;
  beforeAll(async () => {
    mock = new MockOpenAI().start();
    gw = await startGateway({ providers: { openai: { adapter: "openai", base_url: mock.url, timeout_ms: 2000 } } });
  });
  afterAll(async () => {
    await gw.stop();
    await mock.stop();
  });

  test("fails closed with an OpenAI-shaped error naming both key ids, never a 500 or garbage", async () => {
    const foreign = generateMasterKey();
    const cipher = await createCipher({ raw: foreign, kid: keyId(foreign), source: "test" });
    const id = "pk_foreign_sealed_000001";
    const db = new Database(gw.dbPath);
    db.run(
      "INSERT INTO provider_keys (id, account_id, provider, ciphertext, hint, fingerprint, status, created_at) VALUES (?, 'acc_default', 'openai', ?, 'zzzz', 'f', 'active', ?)",
      [id, await cipher.encrypt("sk-proj-foreign0000000000000zzzz", id, "acc_default"), Date.now()],
    );
    db.close();
    const calls = mock.calls.length;
    const res = await gw.post("/v1/chat/completions", { model: "openai/gpt-4o", messages: [{ role: "user", content: "hi" }] }, { "x-use-byok": "true" });
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.error).toMatchObject({ type: "api_error", code: "stored_key_unreadable", param: null });
    expect(body.error.message).toContain(`${id} is sealed with master key ${keyId(foreign)}`);
    expect(body.error.message).toContain("restart keyway with the current master key");
    expect(body.error.message).not.toContain("sk-proj-foreign");
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
    expect(mock.calls.length).toBe(calls);
  });
});
