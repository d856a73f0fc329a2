// Store contract, part: credit reservations (conditional takes, settlement) and usage rows.
import { describe, expect, test } from "bun:test";
import type { Reserved } from "../../../src/store/repositories/credit-reservations.ts";
import type { UsageRecord } from "../../../src/store/repositories/usage.ts";
import type { Store } from "../../../src/store/store.ts";

function usageRow(accountId: string, requestId: string, fields: Partial<UsageRecord> = {}): UsageRecord {
  return { requestId, accountId, apiKeyId: "k_usage", endpoint: "/v1/chat/completions", byok: false, status: 200, attempts: 1, latencyMs: 12, createdAt: 1_000, ...fields };
}

export function creditsContract(store: () => Store): void {
  describe("credit reservations", () => {
    const reserve = (accountId: string, micros: number, requestId = "req_1") =>
      store().creditReservations.reserve({ accountId, micros, requestId, instanceId: "gw_1" });

    test("reserve takes from a balance that covers it and refuses, untouched, one that does not", async () => {
      const account = await store().accounts.create("reserve", 1_000);
      const granted = await reserve(account.id, 400);
      expect(granted).toMatchObject({ granted: true, balance: 600 });
      if (!granted.granted) throw new Error("expected a grant");
      expect(granted.id).toStartWith("res_");
      expect(await reserve(account.id, 700)).toEqual({ granted: false, balance: 600 });
      expect(await reserve(account.id, 600)).toMatchObject({ granted: true, balance: 0 });
      expect(await reserve(account.id, 1)).toEqual({ granted: false, balance: 0 });
      expect((await store().accounts.get(account.id))?.creditsMicros).toBe(0);
      const held = (await store().creditReservations.held()).filter((r) => r.accountId === account.id);
      expect(held.map((r) => r.reservedMicros).sort()).toEqual([400, 600]);
    });

    test("a negative balance covers nothing; an unknown account is refused with balance 0", async () => {
      const account = await store().accounts.create("negative", 0);
      await store().accounts.adjustCredits(account.id, -50);
      expect(await reserve(account.id, 0)).toEqual({ granted: false, balance: -50 });
      expect(await reserve("acc_missing", 1)).toEqual({ granted: false, balance: 0 });
    });

    test("concurrent reservations never take more than the balance", async () => {
      const account = await store().accounts.create("race", 1_000);
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => reserve(account.id, 100, `req_race_${i}`)));
      expect(results.filter((r) => r.granted)).toHaveLength(10);
      expect((await store().accounts.get(account.id))?.creditsMicros).toBe(0);
    });

    test("racing reservations, double settlements and adjustments leave the balance exact", async () => {
      const account = await store().accounts.create("exact", 10_000);
      // 40 reservations of 300 race 20 top-ups of 1: at most 10,020 is ever there, so exactly 33 are granted.
      const racing = await Promise.all([
        ...Array.from({ length: 40 }, (_, i) => reserve(account.id, 300, `req_exact_${i}`)),
        ...Array.from({ length: 20 }, () => store().accounts.adjustCredits(account.id, 1).then(() => undefined)),
      ]);
      const granted = racing.filter((r): r is Extract<Reserved, { granted: true }> => r !== undefined && r.granted);
      expect(granted).toHaveLength(33);
      expect((await store().accounts.get(account.id))?.creditsMicros).toBe(10_000 + 20 - 33 * 300);
      // Each reservation settled twice at once (only one may count), racing 10 deductions of 5.
      const charge = (i: number) => 100 + ((i * 37) % 350); // some under, some over the 300 reserved
      const settled = await Promise.all([
        ...granted.flatMap((r, i) => [store().creditReservations.settle(r.id, charge(i)), store().creditReservations.settle(r.id, charge(i))]),
        ...Array.from({ length: 10 }, () => store().accounts.adjustCredits(account.id, -5).then(() => undefined)),
      ]);
      expect(settled.filter((s) => s !== undefined)).toHaveLength(33);
      const charged = granted.reduce((sum, _r, i) => sum + charge(i), 0);
      expect((await store().accounts.get(account.id))?.creditsMicros).toBe(10_000 + 20 - 50 - charged);
      expect((await store().creditReservations.held()).filter((r) => r.accountId === account.id)).toEqual([]);
    });

    test("settle keeps the charge, gives back the rest (or takes the overshoot), removes the row, once", async () => {
      const account = await store().accounts.create("settle", 1_000);
      const first = await reserve(account.id, 400, "req_s1");
      const second = await reserve(account.id, 100, "req_s2");
      if (!first.granted || !second.granted) throw new Error("expected grants");
      expect(await store().creditReservations.settle(first.id, 250)).toEqual({ accountId: account.id, reservedMicros: 400, balance: 650 });
      expect(await store().creditReservations.settle(first.id, 250)).toBeUndefined();
      expect(await store().creditReservations.settle(second.id, 300)).toEqual({ accountId: account.id, reservedMicros: 100, balance: 450 });
      expect((await store().accounts.get(account.id))?.creditsMicros).toBe(450);
      expect((await store().creditReservations.held()).filter((r) => r.accountId === account.id)).toEqual([]);
      expect(await store().creditReservations.settle("res_missing", 1)).toBeUndefined();
    });

    test("held lists every reservation's fields, oldest first", async () => {
      const account = await store().accounts.create("held", 100);
      const before = Date.now();
      const a = await reserve(account.id, 10, "req_h1");
      await Bun.sleep(3);
      const b = await reserve(account.id, 20, "req_h2");
      if (!a.granted || !b.granted) throw new Error("expected grants");
      const held = (await store().creditReservations.held()).filter((r) => r.accountId === account.id);
      expect(held.map((r) => r.id)).toEqual([a.id, b.id]);
      expect(held[0]).toMatchObject({ id: a.id, requestId: "req_h1", accountId: account.id, instanceId: "gw_1", reservedMicros: 10 });
      expect(held[0]?.createdAt).toBeGreaterThanOrEqual(before);
      expect(held[1]?.createdAt).toBeGreaterThan(held[0]?.createdAt ?? Infinity);
    });

    test("usageFor finds the usage rows of the reservation's account and request written since it, by id", async () => {
      const account = await store().accounts.create("usage for", 100);
      const other = await store().accounts.create("usage other", 100);
      const held = await reserve(account.id, 50, "req_u");
      if (!held.granted) throw new Error("expected a grant");
      const reservation = (await store().creditReservations.held()).find((r) => r.id === held.id);
      if (reservation === undefined) throw new Error("reservation not listed");
      const at = reservation.createdAt;
      await store().usage.insertMany([
        usageRow(account.id, "req_u", { costMicros: 7, createdAt: at }),
        usageRow(account.id, "req_u", { costMicros: 9, createdAt: at - 1 }),
        usageRow(account.id, "req_other", { costMicros: 11, createdAt: at + 1 }),
        usageRow(other.id, "req_u", { costMicros: 13, createdAt: at + 1 }),
        usageRow(account.id, "req_u", { costMicros: 15, createdAt: at + 2 }),
      ]);
      const found = await store().creditReservations.usageFor(reservation);
      expect(found.map((u) => u.costMicros)).toEqual([7, 15]);
      expect(found[0]?.id).toBeLessThan(found[1]?.id ?? 0);
    });
  });

  describe("usage", () => {
    test("insertMany fills defaults; recent reads an account's rows back, newest first, up to the limit", async () => {
      const account = await store().accounts.create("usage");
      await store().usage.insertMany([]);
      await store().usage.insertMany([
        usageRow(account.id, "req_1"),
        usageRow(account.id, "req_2", {
          teamId: "team_u",
          projectTag: "alpha",
          provider: "openai",
          model: "gpt-4o",
          keySource: "stored",
          byok: true,
          status: 502,
          inputTokens: 10,
          outputTokens: 20,
          usageEstimated: true,
          costMicros: 0,
          estimatedCostMicros: 345,
          cacheReadTokens: 6,
          cacheWriteTokens: 3,
          reasoningTokens: 12,
          attempts: 2,
          latencyMs: 99,
          createdAt: 2_000,
        }),
        usageRow(account.id, "req_3"),
      ]);
      await store().usage.insertMany([usageRow("acc_elsewhere", "req_x")]);
      const rows = await store().usage.recent(account.id);
      expect(rows.map((r) => r.requestId)).toEqual(["req_3", "req_2", "req_1"]);
      expect(rows[2]).toEqual({
        ...usageRow(account.id, "req_1"),
        id: rows[2]?.id ?? -1,
        teamId: null,
        projectTag: null,
        provider: null,
        model: null,
        keySource: null,
        inputTokens: 0,
        outputTokens: 0,
        usageEstimated: false,
        costMicros: 0,
        estimatedCostMicros: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        reasoningTokens: 0,
      });
      expect(rows[1]).toMatchObject({ teamId: "team_u", projectTag: "alpha", provider: "openai", model: "gpt-4o", keySource: "stored", byok: true });
      expect(rows[1]).toMatchObject({ status: 502, inputTokens: 10, outputTokens: 20, usageEstimated: true, estimatedCostMicros: 345, attempts: 2, latencyMs: 99, createdAt: 2_000 });
      expect(rows[1]).toMatchObject({ cacheReadTokens: 6, cacheWriteTokens: 3, reasoningTokens: 12 });
      expect((await store().usage.recent(account.id, 2)).map((r) => r.requestId)).toEqual(["req_3", "req_2"]);
    });

    test("insertMany of a batch longer than one insert statement keeps every row's own values, in order", async () => {
      const account = await store().accounts.create("usage batch");
      // 37 rows: more than two statements' worth, the last one short; set fields and defaults alternate.
      const batch = Array.from({ length: 37 }, (_, i) =>
        usageRow(account.id, `req_b${i}`, i % 2 === 0 ? { costMicros: i * 10, byok: true, model: `m${i}`, createdAt: 5_000 + i } : { createdAt: 5_000 + i }),
      );
      await store().usage.insertMany(batch);
      const rows = (await store().usage.recent(account.id, 100)).reverse();
      expect(rows.map((r) => r.requestId)).toEqual(batch.map((r) => r.requestId));
      expect(rows.map((r) => [r.costMicros, r.byok, r.model, r.createdAt])).toEqual(
        batch.map((_, i) => (i % 2 === 0 ? [i * 10, true, `m${i}`, 5_000 + i] : [0, false, null, 5_000 + i])),
      );
      expect(new Set(rows.map((r) => r.id)).size).toBe(37);
    });
  });
}
