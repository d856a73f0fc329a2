// Key rotation across three real keyway processes sharing one Postgres schema and one Redis, with job leases of
// 1.5 s (`fleet.job_lease_ttl_ms`): a per-second cron rotation schedule fires once per tick for the whole fleet; a
// gradual rotation made on replica 1 is followed by replicas 2 and 3 within a second and the old key is never used
// after its grace period; and when the schedules' lease holder is killed with SIGKILL another replica takes the
// schedule over once the lease expires, still firing once per tick.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { type Fleet, type Replica, startFleet } from "../helpers/fleet.ts";

const ADMIN = "kw_fleet_rotation_admin_key_00000001";
const OLD = "sk-proj-FLEETROTATE0old00000000000001";
const NEW = "sk-proj-FLEETROTATE0new00000000000002";
const LEASE_TTL_MS = 1_500;
const GRACE_MINUTES = 0.05; // 3 s
const SCHEDULES_JOB = "rotation.schedules";

let mock: MockOpenAI;
let fleet: Fleet;
let receiver: ReturnType<typeof Bun.serve>;
/** Every rotation_due webhook received: when, and its webhook-id. */
const deliveries: { at: number; id: string }[] = [];

beforeAll(async () => {
  receiver = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      if (req.headers.get("x-keyway-event") === "provider_key.rotation_due") deliveries.push({ at: Date.now(), id: req.headers.get("webhook-id") ?? "" });
      return new Response("ok");
    },
  });
  mock = new MockOpenAI({ keys: [OLD, NEW], latencyMs: 10 }).start();
  fleet = await startFleet({
    name: "rotation",
    size: 3,
    lines: ({ masterKeyFile }) => [
      `security: { admin_key: ${ADMIN}, master_key_file: ${masterKeyFile}, webhook_secret: fleet-rotation-webhook-secret-01, webhook_allow_private_networks: true }`,
      `fleet: { job_lease_ttl_ms: ${LEASE_TTL_MS} }`,
      `providers: { openai: { adapter: openai, base_url: "${mock.url}", timeout_ms: 2000 } }`,
    ],
  });
}, 30_000);

afterAll(async () => {
  await fleet?.stop();
  receiver?.stop(true);
  await mock?.stop();
});

const headers = { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" };
const post = (at: Replica, path: string, body: unknown) => fetch(`${at.url}${path}`, { method: "POST", headers, body: JSON.stringify(body) });

async function waitFor(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`${what}: not within ${ms} ms`);
    await Bun.sleep(25);
  }
}

/** Deliveries received in [from, to). */
const deliveredBetween = (from: number, to: number) => deliveries.filter((d) => d.at >= from && d.at < to);

/** The wall-clock seconds the deliveries arrived in, with how many arrived in each. */
function perSecond(list: { at: number }[]): number[] {
  const counts = new Map<number, number>();
  for (const { at } of list) counts.set(Math.floor(at / 1000), (counts.get(Math.floor(at / 1000)) ?? 0) + 1);
  return [...counts.values()];
}

/** Over `ms` from now: the schedule fired about once a second, never twice in one second, no delivery repeated. */
async function expectOncePerTick(ms: number): Promise<void> {
  const from = Date.now();
  await Bun.sleep(ms);
  const seen = deliveredBetween(from, Date.now());
  const seconds = ms / 1000;
  // One gateway firing a per-second cron: `seconds` fires (one fewer or more at the edges); three would fire 3x.
  expect(seen.length).toBeGreaterThanOrEqual(seconds - 1);
  expect(seen.length).toBeLessThanOrEqual(seconds + 1);
  expect(perSecond(seen).every((n) => n === 1)).toBe(true);
  expect(new Set(seen.map((d) => d.id)).size).toBe(seen.length);
}

const scheduleLease = async () => {
  const [row] = (await fleet.db`SELECT holder, expires_at FROM job_leases WHERE job = ${SCHEDULES_JOB}`) as { holder: string; expires_at: string }[];
  return row ? { holder: row.holder, expiresAt: Number(row.expires_at) } : undefined;
};
const pidOf = async (instanceId: string) => {
  const [row] = (await fleet.db`SELECT pid FROM gateway_leases WHERE instance_id = ${instanceId}`) as { pid: string }[];
  return row ? Number(row.pid) : undefined;
};

/** A stored-key call through `at` carrying a tag of its own; its status and the keys the upstream saw for it, in order. */
async function storedKeyCall(at: Replica): Promise<{ status: number; keys: (string | undefined)[] }> {
  const tag = `rotation-${crypto.randomUUID()}`;
  const res = await fetch(`${at.url}/v1/chat/completions`, {
    method: "POST",
    headers: { ...headers, "x-use-byok": "true" },
    body: JSON.stringify({ model: "openai/gpt-4o", messages: [{ role: "user", content: tag }] }),
  });
  await res.arrayBuffer();
  const keys = mock.calls
    .filter((call) => (call.body?.messages as { content?: unknown }[] | undefined)?.[0]?.content === tag)
    .map((call) => call.headers.authorization?.slice(7));
  return { status: res.status, keys };
}

describe("key rotation across three replicas on one Postgres and one Redis", () => {
  test("a per-second cron rotation schedule fires once per tick across the three replicas, not three times", async () => {
    const res = await post(fleet.replicas[1] as Replica, "/v1/providers/keys/rotation-schedule", {
      provider: "openai",
      schedule: "* * * * * *",
      notification_webhooks: [`http://127.0.0.1:${receiver.port}/due`],
    });
    expect(res.status).toBe(201);
    // The holder of the schedules' lease reads the new schedule within a third of the lease and starts firing.
    await waitFor(() => deliveries.length > 0, 3_000, "first rotation_due webhook");
    await expectOncePerTick(3_000);
    const lease = await scheduleLease();
    expect(fleet.replicas.map((r) => r.proc.pid)).toContain((await pidOf(lease?.holder ?? "")) as number);
  }, 10_000);

  test("a gradual rotation on replica 1 is followed by replicas 2 and 3 within 1 s; the old key is unused after the grace period", async () => {
    const [one, two, three] = fleet.replicas as [Replica, Replica, Replica];
    expect((await post(one, "/v1/providers/keys", { providers: [{ name: "openai", api_key: OLD }] })).status).toBe(201);
    // Every replica serves (and caches) the old key.
    for (const at of [one, two, three]) expect(await storedKeyCall(at)).toEqual({ status: 200, keys: [OLD] });

    const rotation = await post(one, "/v1/providers/keys/rotate", { provider: "openai", new_api_key: NEW, rotation_strategy: "gradual", grace_period_minutes: GRACE_MINUTES });
    const since = performance.now();
    expect(rotation.status).toBe(200);
    const rotated = await rotation.json();
    expect(rotated).toMatchObject({ status: "rotating", rotation_strategy: "gradual" });
    const oldExpiresAt = Date.parse(rotated.old_key_expires_at);

    const newKeyAfter = async (at: Replica): Promise<number> => {
      while (performance.now() - since < 3_000) {
        const call = await storedKeyCall(at);
        expect(call.status).toBe(200);
        if (call.keys[0] === NEW) return performance.now() - since;
      }
      return Number.POSITIVE_INFINITY;
    };
    const [onTwo, onThree] = await Promise.all([newKeyAfter(two), newKeyAfter(three)]);
    expect(onTwo).toBeLessThan(1_000);
    expect(onThree).toBeLessThan(1_000);
    for (const at of [one, two, three]) expect(await storedKeyCall(at)).toEqual({ status: 200, keys: [NEW] });

    // Within the grace period the old key is the fallback: the new one answering 429 sends the call on to it.
    expect(Date.now()).toBeLessThan(oldExpiresAt - 500);
    mock.fail({ kind: "status", status: 429, retryAfter: "1" });
    expect(await storedKeyCall(three)).toEqual({ status: 200, keys: [NEW, OLD] });

    // After the grace period no replica uses the old key, not even when the new one is refused.
    await waitFor(() => Date.now() > oldExpiresAt + 50, 5_000, "end of the grace period");
    const mark = mock.calls.length;
    for (const at of [two, three, one]) {
      mock.fail({ kind: "status", status: 429, retryAfter: "1" });
      expect(await storedKeyCall(at)).toEqual({ status: 429, keys: [NEW] });
      expect(await storedKeyCall(at)).toEqual({ status: 200, keys: [NEW] });
    }
    expect(mock.calls.slice(mark).map((call) => call.headers.authorization?.slice(7))).toEqual(Array(6).fill(NEW));
    const providers = await (await fetch(`${two.url}/v1/providers`, { headers })).json();
    const keys = providers.providers.find((p: { name: string }) => p.name === "openai").keys as { id: string; status: string }[];
    expect(keys.find((k) => k.id === rotated.old_key_id)?.status).toBe("retired");
    expect(keys.find((k) => k.id === rotated.new_key_id)?.status).toBe("active");
  }, 10_000);

  test("the schedules' lease holder killed with SIGKILL: another replica takes over once the lease expires, still once per tick", async () => {
    const before = await scheduleLease();
    const pid = await pidOf(before?.holder ?? "");
    const holder = fleet.replicas.find((r) => r.proc.pid === pid);
    expect(holder).toBeDefined();
    const killedAt = Date.now();
    await fleet.kill(holder as Replica);
    // The dead holder's lease as it was last renewed: nobody fires the schedule until it expires.
    const dead = (await scheduleLease()) as { holder: string; expiresAt: number };
    expect(dead.holder).toBe(before?.holder as string);
    expect(dead.expiresAt - killedAt).toBeLessThanOrEqual(LEASE_TTL_MS);

    await waitFor(async () => ((await scheduleLease())?.holder ?? dead.holder) !== dead.holder, LEASE_TTL_MS * 3, "takeover of the schedules");
    const takenAt = Date.now();
    expect(deliveredBetween(killedAt + 100, dead.expiresAt)).toEqual([]);
    expect(takenAt).toBeGreaterThanOrEqual(dead.expiresAt);
    const next = (await scheduleLease()) as { holder: string };
    expect(fleet.replicas.map((r) => r.proc.pid)).toContain((await pidOf(next.holder)) as number);

    // Past the run made up on taking over, the schedule fires once a second again.
    await Bun.sleep(500);
    await expectOncePerTick(3_000);
  }, 12_000);
});
