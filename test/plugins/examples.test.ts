// The example plugins in plugins/: the Tiny LLM provider passes the shared provider contract against its mock,
// and the "cheapest healthy, then fastest" strategy orders candidates and routes real requests.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import cheapestHealthy from "../../plugins/cheapest-healthy-strategy.ts";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { MockTinyLLM } from "../fixtures/mock-tinyllm.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";
import { providerContract } from "../providers/contract.ts";
import { candidate, ids, price, request } from "../routing/fixtures.ts";

const ROOT = join(import.meta.dir, "../..");
const TINY_PLUGIN = join(ROOT, "plugins/tinyllm-provider.ts");
const STRATEGY_PLUGIN = join(ROOT, "plugins/cheapest-healthy-strategy.ts");
const TINY_KEY = "tiny-0123456789abcdefXYZ";
const OPENAI_KEY = "sk-proj-plugins0000000000000000000001";

providerContract({
  provider: "tiny",
  adapter: TINY_PLUGIN,
  key: TINY_KEY,
  chatModel: "tiny-1",
  startMock: () => new MockTinyLLM([TINY_KEY]).start(),
  skip: {
    tools: "Tiny LLM has no tool calling",
    forced_tool: "Tiny LLM has no tool calling",
    structured_output: "Tiny LLM answers plain text only",
  },
});

describe("the example provider plugin: translation details", () => {
  let mock: MockTinyLLM;
  let gw: TestGateway;

  beforeAll(async () => {
    mock = new MockTinyLLM([TINY_KEY]).start();
    gw = await startGateway({ providers: { tiny: { adapter: TINY_PLUGIN, base_url: mock.url, timeout_ms: 2000 } } });
  });
  afterAll(async () => {
    await gw.stop();
    await mock.stop();
  });

  test("messages become turns, max_tokens becomes max_words; unsupported parameters are dropped and named; unknown ones pass", async () => {
    const res = await gw.post("/v1/chat/completions", {
      model: "tiny-1",
      messages: [{ role: "system", content: "be short" }, { role: "user", content: "one two three" }],
      max_tokens: 2,
      temperature: 0.2,
      tiny_mood: "calm",
      byok_api_key: TINY_KEY,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-provider-used")).toBe("tiny");
    expect(res.headers.get("x-keyway-dropped-params")).toBe("temperature");
    const body = await res.json();
    expect(body.choices[0]).toMatchObject({ message: { role: "assistant", content: "echo: one " }, finish_reason: "length" });
    expect(mock.last().headers["x-tiny-key"]).toBe(TINY_KEY);
    expect(mock.last().body).toEqual({
      tiny_mood: "calm",
      model: "tiny-1",
      turns: [{ from: "system", text: "be short" }, { from: "user", text: "one two three" }],
      max_words: 2,
    });
  });

  test("a key of another provider's shape is provider_mismatch", async () => {
    const res = await gw.post("/v1/chat/completions", { model: "tiny/tiny-1", messages: [{ role: "user", content: "x" }], byok_api_key: OPENAI_KEY });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("provider_mismatch");
  });
});

describe("the example strategy plugin: cheapest healthy, then fastest", () => {
  test("healthy targets by price, ties by latency; unknown prices after; unhealthy ones last, fastest first", () => {
    const health = (healthy: boolean, latencyMs?: number) => ({ health: { healthy, latencyMs } });
    const plan = cheapestHealthy.plan(request(), [
      candidate("pricey", "stored", "p", { ...price(10, 30), ...health(true, 100) }),
      candidate("cheap-slow", "stored", "cs", { ...price(1, 2), ...health(true, 900) }),
      candidate("cheap-fast", "stored", "cf", { ...price(1, 2), ...health(true, 200) }),
      candidate("unpriced", "stored", "u", health(true, 50)),
      candidate("sick-slow", "stored", "ss", { ...price(0.1, 0.1), ...health(false, 5000) }),
      candidate("sick-fast", "stored", "sf", { ...price(0.1, 0.1), ...health(false, 3000) }),
    ]);
    expect(ids(plan).map((id) => id.split(":")[0])).toEqual(["cheap-fast", "cheap-slow", "pricey", "unpriced", "sick-fast", "sick-slow"]);
  });

  test("registered from the config, it routes a model group to the cheapest provider, and falls back to the next", async () => {
    const tiny = new MockTinyLLM([TINY_KEY]).start();
    const openai = new MockOpenAI({ keys: [OPENAI_KEY] }).start();
    const gw = await startGateway({
      providers: {
        openai: { adapter: "openai", base_url: openai.url, timeout_ms: 2000, models: [{ id: "gpt-4o", input_per_mtok: 2.5, output_per_mtok: 10 }] },
        tiny: { adapter: TINY_PLUGIN, base_url: tiny.url, timeout_ms: 2000, models: [{ id: "tiny-1", input_per_mtok: 0.1, output_per_mtok: 0.2 }] },
      },
      model_groups: { duo: { openai: "gpt-4o", tiny: "tiny-1" } },
      routing: { strategies: { cheapest_healthy: STRATEGY_PLUGIN } },
    });
    try {
      const stored = await gw.post("/v1/providers/keys", { providers: [{ name: "openai", api_key: OPENAI_KEY }, { name: "tiny", api_key: TINY_KEY }] });
      expect(stored.status).toBe(201);
      const ask = () => gw.post("/v1/chat/completions", { model: "duo", messages: [{ role: "user", content: "cheap please" }], routing: { strategy: "cheapest_healthy" } });
      const first = await ask();
      expect(first.status).toBe(200);
      expect(first.headers.get("x-provider-used")).toBe("tiny");
      expect((await first.json()).choices[0].message.content).toBe("echo: cheap please");
      tiny.failNext({ kind: "server_error" });
      const fallback = await ask();
      expect(fallback.headers.get("x-provider-used")).toBe("openai");
      expect(fallback.headers.get("x-keyway-attempts")).toBe("2");
    } finally {
      await gw.stop();
      await tiny.stop();
      await openai.stop();
    }
  });
});
