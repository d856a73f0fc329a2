// The key cache forgets revoked keys through the database: what another process (the CLI, another
// gateway) revokes is refused within one check interval, without waiting for the cache to expire.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiKey } from "../../src/accounts/api-keys.ts";
import { createAuthenticator } from "../../src/accounts/authenticator.ts";
import { DEFAULT_ACCOUNT_ID } from "../../src/store/repositories/accounts.ts";
import { openStore } from "../../src/store/sqlite/open-store.ts";
import type { Store } from "../../src/store/store.ts";

let dir: string;
let store: Store;
let other: Store;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "keyway-auth-"));
  store = openStore(join(dir, "keyway.db"));
  await store.accounts.ensureDefault();
  other = openStore(join(dir, "keyway.db")); // a second connection, as the CLI or another gateway holds
});
afterAll(() => {
  other.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

test("a key revoked elsewhere is refused after one check interval, though its lookup is cached for minutes", async () => {
  const auth = createAuthenticator(store.apiKeys, { defaultAccountId: DEFAULT_ACCOUNT_ID, cacheTtlMs: 600_000, revocationCheckMs: 100 });
  const { key, record } = await createApiKey(store.apiKeys, { name: "k", accountId: DEFAULT_ACCOUNT_ID });
  expect((await auth.authenticate(key))?.keyId).toBe(record.id);
  expect(await other.apiKeys.revoke(record.id)).toBe(record.digest);
  expect((await auth.authenticate(key))?.keyId).toBe(record.id); // still cached inside the interval
  await Bun.sleep(120);
  expect(await auth.authenticate(key)).toBeUndefined();
});

test("forget() drops a key at once (a revoke through this gateway)", async () => {
  const auth = createAuthenticator(store.apiKeys, { defaultAccountId: DEFAULT_ACCOUNT_ID, cacheTtlMs: 600_000, revocationCheckMs: 600_000 });
  const { key, record } = await createApiKey(store.apiKeys, { name: "k2", accountId: DEFAULT_ACCOUNT_ID });
  expect(await auth.authenticate(key)).toBeDefined();
  auth.forget([(await store.apiKeys.revoke(record.id)) as string]);
  expect(await auth.authenticate(key)).toBeUndefined();
});
