// Each signal drops what it names and nothing else; `everything` drops all three caches.
import { describe, expect, test } from "bun:test";
import { invalidateCaches } from "../../src/signals/cache-invalidation.ts";
import type { Signal } from "../../src/signals/signal.ts";

function recordingCaches() {
  const calls: string[] = [];
  return {
    calls,
    caches: {
      keys: { forget: (digests: readonly string[]) => calls.push(`keys:${digests.join(",")}`), forgetAll: () => calls.push("keys:all") },
      teams: { invalidate: () => calls.push("teams") },
      storedKeys: { invalidate: () => calls.push("stored") },
    },
  };
}

describe("invalidateCaches", () => {
  const cases: [Signal, string[]][] = [
    [{ kind: "api_keys", digests: ["a".repeat(64), "b".repeat(64)] }, [`keys:${"a".repeat(64)},${"b".repeat(64)}`]],
    [{ kind: "teams" }, ["teams"]],
    [{ kind: "stored_keys" }, ["stored"]],
    [{ kind: "everything" }, ["keys:all", "teams", "stored"]],
  ];
  for (const [signal, expected] of cases) {
    test(`${signal.kind} drops ${expected.join(" + ")}`, () => {
      const { calls, caches } = recordingCaches();
      invalidateCaches(caches)(signal);
      expect(calls).toEqual(expected);
    });
  }
});

describe("the authenticator's forgetAll", () => {
  test("a cached lookup is read again from the repository after forgetAll, not before", async () => {
    const { createAuthenticator } = await import("../../src/accounts/authenticator.ts");
    const { digestKey } = await import("../../src/accounts/key-material.ts");
    let reads = 0;
    const record = { id: "key_1", accountId: "acct", teamId: null, role: "developer", operator: false, ipAllowlist: null, revokedAt: null, expiresAt: null };
    const repo = {
      findByDigest: async () => {
        reads++;
        return record;
      },
      revokedDigestsSince: async () => [],
    } as unknown as Parameters<typeof createAuthenticator>[0];
    const auth = createAuthenticator(repo, { defaultAccountId: "acct", revocationCheckMs: 60_000 });
    expect(digestKey("kw_x")).toMatch(/^[0-9a-f]{64}$/);
    await auth.authenticate("kw_x");
    await auth.authenticate("kw_x");
    expect(reads).toBe(1);
    auth.forgetAll();
    expect((await auth.authenticate("kw_x"))?.keyId).toBe("key_1");
    expect(reads).toBe(2);
  });
});
