// A plugin provider's knowledge (prices, model groups, key patterns, rate-limit headers) is honoured exactly as a
// built-in's: the example Tiny LLM plugin over real HTTP.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { REDACTED, redactSecrets } from "../../src/telemetry/redact.ts";
import { MockTinyLLM } from "../fixtures/mock-tinyllm.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";

const TINY_PLUGIN = join(import.meta.dir, "../../plugins/tinyllm-provider.ts");
const PLATFORM_KEY = "tiny-platformKey0123456789";
let mock: MockTinyLLM;
let gw: TestGateway;

beforeAll(async () => {
  mock = new MockTinyLLM([PLATFORM_KEY]).start();
  gw = await startGateway({
    providers: { tiny: { adapter: TINY_PLUGIN, base_url: mock.url, timeout_ms: 2000, platform_keys: [PLATFORM_KEY] } },
    platform: { markup_percent: 0 },
  });
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

describe("a plugin provider's knowledge", () => {
  test("its model group resolves and a platform-key call is charged at its list price", async () => {
    const account = await (await gw.post("/v1/accounts", { name: "tiny-payer", credits: 1 })).json();
    const res = await gw.post("/v1/chat/completions", { model: "fast", messages: [{ role: "user", content: "one two three" }] }, { authorization: `Bearer ${account.key}` });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-provider-used")).toBe("tiny");
    expect(mock.last().body?.model).toBe("tiny-1");
    const body = await res.json();
    // 3 words in, 4 words out ("echo: one two three") at 100 and 200 USD per million tokens.
    expect(body.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 4 });
    expect(body.usage.cost).toBeCloseTo((3 * 100 + 4 * 200) / 1e6, 9);
    const left = await (await fetch(`${gw.url}/v1/accounts/${account.id}`, { headers: { authorization: `Bearer ${gw.adminKey}` } })).json();
    expect(left.credits).toBeCloseTo(1 - 0.0011, 9);
  });

  test("its rate-limit header is read into the provider's health", async () => {
    await gw.post("/v1/chat/completions", { model: "tiny/tiny-1", messages: [{ role: "user", content: "hi" }], byok_api_key: PLATFORM_KEY });
    const health = await (await fetch(`${gw.url}/v1/providers/health`, { headers: { authorization: `Bearer ${gw.adminKey}` } })).json();
    const tiny = (health.providers ?? health).find((p: { name: string }) => p.name === "tiny");
    expect(tiny.rate_limit_remaining).toBe(41);
  });

  test("its keys are redacted from text once it is loaded", () => {
    const line = `upstream refused tiny-AbCdEfGhIjKlMnOpQr99 today`;
    expect(redactSecrets(line)).toBe(`upstream refused ${REDACTED} today`);
  });
});
