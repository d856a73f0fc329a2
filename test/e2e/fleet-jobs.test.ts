// Scheduled work runs once per fleet: three keyway runtimes on one Postgres schema and one Redis share a cron
// rotation schedule that fires every second. While a dead gateway's lease on the schedules is still valid nobody
// fires it; once it expires one runtime takes the job over, and from then on each second fires once, not three
// times. When that holder stops, another runtime takes the job and the schedule keeps firing, still once.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { knownNames } from "../../src/cli/known-names.ts";
import { loadConfigFrom } from "../../src/config/load.ts";
import { type Runtime, startRuntime } from "../../src/runtime.ts";
import { openPostgresStore } from "../../src/store/postgres/open-store.ts";
import type { Store } from "../../src/store/store.ts";
import { createLogger } from "../../src/telemetry/logger.ts";
import { ROTATION_SCHEDULES_JOB } from "../../src/vault/rotation-scheduler.ts";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { freshPostgresSchema, POSTGRES_URL } from "../helpers/postgres.ts";

const REDIS_URL = process.env.KEYWAY_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const ADMIN = `kw_fleet_jobs_admin_${crypto.randomUUID().replaceAll("-", "")}`;
const TTL_MS = 1_500;
/** The lease of a gateway that died holding the schedules: valid this long after the test starts. */
const DEAD_LEASE_MS = 7_000;

const fresh = await freshPostgresSchema("jobs");
const dir = mkdtempSync(join(tmpdir(), "keyway-fleet-jobs-"));
const logs: string[] = [];
const deliveries: number[] = [];
let receiver: ReturnType<typeof Bun.serve>;
let mock: MockOpenAI;
let store: Store;
let deadLeaseExpiresAt = 0;
const runtimes: Runtime[] = [];

function dbUrl(): string {
  const url = new URL(POSTGRES_URL);
  url.searchParams.set("options", `-c search_path=${fresh.schema}`);
  return url.toString();
}

async function boot(): Promise<Runtime> {
  const raw = {
    server: { host: "127.0.0.1", port: 0 },
    storage: { driver: "postgres", url: dbUrl(), pool_size: 3 },
    counters: { driver: "redis", url: REDIS_URL, prefix: `kw-test-jobs-${crypto.randomUUID()}:` },
    security: { admin_key: ADMIN, master_key_file: join(dir, "master.key"), webhook_secret: "fleet-jobs-webhook-secret-0001", webhook_allow_private_networks: true },
    providers: { openai: { adapter: "openai", base_url: mock.url, timeout_ms: 2000 } },
    telemetry: { log_level: "debug" },
  };
  const { config } = loadConfigFrom(raw, join(dir, "keyway.yaml"), process.env, knownNames);
  return startRuntime({ config, source: join(dir, "keyway.yaml"), logger: createLogger("debug", (line) => logs.push(line)), jobLeaseTtlMs: TTL_MS, drainMs: 500 });
}

beforeAll(async () => {
  receiver = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      if (req.headers.get("x-keyway-event") === "provider_key.rotation_due") deliveries.push(Date.now());
      return new Response("ok");
    },
  });
  mock = new MockOpenAI({ keys: [] }).start();
  store = await openPostgresStore({ url: dbUrl(), poolSize: 2 });
  // A gateway that held the schedules and died: its lease runs out, never renewed.
  expect(await store.jobLeases.acquire(ROTATION_SCHEDULES_JOB, "gw_dead", DEAD_LEASE_MS)).toBe(true);
  deadLeaseExpiresAt = (await store.jobLeases.get(ROTATION_SCHEDULES_JOB))?.expiresAt ?? 0;
  // One after the other: the first creates the master key file the others share.
  for (let i = 0; i < 3; i++) runtimes.push(await boot());
}, 30_000);

afterAll(async () => {
  for (const runtime of runtimes) await runtime.stop();
  store?.close();
  receiver?.stop(true);
  await mock?.stop();
  await fresh.drop();
  rmSync(dir, { recursive: true, force: true });
});

const holder = async () => (await store.jobLeases.get(ROTATION_SCHEDULES_JOB))?.holder;
const instanceIds = async () => (await store.gatewayLeases.all()).map((l) => l.instanceId);

async function waitFor(check: () => Promise<boolean> | boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`not within ${ms} ms`);
    await Bun.sleep(50);
  }
}

/** Deliveries within [from, to): one fire per second, plus at most one made-up run when a gateway takes over. */
function firesBetween(from: number, to: number): number {
  return deliveries.filter((at) => at >= from && at < to).length;
}

describe("scheduled work across three runtimes on one Postgres schema", () => {
  test("a cron rotation fires once per tick, is taken over after the dead holder's lease expires, and again after its holder stops", async () => {
    expect(await instanceIds()).toHaveLength(3);
    // Created through the third runtime; which runtime fires it is up to the lease.
    const res = await fetch(`${runtimes[2]?.url}/v1/providers/keys/rotation-schedule`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
      body: JSON.stringify({ provider: "openai", schedule: "* * * * * *", notification_webhooks: [`http://127.0.0.1:${receiver.port}/due`] }),
    });
    expect(res.status).toBe(201);
    // The three runtimes started and the schedule exists while the dead gateway's lease still holds.
    expect(Date.now()).toBeLessThan(deadLeaseExpiresAt - 500);
    expect(await holder()).toBe("gw_dead");

    // Nobody fires while the dead gateway's lease holds.
    await waitFor(() => Date.now() >= deadLeaseExpiresAt, DEAD_LEASE_MS + 1_000);
    expect(deliveries.filter((at) => at < deadLeaseExpiresAt)).toEqual([]);

    // Then one of the three takes the job over (within a sync tick) and fires.
    await waitFor(async () => (await instanceIds()).includes((await holder()) ?? ""), 2_000);
    const first = (await holder()) as string;
    await waitFor(() => deliveries.length > 0, 2_000);
    const window1 = Date.now();
    await Bun.sleep(4_000);
    const fired1 = firesBetween(window1, Date.now());
    // Four seconds of a per-second cron on one gateway: 4 (maybe 3 or 5 at the edges), never 3 gateways' 12.
    expect(fired1).toBeGreaterThanOrEqual(3);
    expect(fired1).toBeLessThanOrEqual(5);
    expect(await holder()).toBe(first);
    expect(logs.some((l) => l.includes("job lease taken") && l.includes(ROTATION_SCHEDULES_JOB))).toBe(true);

    // The holder stops: another runtime takes the job and the schedule goes on, once per second.
    const leader = await indexOfHolder(first);
    expect(leader).toBeGreaterThanOrEqual(0);
    const [stopped] = runtimes.splice(leader, 1);
    await stopped?.stop();
    await waitFor(async () => {
      const now = await holder();
      return now !== undefined && now !== first;
    }, TTL_MS * 3);
    const second = (await holder()) as string;
    expect((await instanceIds()).includes(second)).toBe(true);
    await Bun.sleep(300);
    const window2 = Date.now();
    await Bun.sleep(4_000);
    const fired2 = firesBetween(window2, Date.now());
    expect(fired2).toBeGreaterThanOrEqual(3);
    expect(fired2).toBeLessThanOrEqual(5);
    const schedules = await store.rotationSchedules.all();
    expect(schedules).toHaveLength(1);
    expect(schedules[0]?.lastRunAt ?? 0).toBeGreaterThan(window2);
  }, 40_000);
});

/** The index in `runtimes` of the runtime with this instance id: runtimes were started one after the other, so their
 *  gateway leases' start times are in the same order. */
async function indexOfHolder(instanceId: string): Promise<number> {
  const leases = (await store.gatewayLeases.all()).sort((a, b) => a.startedAt - b.startedAt);
  return leases.findIndex((l) => l.instanceId === instanceId);
}
