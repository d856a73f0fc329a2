// keyway's TypeScript client on the read calls: models and one model, providers with stored keys (never a key),
// provider health, and the three analytics reports after real calls.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { BadRequestError, Keyway } from "keyway/client";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { openaiAt, startGateway, type TestGateway } from "../helpers/gateway.ts";

const KEY = "sk-proj-clientcontrol0000000000000001";
const STORED = "sk-proj-clientstored00000000000000wxyz";
let mock: MockOpenAI;
let gw: TestGateway;
let client: Keyway;

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [KEY, STORED] }).start();
  gw = await startGateway(openaiAt(mock.url, { models: [{ id: "gpt-4o-mini" }] }));
  client = new Keyway({ apiKey: gw.adminKey, baseURL: gw.url });
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

describe("models", () => {
  test("models(): provider/model ids split into provider and name", async () => {
    const result = await client.models();
    const mini = result.models.find((m) => m.id === "openai/gpt-4o-mini");
    expect(mini).toEqual({ id: "openai/gpt-4o-mini", provider: "openai", name: "gpt-4o-mini", ownedBy: "openai" });
    expect(result.raw.object).toBe("list");
    expect(result.status).toBe(200);
  });

  test("model(id): the slash URL-encoded, as keyway's GET /v1/models/{id} takes it", async () => {
    const one = await client.model("openai/gpt-4o-mini");
    expect(one).toMatchObject({ id: "openai/gpt-4o-mini", provider: "openai", name: "gpt-4o-mini" });
    expect(one.raw.object).toBe("model");
  });
});

describe("providers", () => {
  test("providers(): configured providers with the stored keys' hints, never a key", async () => {
    const stored = await gw.post("/v1/providers/keys", { providers: [{ name: "openai", api_key: STORED, label: "prod" }] });
    expect(stored.status).toBe(201);
    const result = await client.providers();
    const openai = result.providers.find((p) => p.name === "openai");
    expect(openai).toMatchObject({ adapter: "openai", status: "active" });
    expect(openai?.availableModels).toContain("gpt-4o-mini");
    expect(openai?.keys).toHaveLength(1);
    expect(openai?.keys[0]).toMatchObject({ label: "prod", hint: "...wxyz", status: "active" });
    expect(JSON.stringify(result.raw)).not.toContain(STORED);

    // The stored key now pays for a call that names none: byokUsed, and the upstream saw the stored key.
    const chat = await client.chat("stored?", "openai/gpt-4o-mini");
    expect(chat.byokUsed).toBe(true);
    expect(mock.last().headers.authorization).toBe(`Bearer ${STORED}`);
  });

  test("another key sees what its role allows: a developer's analytics hold only its own key's calls", async () => {
    const created = await gw.post("/v1/api-keys", { name: "dev", role: "developer" });
    const { key } = (await created.json()) as { key: string };
    const developer = new Keyway({ apiKey: key, baseURL: gw.url });
    expect((await developer.analytics({ period: "today" })).report.total_requests).toBe(0);
    const listed = await developer.providers();
    expect(listed.providers.find((p) => p.name === "openai")?.keys[0]?.hint).toBe("...wxyz");
  });

  test("providerHealth(): each provider's status after a call", async () => {
    await client.chat("health", "openai/gpt-4o-mini", { byokApiKey: KEY });
    const health = await client.providerHealth();
    const openai = health.providers.find((p) => p.name === "openai");
    expect(openai?.requests).toBeGreaterThan(0);
    expect(["healthy", "degraded", "unhealthy", "disabled", "unknown"]).toContain(openai?.status ?? "absent");
  });
});

describe("analytics", () => {
  test("analytics(), byokAnalytics() and costComparison() report the calls made; groupBy is a list", async () => {
    await client.embeddings("count me", "openai/text-embedding-3-small", { byokApiKey: KEY });
    // Usage rows are written in batches: wait until they show.
    let usage = await client.analytics({ period: "today", groupBy: ["provider", "key_source"] });
    for (let i = 0; i < 50 && usage.report.total_requests < 3; i++) {
      await Bun.sleep(100);
      usage = await client.analytics({ period: "today", groupBy: ["provider", "key_source"] });
    }
    expect(usage.report.total_requests).toBeGreaterThanOrEqual(3);
    expect(usage.report.group_by).toEqual(["provider", "key_source"]);
    expect(usage.report.by_provider?.[0]?.name).toBe("openai");
    expect(usage.report.by_key_source?.map((e) => e.name)).toContain("request");

    const byok = await client.byokAnalytics({ period: "today", provider: "openai" });
    expect(byok.report.total_requests).toBeGreaterThanOrEqual(3);
    expect(byok.report.by_model?.length).toBeGreaterThan(0);

    const hourly = await client.analytics({ period: "today", bucket: "hour", groupBy: ["provider"] });
    expect(hourly.report.bucket).toBe("hour");
    const buckets = hourly.report.buckets ?? [];
    expect(buckets.length).toBeGreaterThanOrEqual(23);
    expect(buckets.reduce((sum, b) => sum + b.total_requests, 0)).toBe(hourly.report.total_requests);

    const comparison = await client.costComparison({ period: "today" });
    expect(comparison.report.byok_requests).toBeGreaterThanOrEqual(3);
    expect(typeof comparison.report.byok.total).toBe("number");
  });

  test("a bad period is a BadRequestError naming it", async () => {
    const error = await client.analytics({ period: "yesterday" as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ code: "invalid_request", param: "period" });
  });
});
