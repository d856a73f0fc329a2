// With no tracing configured keyway makes no trace of its own, yet a client's W3C trace context still crosses it: the
// upstream gets the client's traceparent as it came; a request without one sends none upstream.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { openaiAt, type PlainRuntime, startPlainRuntime } from "../helpers/gateway.ts";

const KEY = "sk-proj-untraced00000000000000000000001";
let mock: MockOpenAI;
let keyway: PlainRuntime;

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [KEY] }).start();
  keyway = await startPlainRuntime(openaiAt(mock.url).providers as Record<string, unknown>);
});
afterAll(async () => {
  await keyway.stop();
  await mock.stop();
});

const chat = (headers: Record<string, string> = {}) =>
  fetch(`${keyway.runtime.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${keyway.adminKey}`, "content-type": "application/json", ...headers },
    body: JSON.stringify({ model: "openai/gpt-4o", messages: [{ role: "user", content: "hi" }], byok_api_key: KEY }),
  });

describe("trace context without tracing", () => {
  test("a client's traceparent reaches the upstream unchanged", async () => {
    const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const res = await chat({ traceparent });
    expect(res.status).toBe(200);
    expect(mock.last().headers.traceparent).toBe(traceparent);
  });

  test("a request without one sends none", async () => {
    const res = await chat();
    expect(res.status).toBe(200);
    expect(mock.last().headers.traceparent).toBeUndefined();
  });
});
