// The runtime's two seams the pipeline bench (bench/pipeline.ts) stands on: `transport` replaces fetch for upstream
// calls, and `handle` answers a request in-process exactly as the server answers it over HTTP.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type PlainRuntime, startPlainRuntime } from "../helpers/gateway.ts";

const PROVIDER_KEY = "sk-in-process-0123456789abcdef0123";
const BASE_URL = "http://upstream.invalid/v1";

/** OpenAI's chat completion answer (https://platform.openai.com/docs/api-reference/chat/object). */
const COMPLETION = {
  id: "chatcmpl-inprocess",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "gpt-4o-mini",
  choices: [{ index: 0, message: { role: "assistant", content: "Hello from the canned upstream.", refusal: null }, logprobs: null, finish_reason: "stop" }],
  usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
};

describe("the runtime in-process", () => {
  let keyway: PlainRuntime;
  const sent: { url: string; authorization: string | null; body: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    keyway = await startPlainRuntime({ openai: { adapter: "openai", base_url: BASE_URL } }, async (url, init) => {
      sent.push({ url, authorization: new Headers(init.headers).get("authorization"), body: JSON.parse(String(init.body)) });
      return Response.json(COMPLETION);
    });
  });

  afterAll(() => keyway.stop());

  const chat = (body: unknown) =>
    keyway.runtime.handle(
      new Request("http://127.0.0.1/v1/chat/completions", {
        method: "POST",
        headers: { authorization: `Bearer ${keyway.adminKey}`, "content-type": "application/json", host: "127.0.0.1" },
        body: JSON.stringify(body),
      }),
    );

  test("handle answers through the given transport, which gets the request at the provider's base URL with the caller's key", async () => {
    const response = await chat({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }], byok_api_key: PROVIDER_KEY });
    const answer = (await response.json()) as typeof COMPLETION & { byok_api_key: boolean; usage: { cost: number } };
    expect(response.status).toBe(200);
    expect(response.headers.get("x-provider-used")).toBe("openai");
    expect(answer.choices[0]?.message.content).toBe("Hello from the canned upstream.");
    expect(answer.byok_api_key).toBe(true);
    expect(answer.usage.total_tokens).toBe(19);
    expect(answer.usage.cost).toBe(0);
    const last = sent.at(-1);
    expect(last?.url).toBe(`${BASE_URL}/chat/completions`);
    expect(last?.authorization).toBe(`Bearer ${PROVIDER_KEY}`);
    expect(last?.body.model).toBe("gpt-4o-mini");
    expect(last?.body).not.toHaveProperty("byok_api_key");
  });

  test("handle refuses bad input in the client's error shape, as the server does, and sends nothing upstream", async () => {
    const before = sent.length;
    const response = await chat({ model: "openai/gpt-4o-mini", messages: "not a list", byok_api_key: PROVIDER_KEY });
    const answer = (await response.json()) as { error: { code: string; param: string | null; message: string } };
    expect(response.status).toBe(400);
    expect(answer.error.code).toBe("invalid_request");
    expect(answer.error.param).toBe("messages");
    expect(answer.error.message).not.toContain(PROVIDER_KEY);
    expect(sent.length).toBe(before);
  });
});
