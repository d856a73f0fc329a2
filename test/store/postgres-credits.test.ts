// Credits on one Postgres database shared by several gateways: two stores (two connection pools, as two gateway
// processes have) race reservations, settlements and top-ups on one account, and the balance stays exact.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Reserved } from "../../src/store/repositories/credit-reservations.ts";
import { openPostgresStore } from "../../src/store/postgres/open-store.ts";
import type { Store } from "../../src/store/store.ts";
import { freshPostgresSchema, POSTGRES_URL } from "../helpers/postgres.ts";

const fresh = await freshPostgresSchema("credits");
let gateways: Store[] = [];

beforeAll(async () => {
  gateways = await Promise.all([1, 2].map(() => openPostgresStore({ url: POSTGRES_URL, schema: fresh.schema, poolSize: 4 })));
});
afterAll(async () => {
  for (const store of gateways) store.close();
  await fresh.drop();
});

const gateway = (i: number): Store => gateways[i % gateways.length] as Store;

test("two gateways racing on one account never take more than the balance, and settle each reservation once", async () => {
  const account = await gateway(0).accounts.create("shared", 50_000);
  // 120 reservations of 500 from both gateways race 30 top-ups of 10: at most 50,300 is there, so exactly 100 pass.
  const racing = await Promise.all([
    ...Array.from({ length: 120 }, (_, i) =>
      gateway(i).creditReservations.reserve({ accountId: account.id, micros: 500, requestId: `req_${i}`, instanceId: `gw_${i % 2}` }),
    ),
    ...Array.from({ length: 30 }, (_, i) => gateway(i).accounts.adjustCredits(account.id, 10).then(() => undefined)),
  ]);
  const granted = racing.filter((r): r is Extract<Reserved, { granted: true }> => r !== undefined && r.granted);
  expect(granted).toHaveLength(100);
  expect((await gateway(1).accounts.get(account.id))?.creditsMicros).toBe(50_000 + 300 - 100 * 500);

  // Every reservation settled by both gateways at once (as after a restart's recovery racing the call's own end).
  const charge = (i: number) => (i * 53) % 900; // 0 .. 899: some under the 500 held, some over
  const settled = await Promise.all(
    granted.flatMap((r, i) => [gateway(0).creditReservations.settle(r.id, charge(i)), gateway(1).creditReservations.settle(r.id, charge(i))]),
  );
  expect(settled.filter((s) => s !== undefined)).toHaveLength(100);
  const charged = granted.reduce((sum, _r, i) => sum + charge(i), 0);
  expect((await gateway(0).accounts.get(account.id))?.creditsMicros).toBe(50_000 + 300 - charged);
  expect((await gateway(1).creditReservations.held()).filter((r) => r.accountId === account.id)).toEqual([]);
});
