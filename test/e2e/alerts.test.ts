// Alerts over real HTTP: a BYOK cost threshold crossed by concurrent calls through a mock provider fires once and is
// delivered once (a signed webhook verified here, an e-mail to a real SMTP server started here), however many calls
// follow; a new provider's first calls fire an anomaly alert; the metric is on /metrics; bad input is a 400 naming
// the parameter with nothing stored.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Webhook } from "standardwebhooks";
import { MockAnthropic } from "../fixtures/mock-anthropic.ts";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { openaiAndAnthropicAt, startGateway, type TestGateway } from "../helpers/gateway.ts";
import { bodyOf, type SmtpSink, startSmtpSink, subjectOf } from "../notify/smtp-sink.ts";

const OPENAI_KEY = "sk-proj-alertsE2E000000000000000000000wxyz";
const ANTHROPIC_KEY = "sk-ant-api03-alertsE2E0000000000000000000000000000qrst";
const WHSEC = `whsec_${Buffer.from("alerts-e2e-standard-webhooks-secret").toString("base64")}`;

interface Delivery {
  body: string;
  headers: Record<string, string>;
}

let openai: MockOpenAI;
let anthropic: MockAnthropic;
let gw: TestGateway;
let smtp: SmtpSink;
let receiver: ReturnType<typeof Bun.serve>;
const deliveries = new Map<string, Delivery[]>();

beforeAll(async () => {
  openai = new MockOpenAI({ keys: [OPENAI_KEY] }).start();
  anthropic = new MockAnthropic().start();
  smtp = await startSmtpSink();
  receiver = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: async (req) => {
      const path = new URL(req.url).pathname;
      deliveries.set(path, [...(deliveries.get(path) ?? []), { body: await req.text(), headers: Object.fromEntries(req.headers) }]);
      return new Response("ok");
    },
  });
  gw = await startGateway({
    ...openaiAndAnthropicAt(openai.url, anthropic.url),
    security: { webhook_secret: WHSEC, webhook_allow_private_networks: true },
    telemetry: { prometheus: true },
    alerts: { evaluate_interval_ms: 40, delivery_attempts: 3, retry_backoff_ms: 10 },
    notifications: { smtp: { host: "127.0.0.1", port: smtp.port, secure: false, from: "keyway alerts <alerts@keyway.test>" } },
  });
});
afterAll(async () => {
  await gw.stop();
  await openai.stop();
  await anthropic.stop();
  await smtp.stop();
  receiver.stop(true);
});

const hook = (path: string) => `http://127.0.0.1:${receiver.port}${path}`;

async function get(path: string): Promise<Record<string, any>> {
  const res = await fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${gw.adminKey}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, any>;
}

async function chat(model: string, byok: string): Promise<{ prompt_tokens: number; completion_tokens: number }> {
  const res = await gw.post("/v1/chat/completions", { model, messages: [{ role: "user", content: "spend a little" }], byok_api_key: byok, max_tokens: 16 });
  expect(res.status).toBe(200);
  return ((await res.json()) as { usage: { prompt_tokens: number; completion_tokens: number } }).usage;
}

async function until<T>(what: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await what();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await Bun.sleep(20);
  }
}

async function firings(alertId: string): Promise<Record<string, any>[]> {
  return (await get(`/v1/alerts/events?alert_id=${alertId}&kind=fired`)).data;
}

describe("byok_cost_threshold over real traffic", () => {
  test("crossed by concurrent calls: fires once, one signed webhook and one e-mail, however many calls follow", async () => {
    // gpt-4o lists at $2.50 / $10 per million tokens: 2.5 and 10 micro-USD per token, a half rounded up once per call.
    const usage = await chat("openai/gpt-4o", OPENAI_KEY);
    const perCallMicros = Math.floor(usage.prompt_tokens * 2.5 + usage.completion_tokens * 10 + 0.5);
    const thresholdMicros = Math.round(perCallMicros * 4.5);
    const created = await gw.post("/v1/alerts", {
      alerts: [{ type: "byok_cost_threshold", provider: "openai", threshold: thresholdMicros / 1e6, period: "daily", notify: [hook("/threshold"), "ops@example.com"] }],
    });
    expect(created.status).toBe(201);
    const alert = ((await created.json()) as { data: Record<string, any>[] }).data[0] as Record<string, any>;
    expect(alert).toMatchObject({ type: "byok_cost_threshold", provider: "openai", threshold: thresholdMicros / 1e6, period: "daily", team_id: null });
    // One call so far (1 x cost): below the threshold, nothing fires.
    await Bun.sleep(150);
    expect(await firings(alert.id)).toEqual([]);

    await Promise.all(Array.from({ length: 8 }, () => chat("openai/gpt-4o", OPENAI_KEY)));
    const [fired] = await until(async () => {
      const found = await firings(alert.id);
      return found.length > 0 ? found : undefined;
    });
    await Promise.all(Array.from({ length: 8 }, () => chat("openai/gpt-4o", OPENAI_KEY)));
    await Bun.sleep(300);
    expect(await firings(alert.id)).toHaveLength(1);

    const observedMicros = Math.round((fired?.figures.observed_usd as number) * 1e6);
    expect(observedMicros).toBeGreaterThanOrEqual(thresholdMicros);
    expect(observedMicros % perCallMicros).toBe(0);
    expect(fired?.figures).toMatchObject({ metric: "byok_cost", period: "daily", provider: "openai", threshold_usd: thresholdMicros / 1e6 });

    const delivered = await until(async () => {
      const events = await firings(alert.id);
      return events[0]?.delivery === "delivered" ? events[0] : undefined;
    });
    expect(delivered.id).toBe(fired?.id);
    const hooks = deliveries.get("/threshold") ?? [];
    expect(hooks).toHaveLength(1);
    const payload = new Webhook(WHSEC).verify(hooks[0]?.body ?? "", hooks[0]?.headers ?? {}) as Record<string, any>;
    expect(payload).toMatchObject({ type: "alert.fired", alert: { id: alert.id, type: "byok_cost_threshold" }, account_id: alert.account_id, firing_id: fired?.firing_id });
    expect(payload.figures.observed_usd).toBe(fired?.figures.observed_usd);
    expect(hooks[0]?.headers["x-keyway-event"]).toBe("alert.fired");

    const mails = smtp.mails.filter((m) => m.to.includes("ops@example.com"));
    expect(mails).toHaveLength(1);
    const mail = mails[0] as { from: string; raw: string };
    expect(mail.from).toBe("alerts@keyway.test");
    const subject = subjectOf(mail.raw);
    expect(subject).toContain("[keyway]");
    expect(subject).toContain("BYOK cost on openai reached");
    const body = bodyOf(mail.raw);
    expect(body).toContain(alert.id);
    expect(body).toContain(`threshold_usd: ${thresholdMicros / 1e6}`);
    expect(body).toContain(`observed_usd: ${observedMicros / 1e6}`);
    for (const text of [mail.raw, hooks[0]?.body ?? "", JSON.stringify(await get("/v1/alerts/events"))]) {
      expect(text).not.toContain(OPENAI_KEY);
      expect(text).not.toContain(OPENAI_KEY.slice(-12));
    }

    const attempts = (await get(`/v1/alerts/events?alert_id=${alert.id}&kind=delivery`)).data as Record<string, any>[];
    expect(attempts.map((a) => [a.channel, a.outcome, a.attempt, a.final]).sort()).toEqual([
      ["email", "delivered", 1, true],
      ["webhook", "delivered", 1, true],
    ]);

    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/keyway_alerts_fired_total\{type="byok_cost_threshold"\} 1\b/);
    expect(metrics).toContain('keyway_alerts_fired_total{type="byok_usage_anomaly"}');
  });
});

describe("byok_usage_anomaly over real traffic", () => {
  test("a provider, then a model, never used before by the account fire; known ones do not", async () => {
    const created = await gw.post("/v1/alerts", { alerts: [{ type: "byok_usage_anomaly", sensitivity: "high", notify: [hook("/anomaly")] }] });
    expect(created.status).toBe(201);
    const alert = ((await created.json()) as { data: Record<string, any>[] }).data[0] as Record<string, any>;
    expect(alert).toMatchObject({ sensitivity: "high" });
    // openai/gpt-4o was used (the test above, or now): not new. Evaluations run meanwhile.
    await chat("openai/gpt-4o", OPENAI_KEY);
    await Bun.sleep(200);
    const reasons = async () => (await firings(alert.id)).map((f) => [f.figures.reason, f.figures.provider, f.figures.model]);
    expect((await reasons()).filter(([reason]) => reason !== "spike")).toEqual([]);

    await chat("anthropic/claude-3-haiku", ANTHROPIC_KEY);
    await until(async () => ((await reasons()).some(([r]) => r === "new_provider") ? true : undefined));
    await chat("openai/gpt-4o-mini", OPENAI_KEY);
    await until(async () => ((await reasons()).some(([r]) => r === "new_model") ? true : undefined));
    await chat("anthropic/claude-3-haiku", ANTHROPIC_KEY);
    await chat("openai/gpt-4o-mini", OPENAI_KEY);
    await Bun.sleep(200);
    expect((await reasons()).filter(([reason]) => reason !== "spike").sort()).toEqual([
      ["new_model", "openai", "gpt-4o-mini"],
      ["new_provider", "anthropic", "claude-3-haiku"],
    ]);
    await until(async () => ((deliveries.get("/anomaly") ?? []).length >= 2 ? true : undefined));
    const verifier = new Webhook(WHSEC);
    const bodies = (deliveries.get("/anomaly") ?? []).map((d) => verifier.verify(d.body, d.headers) as Record<string, any>);
    expect(bodies.map((b) => b.figures.reason).filter((r) => r !== "spike").sort()).toEqual(["new_model", "new_provider"]);
    expect(JSON.stringify(bodies)).not.toContain(ANTHROPIC_KEY.slice(-12));
  });
});

describe("bad input", () => {
  const bad: [string, unknown, string][] = [
    ["an unknown type", { type: "byok_cost_explosion", threshold: 1, period: "daily" }, "alerts[0].type"],
    ["a negative threshold", { type: "byok_cost_threshold", threshold: -1, period: "daily" }, "alerts[0].threshold"],
    ["a threshold as a string", { type: "byok_cost_threshold", threshold: "10", period: "daily" }, "alerts[0].threshold"],
    ["a threshold finer than micro-USD", { type: "byok_cost_threshold", threshold: 0.0000001, period: "daily" }, "alerts[0].threshold"],
    ["no threshold", { type: "byok_cost_threshold", period: "daily" }, "alerts[0].threshold"],
    ["an unknown period", { type: "byok_cost_threshold", threshold: 1, period: "weekly" }, "alerts[0].period"],
    ["an unknown sensitivity", { type: "byok_usage_anomaly", sensitivity: "extreme" }, "alerts[0].sensitivity"],
    ["a field of another type", { type: "byok_usage_anomaly", threshold: 5 }, "alerts[0].threshold"],
    ["a malformed e-mail", { type: "byok_usage_anomaly", notify: ["ops@@example"] }, "alerts[0].notify[0]"],
    ["an e-mail with a display name", { type: "byok_usage_anomaly", notify: ["Ops <ops@example.com>"] }, "alerts[0].notify[0]"],
    ["an ftp URL", { type: "byok_usage_anomaly", notify: ["ftp://example.com/x"] }, "alerts[0].notify[0]"],
    ["a URL without a host", { type: "byok_usage_anomaly", notify: ["https://"] }, "alerts[0].notify[0]"],
    ["an unknown team", { type: "byok_cost_threshold", threshold: 1, period: "daily", team_id: "team_nope" }, "alerts[0].team_id"],
    ["an unknown provider", { type: "byok_cost_threshold", threshold: 1, period: "daily", provider: "nope" }, "alerts[0].provider"],
  ];
  test.each(bad)("%s -> 400 naming the parameter; nothing stored (the good alert beside it neither)", async (_, entry, param) => {
    const before = (await get("/v1/alerts")).data.length;
    const res = await gw.post("/v1/alerts", { alerts: [entry, { type: "byok_usage_anomaly" }] });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { param: string; code: string } };
    expect(body.error.param).toBe(param);
    expect((await get("/v1/alerts")).data.length).toBe(before);
  });

  test("the second alert's problem is named with its index; the body must hold a non-empty list", async () => {
    const res = await gw.post("/v1/alerts", { alerts: [{ type: "byok_usage_anomaly" }, { type: "byok_usage_anomaly", notify: ["not an address"] }] });
    expect(((await res.json()) as { error: { param: string } }).error.param).toBe("alerts[1].notify[0]");
    for (const body of [{}, { alerts: [] }, { alerts: "x" }, [1]]) {
      const refused = await gw.post("/v1/alerts", body);
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: { param: string } }).error.param).toBe("alerts");
    }
    const junk = await gw.post("/v1/alerts", "{not json");
    expect(junk.status).toBe(400);
  });

  test("events: a bad limit, kind or before is a 400 naming it; deleting an unknown alert is a 404", async () => {
    for (const [query, param] of [["limit=0", "limit"], ["kind=sent", "kind"], ["before=-1", "before"]]) {
      const res = await fetch(`${gw.url}/v1/alerts/events?${query}`, { headers: { authorization: `Bearer ${gw.adminKey}` } });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { param: string } }).error.param).toBe(param as string);
    }
    const res = await fetch(`${gw.url}/v1/alerts/alert_nope`, { method: "DELETE", headers: { authorization: `Bearer ${gw.adminKey}` } });
    expect(res.status).toBe(404);
  });

  test("DELETE removes an alert: gone from the list, its events kept", async () => {
    const created = await gw.post("/v1/alerts", { alerts: [{ type: "byok_cost_threshold", threshold: 0.000001, period: "monthly" }] });
    const id = ((await created.json()) as { data: { id: string }[] }).data[0]?.id as string;
    await until(async () => ((await firings(id)).length === 1 ? true : undefined));
    const res = await fetch(`${gw.url}/v1/alerts/${id}`, { method: "DELETE", headers: { authorization: `Bearer ${gw.adminKey}` } });
    expect(res.status).toBe(200);
    expect((await get("/v1/alerts")).data.some((a: { id: string }) => a.id === id)).toBe(false);
    expect(await firings(id)).toHaveLength(1);
  });
});
