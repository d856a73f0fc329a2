// The store contract: every driver runs this suite (SQLite in sqlite.test.ts; a Postgres driver runs it the same way).
// Each repository's methods are exercised through the `Store` interface only, on a fresh store per suite.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Store } from "../../src/store/store.ts";
import { accountsContract } from "./contract/accounts.ts";
import { alertsContract } from "./contract/alerts.ts";
import { analyticsContract } from "./contract/analytics.ts";
import { creditsContract } from "./contract/credits.ts";
import { dailyRollupsContract } from "./contract/daily-rollups.ts";
import { dashboardSessionsContract } from "./contract/dashboard-sessions.ts";
import { exportContract } from "./contract/export.ts";
import { jobLeasesContract } from "./contract/job-leases.ts";
import { teamsContract } from "./contract/teams.ts";
import { usageContract } from "./contract/usage.ts";
import { vaultContract } from "./contract/vault.ts";

export type StoreFactory = () => Store | Promise<Store>;

export function storeContract(name: string, make: StoreFactory): void {
  describe(`store contract: ${name}`, () => {
    let store: Store | undefined;
    const current = (): Store => {
      if (store === undefined) throw new Error("the store under test is not open");
      return store;
    };
    beforeAll(async () => {
      store = await make();
    });
    afterAll(() => store?.close());

    test("ping answers true on an open store", async () => {
      expect(await current().ping()).toBe(true);
    });

    accountsContract(current);
    creditsContract(current);
    vaultContract(current);
    teamsContract(current);
    usageContract(current);
    alertsContract(current);
    analyticsContract(current);
    dailyRollupsContract(current);
    exportContract(current);
    jobLeasesContract(current);
    dashboardSessionsContract(current);
  });
}
