// Store contract, part: dashboard sessions (kept by cookie digest, read back as written, removed one by one or when expired).
import { describe, expect, test } from "bun:test";
import type { DashboardSession } from "../../../src/store/repositories/dashboard-sessions.ts";
import type { Store } from "../../../src/store/store.ts";

export function dashboardSessionsContract(store: () => Store): void {
  describe("dashboard sessions", () => {
    const sessions = () => store().dashboardSessions;
    const session = (id: string, expiresAt: number): DashboardSession => ({ id, apiKeyId: "key_a", accountId: "acc_a", csrfToken: `csrf_${id}`, createdAt: 1_000, expiresAt });

    test("a session reads back as written and is removed once", async () => {
      await sessions().insert(session("digest_one", 50_000));
      expect(await sessions().get("digest_one")).toEqual(session("digest_one", 50_000));
      expect(await sessions().remove("digest_one")).toBe(true);
      expect(await sessions().remove("digest_one")).toBe(false);
      expect(await sessions().get("digest_one")).toBeUndefined();
    });

    test("removeExpired deletes the sessions expired by then and keeps the others", async () => {
      await sessions().insert(session("digest_old", 10_000));
      await sessions().insert(session("digest_new", 90_000));
      expect(await sessions().removeExpired(10_000)).toBe(1);
      expect(await sessions().get("digest_old")).toBeUndefined();
      expect(await sessions().get("digest_new")).toBeDefined();
    });
  });
}
