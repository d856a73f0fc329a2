// How the inference route answers refusals: before the pipeline (no attempts header) and from it (attempts
// header, the call's own key out of the text).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { openaiAt, startGateway, type TestGateway } from "../helpers/gateway.ts";

const KEY = "sk-proj-caller0000000000000000abcd";
/** A per-request key of no known shape: only the call's own redaction can take it out. */
const ODD_KEY = "plainsecretvalue0042";
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

describe("error answers of the inference route", () => {
  test("a refusal before the pipeline carries the request id and no attempts header", async () => {
    const res = await gw.post("/v1/chat/completions", { model: "openai/gpt-4o", messages: [] }, { authorization: "Bearer kw_nosuchkey000000000000" });
    expect(res.status).toBe(401);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(res.headers.get("x-keyway-attempts")).toBeNull();
    const body = await res.json();
    expect(body.error.code).toBe("invalid_api_key");
  });

  test("a refusal from the pipeline carries the attempts header and never the caller's own key", async () => {
    const res = await gw.post("/v1/chat/completions", { model: ODD_KEY, byok_api_key: ODD_KEY, messages: [{ role: "user", content: "hi" }] }, { "x-request-id": "req-odd-key" });
    expect(res.status).toBe(404);
    expect(res.headers.get("x-request-id")).toBe("req-odd-key");
    expect(res.headers.get("x-keyway-attempts")).toBe("0");
    const text = await res.text();
    expect(text).not.toContain(ODD_KEY);
    expect(JSON.parse(text).error).toEqual({
      message: "No provider is known for model '[redacted]'. Write it as provider/model (configured providers: openai).",
      type: "not_found_error",
      param: "model",
      code: "model_not_found",
    });
  });

  test("a failure after attempts counts them in the header, with each attempt's reason free of the caller's key", async () => {
    const res = await gw.post("/v1/chat/completions", { model: "openai/gpt-4o", byok_api_key: `sk-proj-${ODD_KEY}wrong`, messages: [{ role: "user", content: "hi" }] });
    expect(res.status).toBe(401);
    expect(res.headers.get("x-keyway-attempts")).toBe("1");
    const body = await res.json();
    expect(body.error.code).toBe("provider_key_invalid");
    expect(body.error.attempts).toHaveLength(1);
    expect(JSON.stringify(body)).not.toContain(ODD_KEY);
  });
});
