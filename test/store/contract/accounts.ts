// Store contract, part: accounts, keyway keys and settings.
import { describe, expect, test } from "bun:test";
import { DEFAULT_ACCOUNT_ID } from "../../../src/store/repositories/accounts.ts";
import type { NewApiKeyRecord } from "../../../src/store/repositories/api-keys.ts";
import type { Store } from "../../../src/store/store.ts";

export function apiKey(accountId: string, id: string, fields: Partial<NewApiKeyRecord> = {}): NewApiKeyRecord {
  return { id, accountId, name: `key ${id}`, role: "developer", digest: `digest-${id}`, prefix: `kw_${id.slice(0, 4)}`, createdAt: 1_000, ...fields };
}

export function accountsContract(store: () => Store): void {
  describe("accounts", () => {
    test("ensureDefault creates the default account once, with no credits", async () => {
      const first = await store().accounts.ensureDefault();
      expect(first).toMatchObject({ id: DEFAULT_ACCOUNT_ID, name: "default", creditsMicros: 0 });
      await store().accounts.adjustCredits(DEFAULT_ACCOUNT_ID, 5);
      const again = await store().accounts.ensureDefault();
      expect(again).toEqual({ ...first, creditsMicros: 5 });
    });

    test("create returns the row that get reads back; unknown ids read undefined", async () => {
      const created = await store().accounts.create("acme", 1_500);
      expect(created.id).toStartWith("acc_");
      expect(created).toMatchObject({ name: "acme", creditsMicros: 1_500 });
      expect(await store().accounts.get(created.id)).toEqual(created);
      expect(await store().accounts.get("acc_missing")).toBeUndefined();
      expect((await store().accounts.create("zero")).creditsMicros).toBe(0);
    });

    test("adjustCredits adds and takes unconditionally and returns the balance; undefined for no such account", async () => {
      const account = await store().accounts.create("adjust", 100);
      expect(await store().accounts.adjustCredits(account.id, 250)).toBe(350);
      expect(await store().accounts.adjustCredits(account.id, -400)).toBe(-50);
      expect((await store().accounts.get(account.id))?.creditsMicros).toBe(-50);
      expect(await store().accounts.adjustCredits("acc_missing", 10)).toBeUndefined();
    });
  });

  describe("api keys", () => {
    test("insert fills defaults; get and findByDigest read the row back with JSON and boolean fields", async () => {
      const account = await store().accounts.create("keys");
      await store().apiKeys.insert(apiKey(account.id, "k_plain"));
      await store().apiKeys.insert(apiKey(account.id, "k_full", { operator: true, role: "admin", ipAllowlist: ["10.0.0.0/8", "::1"], expiresAt: 9_000, teamId: "team_x" }));
      expect(await store().apiKeys.get("k_plain")).toEqual({
        ...apiKey(account.id, "k_plain"),
        teamId: null,
        operator: false,
        ipAllowlist: null,
        expiresAt: null,
        revokedAt: null,
      });
      expect(await store().apiKeys.findByDigest("digest-k_full")).toMatchObject({
        id: "k_full",
        operator: true,
        role: "admin",
        ipAllowlist: ["10.0.0.0/8", "::1"],
        expiresAt: 9_000,
        teamId: "team_x",
      });
      expect(await store().apiKeys.findByDigest("digest-none")).toBeUndefined();
      expect(await store().apiKeys.get("k_none")).toBeUndefined();
    });

    test("a digest is unique", async () => {
      const account = await store().accounts.create("unique");
      await store().apiKeys.insert(apiKey(account.id, "k_u1", { digest: "same-digest" }));
      await expect(store().apiKeys.insert(apiKey(account.id, "k_u2", { digest: "same-digest" }))).rejects.toThrow();
      expect(await store().apiKeys.get("k_u2")).toBeUndefined();
    });

    test("list scopes by account and team, newest first", async () => {
      const a = await store().accounts.create("list a");
      const b = await store().accounts.create("list b");
      await store().apiKeys.insert(apiKey(a.id, "k_a1", { createdAt: 10 }));
      await store().apiKeys.insert(apiKey(a.id, "k_a3", { createdAt: 30, teamId: "team_l" }));
      await store().apiKeys.insert(apiKey(a.id, "k_a2", { createdAt: 20, teamId: "team_l" }));
      await store().apiKeys.insert(apiKey(b.id, "k_b1", { createdAt: 40 }));
      expect((await store().apiKeys.list({ accountId: a.id })).map((k) => k.id)).toEqual(["k_a3", "k_a2", "k_a1"]);
      expect((await store().apiKeys.list({ accountId: a.id, teamId: "team_l" })).map((k) => k.id)).toEqual(["k_a3", "k_a2"]);
      expect((await store().apiKeys.list({ accountId: b.id })).map((k) => k.id)).toEqual(["k_b1"]);
      const all = (await store().apiKeys.list()).map((k) => k.id);
      expect(all).toEqual(expect.arrayContaining(["k_a1", "k_a2", "k_a3", "k_b1"]));
      expect(all.indexOf("k_b1")).toBeLessThan(all.indexOf("k_a3"));
    });

    test("revoke marks a live key once and returns its digest; revokedDigestsSince lists what was revoked since", async () => {
      const account = await store().accounts.create("revoke");
      await store().apiKeys.insert(apiKey(account.id, "k_r1"));
      await store().apiKeys.insert(apiKey(account.id, "k_r2"));
      await store().apiKeys.insert(apiKey(account.id, "k_r3"));
      expect(await store().apiKeys.revoke("k_r1", 5_000_000)).toBe("digest-k_r1");
      expect(await store().apiKeys.revoke("k_r1", 6_000_000)).toBeUndefined();
      expect(await store().apiKeys.revoke("k_missing")).toBeUndefined();
      expect(await store().apiKeys.revoke("k_r2", 7_000_000)).toBe("digest-k_r2");
      expect((await store().apiKeys.get("k_r1"))?.revokedAt).toBe(5_000_000);
      expect((await store().apiKeys.get("k_r3"))?.revokedAt).toBeNull();
      expect((await store().apiKeys.revokedDigestsSince(5_000_000)).sort()).toEqual(["digest-k_r1", "digest-k_r2"]);
      expect(await store().apiKeys.revokedDigestsSince(6_000_000)).toEqual(["digest-k_r2"]);
      expect(await store().apiKeys.revokedDigestsSince(8_000_000)).toEqual([]);
    });
  });

  describe("settings", () => {
    test("setIfAbsent sets once; the first value stays", async () => {
      expect(await store().settings.get("contract.setting")).toBeUndefined();
      expect(await store().settings.setIfAbsent("contract.setting", "first")).toBe(true);
      expect(await store().settings.setIfAbsent("contract.setting", "second")).toBe(false);
      expect(await store().settings.get("contract.setting")).toBe("first");
    });
  });
}
