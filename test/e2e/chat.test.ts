import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { openaiAt, startGateway, type TestGateway } from "../helpers/gateway.ts";

const KEY = "sk-proj-caller0000000000000000abcd";
let mock: MockOpenAI;
let gw: TestGateway;

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [KEY] }).start();
  gw = await startGateway(openaiAt(mock.url));
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

describe("chat completions with the caller's own key", () => {
  test("non-stream: answer, usage.cost 0, byok flag and headers", async () => {
    const res = await gw.post("/v1/chat/completions", { model: "openai/gpt-4o", messages: [{ role: "user", content: "hi there" }], byok_api_key: KEY });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.choices[0].message.content).toBe("echo: hi there");
    expect(body.usage.cost).toBe(0);
    expect(body.usage.total_tokens).toBeGreaterThan(0);
    expect(body.byok_api_key).toBe(true);
    expect(res.headers.get("x-provider-used")).toBe("openai");
    expect(res.headers.get("x-byok-used")).toBe("true");
    expect(res.headers.get("x-ratelimit-bypass")).toBe("BYOK API key used");
    expect(res.headers.get("x-keyway-attempts")).toBe("1");
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const sent = mock.last();
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent.body?.model).toBe("gpt-4o");
    expect(sent.body).not.toHaveProperty("byok_api_key");
  });
});
