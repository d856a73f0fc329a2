// Store contract, part: job leases (taken when free or expired, renewed and released only by their holder, and of
// holders racing for a free lease exactly one wins).
import { describe, expect, test } from "bun:test";
import type { Store } from "../../../src/store/store.ts";

export function jobLeasesContract(store: () => Store): void {
  describe("job leases", () => {
    const leases = () => store().jobLeases;

    test("a free lease is taken; while it runs another holder is refused and the holder extends it", async () => {
      expect(await leases().get("job.free")).toBeUndefined();
      expect(await leases().acquire("job.free", "gw_a", 1_000, 10_000)).toBe(true);
      expect(await leases().get("job.free")).toEqual({ job: "job.free", holder: "gw_a", acquiredAt: 10_000, expiresAt: 11_000 });
      expect(await leases().acquire("job.free", "gw_b", 1_000, 10_999)).toBe(false);
      expect(await leases().acquire("job.free", "gw_a", 1_000, 10_500)).toBe(true);
      // Extended by its holder: the time it was first taken stays.
      expect(await leases().get("job.free")).toEqual({ job: "job.free", holder: "gw_a", acquiredAt: 10_000, expiresAt: 11_500 });
    });

    test("an expired lease is taken over by another holder, which the old holder can then neither renew nor release", async () => {
      expect(await leases().acquire("job.expiry", "gw_a", 1_000, 20_000)).toBe(true);
      expect(await leases().acquire("job.expiry", "gw_b", 1_000, 20_999)).toBe(false);
      expect(await leases().acquire("job.expiry", "gw_b", 1_000, 21_000)).toBe(true);
      expect(await leases().get("job.expiry")).toEqual({ job: "job.expiry", holder: "gw_b", acquiredAt: 21_000, expiresAt: 22_000 });
      expect(await leases().renew("job.expiry", "gw_a", 1_000, 21_100)).toBe(false);
      await leases().release("job.expiry", "gw_a");
      expect((await leases().get("job.expiry"))?.holder).toBe("gw_b");
    });

    test("renew extends only the holder's lease; release frees it for anyone at once", async () => {
      expect(await leases().renew("job.renew", "gw_a", 1_000, 30_000)).toBe(false);
      expect(await leases().get("job.renew")).toBeUndefined();
      expect(await leases().acquire("job.renew", "gw_a", 1_000, 30_000)).toBe(true);
      expect(await leases().renew("job.renew", "gw_a", 5_000, 30_800)).toBe(true);
      expect((await leases().get("job.renew"))?.expiresAt).toBe(35_800);
      expect(await leases().acquire("job.renew", "gw_b", 1_000, 35_000)).toBe(false);
      await leases().release("job.renew", "gw_a");
      expect(await leases().get("job.renew")).toBeUndefined();
      expect(await leases().acquire("job.renew", "gw_b", 1_000, 35_000)).toBe(true);
    });

    test("leases of different jobs are independent", async () => {
      expect(await leases().acquire("job.one", "gw_a", 1_000, 40_000)).toBe(true);
      expect(await leases().acquire("job.two", "gw_b", 1_000, 40_000)).toBe(true);
      expect((await leases().get("job.one"))?.holder).toBe("gw_a");
      expect((await leases().get("job.two"))?.holder).toBe("gw_b");
    });

    test("of many holders racing for a free or expired lease exactly one gets it", async () => {
      const holders = Array.from({ length: 12 }, (_, i) => `gw_race_${i}`);
      const first = await Promise.all(holders.map((h) => leases().acquire("job.race", h, 1_000, 50_000)));
      expect(first.filter(Boolean)).toHaveLength(1);
      const winner = holders[first.indexOf(true)];
      expect((await leases().get("job.race"))?.holder).toBe(winner);
      const others = holders.filter((h) => h !== winner);
      const second = await Promise.all(others.map((h) => leases().acquire("job.race", h, 1_000, 51_000)));
      expect(second.filter(Boolean)).toHaveLength(1);
      expect((await leases().get("job.race"))?.holder).toBe(others[second.indexOf(true)]);
    });
  });
}
