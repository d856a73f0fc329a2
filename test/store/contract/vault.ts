// Store contract, part: stored provider keys (sealed writes, rotation, master-key reseal), audit, rotation schedules, leases.
import { describe, expect, test } from "bun:test";
import type { GatewayLease } from "../../../src/store/repositories/gateway-leases.ts";
import type { ProviderKeyRecord, SealCheck } from "../../../src/store/repositories/provider-keys.ts";
import type { Store } from "../../../src/store/store.ts";

function providerKey(accountId: string, id: string, fields: Partial<ProviderKeyRecord> = {}): ProviderKeyRecord {
  return {
    id, accountId, teamId: null, provider: "openai", label: null, environment: null, organizationId: null, settings: null,
    ciphertext: `v1:k1:${id}`, hint: "abcd", fingerprint: `fp-${id}`, status: "active", rotationDays: null, retireAt: null,
    createdAt: 1_000, rotatedAt: null, ...fields,
  };
}

const CANARY = "contract.canary";

/** Accepts any canary and records what it saw. */
function sealCheck(seen: (string | undefined)[] = []): SealCheck {
  return { setting: CANARY, check: (canary) => void seen.push(canary) };
}

export function vaultContract(store: () => Store): void {
  describe("provider keys", () => {
    test("insertMany checks the canary in its transaction, and a refusing check writes nothing", async () => {
      const account = await store().accounts.create("pk insert");
      const seen: (string | undefined)[] = [];
      const before = await store().providerKeys.count();
      await store().providerKeys.insertMany([], sealCheck(seen));
      await store().providerKeys.insertMany([providerKey(account.id, "pk_1", { settings: { region: "eu" }, label: "main" })], sealCheck(seen));
      expect(seen).toEqual([undefined]);
      const refuse: SealCheck = { setting: CANARY, check: () => { throw new Error("sealed with another master key"); } };
      await expect(store().providerKeys.insertMany([providerKey(account.id, "pk_refused")], refuse)).rejects.toThrow("another master key");
      expect(await store().providerKeys.get("pk_refused")).toBeUndefined();
      expect(await store().providerKeys.count()).toBe(before + 1);
      expect(await store().providerKeys.get("pk_1")).toEqual(providerKey(account.id, "pk_1", { settings: { region: "eu" }, label: "main" }));
      expect(await store().providerKeys.get("pk_none")).toBeUndefined();
    });

    test("list filters by account, provider and statuses, newest first; dueForRetirement finds retiring keys past their date", async () => {
      const account = await store().accounts.create("pk list");
      await store().providerKeys.insertMany([
        providerKey(account.id, "pk_l1", { createdAt: 10 }),
        providerKey(account.id, "pk_l2", { createdAt: 30, provider: "anthropic" }),
        providerKey(account.id, "pk_l3", { createdAt: 20, status: "retiring", retireAt: 500 }),
        providerKey(account.id, "pk_l4", { createdAt: 40, status: "retiring", retireAt: 900 }),
      ], sealCheck());
      expect((await store().providerKeys.list(account.id)).map((k) => k.id)).toEqual(["pk_l4", "pk_l2", "pk_l3", "pk_l1"]);
      expect((await store().providerKeys.list(account.id, "openai")).map((k) => k.id)).toEqual(["pk_l4", "pk_l3", "pk_l1"]);
      expect((await store().providerKeys.list(account.id, "openai", ["active"])).map((k) => k.id)).toEqual(["pk_l1"]);
      expect((await store().providerKeys.list(account.id, undefined, ["active", "retiring"])).map((k) => k.id)).toEqual(["pk_l4", "pk_l2", "pk_l3", "pk_l1"]);
      expect((await store().providerKeys.dueForRetirement(600)).map((k) => k.id)).toEqual(["pk_l3"]);
      expect((await store().providerKeys.all()).map((k) => k.id)).toEqual(expect.arrayContaining(["pk_l1", "pk_l2", "pk_l3", "pk_l4"]));
    });

    test("setStatus, rotate (insert the new key and demote the old at once) and remove", async () => {
      const account = await store().accounts.create("pk rotate");
      await store().providerKeys.insertMany([providerKey(account.id, "pk_r1"), providerKey(account.id, "pk_r2")], sealCheck());
      await store().providerKeys.setStatus("pk_r2", "retiring", { retireAt: 7_000 });
      expect(await store().providerKeys.get("pk_r2")).toMatchObject({ status: "retiring", retireAt: 7_000, rotatedAt: null });
      await store().providerKeys.setStatus("pk_r2", "retired", { retireAt: null, rotatedAt: 8_000 });
      expect(await store().providerKeys.get("pk_r2")).toMatchObject({ status: "retired", retireAt: null, rotatedAt: 8_000 });

      const seen: (string | undefined)[] = [];
      await store().providerKeys.rotate(providerKey(account.id, "pk_r3", { createdAt: 5_000 }), "pk_r1", "retiring", 9_000, sealCheck(seen));
      expect(seen).toHaveLength(1);
      expect(await store().providerKeys.get("pk_r3")).toEqual(providerKey(account.id, "pk_r3", { createdAt: 5_000 }));
      expect(await store().providerKeys.get("pk_r1")).toMatchObject({ status: "retiring", retireAt: 9_000, rotatedAt: 5_000 });
      const refuse: SealCheck = { setting: CANARY, check: () => { throw new Error("refused"); } };
      await expect(store().providerKeys.rotate(providerKey(account.id, "pk_r4"), "pk_r3", "retired", null, refuse)).rejects.toThrow("refused");
      expect(await store().providerKeys.get("pk_r4")).toBeUndefined();
      expect((await store().providerKeys.get("pk_r3"))?.status).toBe("active");

      expect(await store().providerKeys.remove("pk_r2")).toBe(true);
      expect(await store().providerKeys.remove("pk_r2")).toBe(false);
      expect(await store().providerKeys.get("pk_r2")).toBeUndefined();
    });

    test("resealAll admits with the canary and leases, reseals every record and replaces the canary, or changes nothing", async () => {
      const account = await store().accounts.create("pk reseal");
      await store().providerKeys.insertMany([providerKey(account.id, "pk_s1")], sealCheck());
      await store().gatewayLeases.beat({ instanceId: "gw_reseal", host: "h", pid: 1, startedAt: 1, heartbeatAt: 2, heartbeatEveryMs: 5_000 });
      const refused = store().providerKeys.resealAll({
        canarySetting: CANARY,
        admit: () => { throw new Error("another gateway is running"); },
        reseal: (record) => ({ id: record.id, ciphertext: "never", fingerprint: "never" }),
        canary: "never",
      });
      await expect(refused).rejects.toThrow("another gateway");
      expect((await store().providerKeys.get("pk_s1"))?.ciphertext).toBe("v1:k1:pk_s1");
      expect(await store().settings.get(CANARY)).toBeUndefined();

      const admitted: { canary: string | undefined; leases: GatewayLease[] }[] = [];
      const total = await store().providerKeys.count();
      const count = await store().providerKeys.resealAll({
        canarySetting: CANARY,
        admit: (state) => void admitted.push(state),
        reseal: (record) => ({ id: record.id, ciphertext: `v1:k2:${record.id}`, fingerprint: `fp2-${record.id}` }),
        canary: "canary-k2",
      });
      expect(count).toBe(total);
      expect(admitted).toHaveLength(1);
      expect(admitted[0]?.canary).toBeUndefined();
      expect(admitted[0]?.leases.map((l) => l.instanceId)).toContain("gw_reseal");
      expect(await store().providerKeys.get("pk_s1")).toMatchObject({ ciphertext: "v1:k2:pk_s1", fingerprint: "fp2-pk_s1", hint: "abcd" });
      expect(await store().settings.get(CANARY)).toBe("canary-k2");
      await store().providerKeys.resealAll({ canarySetting: CANARY, admit: (state) => void admitted.push(state), reseal: (r) => r, canary: "canary-k3" });
      expect(admitted[1]?.canary).toBe("canary-k2");
      expect(await store().settings.get(CANARY)).toBe("canary-k3");
      await store().gatewayLeases.remove("gw_reseal");
    });

    test("sealed writes racing a master-key rotation: no value sealed with the old key survives it", async () => {
      const account = await store().accounts.create("pk reseal race");
      const setting = "contract.race.canary";
      // Writers seal with k1 and refuse once the canary names k2; the rotation reseals everything with k2.
      const k1Only: SealCheck = { setting, check: (canary) => { if (canary === "canary-k2") throw new Error("sealed with another master key"); } };
      const write = (i: number) => store().providerKeys.insertMany([providerKey(account.id, `pk_race_${i}`, { ciphertext: `v1:k1:pk_race_${i}` })], k1Only);
      const rotation = store().providerKeys.resealAll({
        canarySetting: setting,
        admit: () => {},
        reseal: (record) => ({ id: record.id, ciphertext: record.ciphertext.replace("v1:k1:", "v1:k2:"), fingerprint: record.fingerprint }),
        canary: "canary-k2",
      });
      const outcomes = await Promise.allSettled([...Array.from({ length: 20 }, (_, i) => write(i)), rotation, ...Array.from({ length: 20 }, (_, i) => write(20 + i))]);
      expect(outcomes[20]?.status).toBe("fulfilled");
      const stored = await store().providerKeys.list(account.id);
      const written = outcomes.filter((o, i) => i !== 20 && o.status === "fulfilled").length;
      expect(stored).toHaveLength(written);
      expect(stored.filter((k) => !k.ciphertext.startsWith("v1:k2:"))).toEqual([]);
      expect(await store().settings.get(setting)).toBe("canary-k2");
    });
  });

  describe("audit", () => {
    test("insertMany then query by each filter, newest first, up to the limit", async () => {
      await store().audit.insertMany([]);
      const event = { accountId: "acc_audit", actor: "k_1", action: "key.added", outcome: "ok", createdAt: 100 };
      await store().audit.insertMany([
        { ...event, keyId: "pk_1", provider: "openai", detail: { label: "main" } },
        { ...event, action: "key.used", keyId: "pk_1", provider: "openai", createdAt: 200 },
        { ...event, actor: "k_2", action: "key.used", keyId: "pk_2", provider: "anthropic", outcome: "error", createdAt: 300 },
        { ...event, actor: "scheduler", action: "key.rotated", keyId: "pk_3", createdAt: 400 },
        { ...event, accountId: "acc_audit_other", createdAt: 500 },
      ]);
      const ids = async (q: Partial<Parameters<Store["audit"]["query"]>[0]>) =>
        (await store().audit.query({ accountId: "acc_audit", limit: 100, ...q })).map((e) => `${e.actor}:${e.action}:${e.createdAt}`);
      expect(await ids({})).toEqual(["scheduler:key.rotated:400", "k_2:key.used:300", "k_1:key.used:200", "k_1:key.added:100"]);
      expect(await ids({ limit: 2 })).toEqual(["scheduler:key.rotated:400", "k_2:key.used:300"]);
      expect(await ids({ action: "key.used" })).toEqual(["k_2:key.used:300", "k_1:key.used:200"]);
      expect(await ids({ keyId: "pk_1" })).toEqual(["k_1:key.used:200", "k_1:key.added:100"]);
      expect(await ids({ provider: "anthropic" })).toEqual(["k_2:key.used:300"]);
      expect(await ids({ actor: "k_1" })).toEqual(["k_1:key.used:200", "k_1:key.added:100"]);
      expect(await ids({ since: 200, until: 300 })).toEqual(["k_2:key.used:300", "k_1:key.used:200"]);
      expect(await ids({ team: { actors: ["k_2"], keyIds: ["pk_3"] } })).toEqual(["scheduler:key.rotated:400", "k_2:key.used:300"]);
      expect(await ids({ team: { actors: [], keyIds: [] } })).toEqual([]);
      expect(await ids({ accountId: "acc_audit_other" })).toEqual(["k_1:key.added:500"]);
      const [added] = await store().audit.query({ accountId: "acc_audit", action: "key.added", limit: 1 });
      expect(added).toEqual({ ...event, id: added?.id ?? -1, keyId: "pk_1", provider: "openai", detail: { label: "main" } });
      const [rotated] = await store().audit.query({ accountId: "acc_audit", action: "key.rotated", limit: 1 });
      expect(rotated).toMatchObject({ keyId: "pk_3", provider: null, detail: null });
    });

    test("a batch larger than one statement's parameters is written whole, in order", async () => {
      const total = 12_345;
      await store().audit.insertMany(Array.from({ length: total }, (_, i) => ({
        accountId: "acc_audit_bulk", actor: "k_bulk", action: "key.used", keyId: `pk_${i % 7}`, outcome: "ok", createdAt: 1_000 + i,
      })));
      const events = await store().audit.query({ accountId: "acc_audit_bulk", limit: total + 10 });
      expect(events).toHaveLength(total);
      expect(events[0]?.createdAt).toBe(1_000 + total - 1);
      expect(events[total - 1]?.createdAt).toBe(1_000);
      expect((await store().audit.query({ accountId: "acc_audit_bulk", keyId: "pk_3", limit: total })).length).toBe(Math.floor((total - 4) / 7) + 1);
    });
  });

  describe("rotation schedules", () => {
    test("upsert creates, then replaces the account's schedule for the provider keeping its id; markRun records a run", async () => {
      const schedule = { id: "rs_1", accountId: "acc_rs", provider: "openai", cron: "0 0 * * *", webhooks: ["https://hooks.example/a"], lastRunAt: null, createdAt: 1 };
      expect(await store().rotationSchedules.upsert(schedule)).toEqual(schedule);
      const replaced = await store().rotationSchedules.upsert({ ...schedule, id: "rs_2", cron: "0 6 * * 1", webhooks: [], createdAt: 2 });
      expect(replaced).toEqual({ ...schedule, cron: "0 6 * * 1", webhooks: [], createdAt: 2 });
      await store().rotationSchedules.upsert({ ...schedule, id: "rs_3", provider: "anthropic" });
      await store().rotationSchedules.markRun("rs_1", 777);
      const mine = (await store().rotationSchedules.all()).filter((s) => s.accountId === "acc_rs").sort((a, b) => a.id.localeCompare(b.id));
      expect(mine).toEqual([
        { ...schedule, cron: "0 6 * * 1", webhooks: [], createdAt: 2, lastRunAt: 777 },
        { ...schedule, id: "rs_3", provider: "anthropic" },
      ]);
    });
  });

  describe("gateway leases", () => {
    test("beat writes the lease, then refreshes only its heartbeat; remove drops it and a later beat puts it back", async () => {
      const lease: GatewayLease = { instanceId: "gw_l", host: "host-a", pid: 42, startedAt: 1_000, heartbeatAt: 1_000, heartbeatEveryMs: 5_000 };
      await store().gatewayLeases.beat(lease);
      expect((await store().gatewayLeases.all()).filter((l) => l.instanceId === "gw_l")).toEqual([lease]);
      await store().gatewayLeases.beat({ ...lease, host: "host-b", pid: 7, startedAt: 9, heartbeatAt: 6_000, heartbeatEveryMs: 2_000 });
      expect((await store().gatewayLeases.all()).filter((l) => l.instanceId === "gw_l")).toEqual([{ ...lease, heartbeatAt: 6_000, heartbeatEveryMs: 2_000 }]);
      await store().gatewayLeases.remove("gw_l");
      expect((await store().gatewayLeases.all()).some((l) => l.instanceId === "gw_l")).toBe(false);
      await store().gatewayLeases.beat({ ...lease, heartbeatAt: 8_000 });
      expect((await store().gatewayLeases.all()).filter((l) => l.instanceId === "gw_l")).toEqual([{ ...lease, heartbeatAt: 8_000 }]);
    });
  });
}
