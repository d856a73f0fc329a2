// Three real keyway processes on loopback sharing one Postgres schema and one Redis, traffic spread over them:
// credits and an rpm cap hold across replicas, a revocation on one is seen by the others within a second, and a
// replica killed with SIGKILL under load leaves the others serving and loses no usage row of an answered call.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { type Fleet, type Replica, startFleet } from "../helpers/fleet.ts";

const PLATFORM = "sk-proj-FLEETPLATFORM00000000000000001";
const CALLER = "sk-proj-FLEETCALLER000000000000000001";
const ADMIN = "kw_fleet_test_admin_key_000000000001";
const RPM = 60;
// flat-7k: no input price, the mock's 7 completion tokens at $1000/Mtok: every call costs exactly 7,000 micro-USD
// (no markup), and with max_tokens 7 the reservation is exactly that too.
const CALL_MICROS = 7_000;
const platformCall = { model: "openai/flat-7k", messages: [{ role: "user", content: "fleet" }], max_tokens: 7 };

let mock: MockOpenAI;
let fleet: Fleet;
let db: Fleet["db"];
let replicas: Replica[] = [];

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [PLATFORM, CALLER], latencyMs: 20 }).start();
  fleet = await startFleet({
    name: "fleet",
    size: 3,
    lines: ({ masterKeyFile }) => [
      `security: { admin_key: ${ADMIN}, master_key_file: ${masterKeyFile} }`,
      `platform: { markup_percent: 0, rate_limits: { rpm: ${RPM} } }`,
      `providers: { openai: { adapter: openai, base_url: "${mock.url}", platform_keys: ["${PLATFORM}"], models: [{ id: gpt-4o, input_per_mtok: 2.5, output_per_mtok: 10 }, { id: flat-7k, input_per_mtok: 0, output_per_mtok: 1000 }] } }`,
    ],
  });
  db = fleet.db;
  replicas = fleet.replicas;
}, 30_000);

afterAll(async () => {
  await fleet?.stop();
  await mock?.stop();
});

const headers = (key: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${key}`, "content-type": "application/json", ...extra });
const post = (url: string, path: string, body: unknown, key = ADMIN, extra: Record<string, string> = {}) =>
  fetch(`${url}${path}`, { method: "POST", headers: headers(key, extra), body: JSON.stringify(body) });

async function newAccount(at: Replica, credits: number): Promise<{ id: string; key: string }> {
  const res = await post(at.url, "/v1/accounts", { name: `fleet-${crypto.randomUUID().slice(0, 8)}`, credits });
  expect(res.status).toBe(201);
  return res.json();
}

/** Waits until the current minute has room for a burst, so a rate-limit window does not turn over mid-test. */
async function awayFromMinuteEdge(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 8_000) await Bun.sleep(left + 50);
}

/** `count` calls at once, spread round-robin over the replicas given; the status of each. */
async function burst(targets: Replica[], count: number, key: string): Promise<number[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const res = await post((targets[i % targets.length] as Replica).url, "/v1/chat/completions", platformCall, key);
      await res.arrayBuffer();
      return res.status;
    }),
  );
}

describe("three replicas on one Postgres and one Redis", () => {
  test("200 concurrent platform calls against credits for exactly 23 calls: exactly 23 pass, the balance ends at 0", async () => {
    const N = 23;
    await awayFromMinuteEdge();
    const account = await newAccount(replicas[0] as Replica, (N * CALL_MICROS) / 1e6);
    const statuses = await burst(replicas, 200, account.key);
    expect(statuses.filter((s) => s === 200)).toHaveLength(N);
    // Everyone else was refused for credits or, once the minute's cap was met by the refused ones' peers, for rate.
    expect(statuses.every((s) => s === 200 || s === 402 || s === 429)).toBe(true);
    expect(statuses.filter((s) => s === 402).length).toBeGreaterThan(0);
    const read = await (await fetch(`${replicas[2]?.url}/v1/accounts/${account.id}`, { headers: headers(ADMIN) })).json();
    expect(read.credits).toBe(0);
    const [rows] = (await db`SELECT count(*)::int AS n, coalesce(sum(cost_micros), 0)::bigint AS charged FROM usage_records WHERE account_id = ${account.id} AND status = 200`) as { n: number; charged: string }[];
    expect(rows?.n).toBe(N);
    expect(Number(rows?.charged)).toBe(N * CALL_MICROS);
  }, 20_000);

  test(`an rpm cap of ${RPM} holds across replicas: 200 concurrent calls, exactly ${RPM} pass, the rest are 429`, async () => {
    await awayFromMinuteEdge();
    const account = await newAccount(replicas[1] as Replica, 100);
    const statuses = await burst(replicas, 200, account.key);
    expect(statuses.filter((s) => s === 200)).toHaveLength(RPM);
    expect(statuses.filter((s) => s === 429)).toHaveLength(200 - RPM);
  }, 20_000);

  test("a key revoked on replica 1 is refused on replicas 2 and 3 within 1 s", async () => {
    const [one, two, three] = replicas as [Replica, Replica, Replica];
    const created = await (await post(one.url, "/v1/api-keys", { name: "fleet-revocable" })).json();
    const byokCall = (at: Replica) => post(at.url, "/v1/chat/completions", platformCall, created.key, { "x-byok-api-key": CALLER });
    // Each replica has seen (and cached) the key.
    for (const at of [one, two, three]) expect((await byokCall(at)).status).toBe(200);
    const revoked = await fetch(`${one.url}/v1/api-keys/${created.id}`, { method: "DELETE", headers: headers(ADMIN) });
    expect(revoked.status).toBeLessThan(300);
    const since = performance.now();
    const refusedAfter = async (at: Replica): Promise<number> => {
      while (performance.now() - since < 3_000) {
        const res = await byokCall(at);
        await res.arrayBuffer();
        if (res.status === 401) return performance.now() - since;
        await Bun.sleep(25);
      }
      return Number.POSITIVE_INFINITY;
    };
    const [onTwo, onThree] = await Promise.all([refusedAfter(two), refusedAfter(three)]);
    expect(onTwo).toBeLessThan(1_000);
    expect(onThree).toBeLessThan(1_000);
  });

  test("replica 3 killed with SIGKILL under load: 1 and 2 keep serving, every fully received answer has its usage row", async () => {
    const [one, two, three] = replicas as [Replica, Replica, Replica];
    const answered: string[] = [];
    const survivorFailures: string[] = [];
    let servedAfterKill = 0;
    let killed = false;
    const completedCall = async (at: Replica, stream: boolean): Promise<string | undefined> => {
      const res = await post(at.url, "/v1/chat/completions", { ...platformCall, stream }, ADMIN, { "x-byok-api-key": CALLER });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`status ${res.status}: ${text}`);
      if (stream ? !text.endsWith("data: [DONE]\n\n") : !text.endsWith("}")) return undefined;
      return res.headers.get("x-request-id") ?? undefined;
    };
    const stop = performance.now() + 2_500;
    const workers = Array.from({ length: 12 }, async (_, w) => {
      const at = [one, two, three][w % 3] as Replica;
      for (let i = 0; performance.now() < stop; i++) {
        try {
          const id = await completedCall(at, (w + i) % 2 === 0);
          if (id) answered.push(id);
          if (killed && at !== three) servedAfterKill++;
        } catch (error) {
          if (at === three) return; // its connections died with it
          survivorFailures.push(String(error));
        }
      }
    });
    await Bun.sleep(800);
    const gone = fleet.kill(three);
    killed = true;
    await gone;
    await Promise.all(workers);

    expect(survivorFailures).toEqual([]);
    expect(servedAfterKill).toBeGreaterThan(20);
    expect(answered.length).toBeGreaterThan(50);
    const rows = (await db`SELECT request_id FROM usage_records WHERE request_id IN ${db(answered)}`) as { request_id: string }[];
    const recorded = new Set(rows.map((row) => row.request_id));
    expect(answered.filter((id) => !recorded.has(id))).toEqual([]);
  }, 20_000);
});
