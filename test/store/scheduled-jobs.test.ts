// Retention passes and alert evaluation, each started on two gateways sharing one SQLite file through leased job
// gates: the interval ticks on both, but only the lease holder does the work; the other takes over when the holder
// stops. A lone gateway (no gate) does the work on every tick, as before.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ALERTS_JOB, createAlertsService } from "../../src/alerts/service.ts";
import { createWebhooks } from "../../src/notify/webhooks.ts";
import { leasedJobs } from "../../src/store/job-gate.ts";
import type { UsageRepo } from "../../src/store/repositories/usage.ts";
import { openStore } from "../../src/store/sqlite/open-store.ts";
import type { Store } from "../../src/store/store.ts";
import { createLogger } from "../../src/telemetry/logger.ts";
import { RETENTION_JOB, startUsageRetention } from "../../src/usage/retention.ts";

const logger = createLogger("error", () => {});
const TTL = 600;
let dir: string;
let a: Store;
let b: Store;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "keyway-scheduled-jobs-"));
  a = openStore(join(dir, "keyway.db"));
  b = openStore(join(dir, "keyway.db"));
});
afterAll(() => {
  a.close();
  b.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The real usage repository, counting the prune calls made through it. */
function counted(repo: UsageRepo): { repo: UsageRepo; calls: () => number } {
  let calls = 0;
  const wrapped = Object.create(repo) as UsageRepo;
  wrapped.pruneBefore = (before, limit) => {
    calls++;
    return repo.pruneBefore(before, limit);
  };
  return { repo: wrapped, calls: () => calls };
}

describe("scheduled work on two gateways sharing a store", () => {
  test("usage retention passes run on the lease holder only, and on the other gateway once the holder stops", async () => {
    const gateA = leasedJobs({ repo: a.jobLeases, holder: "gw_ret_a", logger, ttlMs: TTL });
    const gateB = leasedJobs({ repo: b.jobLeases, holder: "gw_ret_b", logger, ttlMs: TTL });
    const usageA = counted(a.usage);
    const usageB = counted(b.usage);
    const retA = startUsageRetention(usageA.repo, logger, { retentionDays: 30, intervalMs: 50, gate: gateA });
    await Bun.sleep(30);
    const retB = startUsageRetention(usageB.repo, logger, { retentionDays: 30, intervalMs: 50, gate: gateB });
    await Bun.sleep(TTL * 2);
    expect(usageA.calls()).toBeGreaterThan(5);
    expect(usageB.calls()).toBe(0);
    expect((await a.jobLeases.get(RETENTION_JOB))?.holder).toBe("gw_ret_a");
    await retA.stop();
    await gateA.stop();
    await Bun.sleep(300);
    expect(usageB.calls()).toBeGreaterThan(2);
    expect((await a.jobLeases.get(RETENTION_JOB))?.holder).toBe("gw_ret_b");
    await retB.stop();
    await gateB.stop();
  });

  test("alert evaluation runs on the lease holder only", async () => {
    const evaluations = { a: 0, b: 0 };
    const service = (store: Store, who: "a" | "b", holder: string) => {
      const gate = leasedJobs({ repo: store.jobLeases, holder, logger, ttlMs: TTL });
      const alerts = Object.create(store.alerts) as Store["alerts"];
      alerts.list = (scope) => {
        evaluations[who]++;
        return store.alerts.list(scope);
      };
      const alertsService = createAlertsService({
        store: { alerts, teams: store.teams, accounts: store.accounts },
        settings: { timeZone: "UTC", providers: ["openai"], intervalMs: 40 },
        webhooks: createWebhooks({ secret: undefined, logger }),
        logger,
        gate,
      });
      return { alertsService, gate };
    };
    const one = service(a, "a", "gw_alert_a");
    one.alertsService.start();
    await Bun.sleep(100);
    const two = service(b, "b", "gw_alert_b");
    two.alertsService.start();
    await Bun.sleep(TTL * 2);
    expect(evaluations.a).toBeGreaterThan(5);
    expect(evaluations.b).toBe(0);
    expect((await a.jobLeases.get(ALERTS_JOB))?.holder).toBe("gw_alert_a");
    await one.alertsService.stop();
    await one.gate.stop();
    await Bun.sleep(300);
    expect(evaluations.b).toBeGreaterThan(2);
    await two.alertsService.stop();
    await two.gate.stop();
  });

  test("without a gate, every tick runs the pass (a lone gateway)", async () => {
    const usage = counted(a.usage);
    const retention = startUsageRetention(usage.repo, logger, { retentionDays: 30, intervalMs: 50 });
    await Bun.sleep(400);
    await retention.stop();
    expect(usage.calls()).toBeGreaterThan(4);
  });
});
