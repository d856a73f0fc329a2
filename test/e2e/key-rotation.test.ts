import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Webhook } from "standardwebhooks";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";

const OLD = "sk-proj-ROTATE0old0000000000000000001";
const NEW = "sk-proj-ROTATE0new0000000000000000002";
const REFUSED = "sk-proj-ROTATE0refused000000000000003";
const SECRET = "webhook-secret-for-tests-0001";
let mock: MockOpenAI;
let gw: TestGateway;
const hooks: { body: string; headers: Record<string, string>; event: string | null }[] = [];
let failFirstHook = true;
let receiver: ReturnType<typeof Bun.serve>;
const chat = { model: "openai/gpt-4o", messages: [{ role: "user", content: "rotate me" }] };
const byokHeaders = { "x-use-byok": "true" };

async function keysOf(provider = "openai") {
  const res = await fetch(`${gw.url}/v1/providers`, { headers: { authorization: `Bearer ${gw.adminKey}` } });
  return (await res.json()).providers.find((p: { name: string }) => p.name === provider).keys as { id: string; status: string; rotation_due: boolean }[];
}

beforeAll(async () => {
  receiver = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: async (req) => {
      if (failFirstHook) {
        failFirstHook = false;
        return new Response("try later", { status: 503 });
      }
      hooks.push({ body: await req.text(), headers: Object.fromEntries(req.headers), event: req.headers.get("x-keyway-event") });
      return new Response("ok");
    },
  });
  mock = new MockOpenAI({ keys: [OLD, NEW], latencyMs: 30 }).start();
  gw = await startGateway({
    providers: { openai: { adapter: "openai", base_url: mock.url, timeout_ms: 3000 } },
    security: { webhook_secret: SECRET, webhook_allow_private_networks: true },
  });
  const stored = await gw.post("/v1/providers/keys", { providers: [{ name: "openai", api_key: OLD }] });
  expect(stored.status).toBe(201);
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
  receiver.stop(true);
});

const usedKeys = (from: number) => mock.calls.slice(from).map((c) => c.headers.authorization?.slice(7));

describe("provider key rotation", () => {
  test("test_before_switch: a key the provider refuses aborts the rotation with its reason; nothing changes", async () => {
    const before = await keysOf();
    const res = await gw.post("/v1/providers/keys/rotate", { provider: "openai", new_api_key: REFUSED, rotation_strategy: "gradual", test_before_switch: true });
    expect(res.status).toBe(401);
    const { error } = await res.json();
    expect(error.code).toBe("provider_key_invalid");
    expect(error.message).toContain("Incorrect API key");
    expect(error.message).not.toContain(REFUSED);
    expect(await keysOf()).toEqual(before);
    expect(mock.last().path).toBe("/v1/models");
  });

  test("a gradual rotation under concurrent load drops no request; both keys serve during the grace period, then only the new one", async () => {
    const send = () => gw.post("/v1/chat/completions", chat, byokHeaders);
    const first = Array.from({ length: 40 }, send);
    await Bun.sleep(10);
    const rotation = gw.post("/v1/providers/keys/rotate", {
      provider: "openai",
      new_api_key: NEW,
      rotation_strategy: "gradual",
      grace_period_minutes: 0.03,
      test_before_switch: true,
      notification_webhooks: [`http://127.0.0.1:${receiver.port}/hook`],
    });
    const second = Array.from({ length: 40 }, send);
    const rotated = await (await rotation).json();
    expect(rotated).toMatchObject({ status: "rotating", provider: "openai", rotation_strategy: "gradual" });
    expect(Date.parse(rotated.old_key_expires_at) - Date.now()).toBeGreaterThan(0);
    const statuses = await Promise.all([...first, ...second].map(async (r) => (await r).status));
    expect(statuses.every((s) => s === 200)).toBe(true);

    // During the grace period: the new key takes the traffic, the old one is the fallback.
    let mark = mock.calls.length;
    expect((await send()).status).toBe(200);
    expect(usedKeys(mark)).toEqual([NEW]);
    mark = mock.calls.length;
    mock.fail({ kind: "status", status: 429, retryAfter: "1" });
    const fallback = await send();
    expect(fallback.status).toBe(200);
    expect(fallback.headers.get("x-keyway-attempts")).toBe("2");
    expect(usedKeys(mark)).toEqual([NEW, OLD]);

    // After the grace period the old key is never used again, not even as a fallback.
    await Bun.sleep(2000);
    mark = mock.calls.length;
    mock.fail({ kind: "status", status: 429, retryAfter: "1" });
    expect((await send()).status).toBe(429);
    for (let i = 0; i < 5; i++) expect((await send()).status).toBe(200);
    expect(usedKeys(mark).every((k) => k === NEW)).toBe(true);
    const keys = await keysOf();
    expect(keys.find((k) => k.id === rotated.old_key_id)?.status).toBe("retired");
    expect(keys.find((k) => k.id === rotated.new_key_id)?.status).toBe("active");
  });

  test("the rotation webhook is signed as Standard Webhooks (id, timestamp, body) and retried after a failure", async () => {
    for (let i = 0; i < 40 && hooks.length === 0; i++) await Bun.sleep(100);
    const hook = hooks.find((h) => h.event === "provider_key.rotated");
    expect(hook).toBeDefined();
    const { body, headers } = hook as { body: string; headers: Record<string, string> };
    expect(headers["x-keyway-signature"]).toBeUndefined();
    // A plain webhook_secret is the HMAC key as its UTF-8 bytes: receivers use whsec_ + base64 of it.
    const verifier = new Webhook(`whsec_${Buffer.from(SECRET).toString("base64")}`);
    expect(verifier.verify(body, headers)).toMatchObject({ type: "provider_key.rotated", provider: "openai", rotation_strategy: "gradual" });
    expect(() => verifier.verify(body, { ...headers, "webhook-id": "msg_other" })).toThrow();
    expect(() => verifier.verify(body, { ...headers, "webhook-timestamp": String(Math.floor(Date.now() / 1000) - 600) })).toThrow();
    expect(failFirstHook).toBe(false);
    expect(body).not.toContain(NEW);
  });

  test("an immediate rotation retires the old key at once; the audit log has the whole story", async () => {
    const NEWER = NEW; // the mock accepts it; rotate onto a fresh record of the same value
    const res = await gw.post("/v1/providers/keys/rotate", { provider: "openai", new_api_key: NEWER });
    const body = await res.json();
    expect(body.status).toBe("rotated");
    const keys = await keysOf();
    expect(keys.filter((k) => k.status === "active").map((k) => k.id)).toEqual([body.new_key_id]);
    const audit = await (await fetch(`${gw.url}/v1/audit?action=key.rotate`, { headers: { authorization: `Bearer ${gw.adminKey}` } })).json();
    const outcomes = audit.data.map((row: { outcome: string }) => row.outcome);
    expect(outcomes).toContain("aborted");
    expect(outcomes.filter((o: string) => o === "success").length).toBe(2);
    const gradual = audit.data.find((row: { detail: { strategy?: string } | null }) => row.detail?.strategy === "gradual");
    expect(gradual.detail).toMatchObject({ strategy: "gradual", tested: true });
    expect(gradual.detail.new_key_id).toMatch(/^pk_/);
  });

  test("a rotation schedule is persisted, fires on its cron, flags the keys, and resumes after a restart", async () => {
    const res = await gw.post("/v1/providers/keys/rotation-schedule", {
      provider: "openai",
      schedule: "* * * * * *",
      notification_webhooks: [`http://127.0.0.1:${receiver.port}/due`],
    });
    expect(res.status).toBe(201);
    expect((await res.json()).next_run_at).toMatch(/^\d{4}-/);
    for (let i = 0; i < 40 && !hooks.some((h) => h.event === "provider_key.rotation_due"); i++) await Bun.sleep(100);
    expect(hooks.some((h) => h.event === "provider_key.rotation_due")).toBe(true);
    expect((await keysOf()).find((k) => k.status === "active")?.rotation_due).toBe(true);

    await gw.restart();
    const seen = hooks.length;
    for (let i = 0; i < 40 && hooks.length === seen; i++) await Bun.sleep(100);
    expect(hooks.length).toBeGreaterThan(seen);
    expect(hooks.at(-1)?.event).toBe("provider_key.rotation_due");
  });
});
