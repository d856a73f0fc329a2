// The counters contract: every driver runs this suite (memory here, Redis on the machine's server).
import { afterAll, describe, expect, test } from "bun:test";
import type { Counters } from "../../src/limits/counters.ts";

export function countersContract(name: string, make: () => Counters): void {
  describe(`counters contract: ${name}`, () => {
    const counters = make();
    const ns = `test:${crypto.randomUUID()}:`;
    afterAll(() => counters.close());

    test("reserve grants up to the limit and refuses past it, leaving the value unchanged", async () => {
      expect(await counters.reserve(`${ns}a`, 4, 10, 60_000)).toMatchObject({ granted: true, value: 4 });
      expect(await counters.reserve(`${ns}a`, 6, 10, 60_000)).toMatchObject({ granted: true, value: 10 });
      const refused = await counters.reserve(`${ns}a`, 1, 10, 60_000);
      expect(refused).toMatchObject({ granted: false, value: 10 });
      expect(refused.ttlMs).toBeGreaterThan(50_000);
      expect(await counters.get(`${ns}a`)).toBe(10);
    });

    test("200 concurrent reservations against a limit of 10 let exactly 10 through", async () => {
      const results = await Promise.all(Array.from({ length: 200 }, () => counters.reserve(`${ns}race`, 1, 10, 60_000)));
      expect(results.filter((r) => r.granted)).toHaveLength(10);
      expect(await counters.get(`${ns}race`)).toBe(10);
    });

    test("add gives back (negative) and takes unconditionally; counters expire with their window", async () => {
      await counters.reserve(`${ns}b`, 5, 5, 60_000);
      expect(await counters.add(`${ns}b`, -3, 60_000)).toBe(2);
      expect(await counters.add(`${ns}b`, 10, 60_000)).toBe(12);
      await counters.add(`${ns}short`, 7, 50);
      await Bun.sleep(120);
      expect(await counters.get(`${ns}short`)).toBe(0);
      expect(await counters.reserve(`${ns}short`, 1, 1, 60_000)).toMatchObject({ granted: true, value: 1 });
    });
  });
}
