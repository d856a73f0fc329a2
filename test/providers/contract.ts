// The shared provider contract: one suite every adapter runs against its own mock upstream,
// through a real keyway over real HTTP, driven by the official `openai` client, unchanged.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import type { ContractMock } from "../fixtures/mock-kit.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";

export interface ContractSetup {
  /** Provider name in the config (what clients write before '/'). */
  provider: string;
  /** Adapter name (built-in) or plugin path. */
  adapter: string;
  /** A key the mock accepts. */
  key: string;
  /** A chat model id of this provider. */
  chatModel: string;
  startMock(): ContractMock | Promise<ContractMock>;
  /** Provider settings besides adapter and base_url. */
  settings?: Record<string, unknown>;
  /** Contract tests this provider cannot pass by nature (Perplexity has no tool calling). */
  skip?: "tools"[];
}

const WEATHER_TOOL = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "Current weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

export function providerContract(setup: ContractSetup): void {
  describe(`provider contract: ${setup.provider} (${setup.adapter})`, () => {
    let mock: ContractMock;
    let gw: TestGateway;
    let client: OpenAI;
    const model = `${setup.provider}/${setup.chatModel}`;
    const byok = { byok_api_key: setup.key } as Record<string, unknown>;

    beforeAll(async () => {
      mock = await setup.startMock();
      gw = await startGateway({
        providers: { [setup.provider]: { adapter: setup.adapter, base_url: mock.url, timeout_ms: 3000, ...setup.settings } },
      });
      client = new OpenAI({ apiKey: gw.adminKey, baseURL: `${gw.url}/v1`, maxRetries: 0 });
    });
    afterAll(async () => {
      await gw?.stop();
      await mock?.stop();
    });

    test("non-stream chat returns the upstream's answer in OpenAI shape", async () => {
      const { data, response } = await client.chat.completions
        .create({ model, messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "hello contract" }], ...byok })
        .withResponse();
      expect(data.object).toBe("chat.completion");
      expect(data.choices[0]?.message.role).toBe("assistant");
      expect(data.choices[0]?.message.content).toContain("hello contract");
      expect(data.choices[0]?.finish_reason).toBe("stop");
      expect(data.usage?.prompt_tokens).toBeGreaterThan(0);
      expect(data.usage?.completion_tokens).toBeGreaterThan(0);
      expect(response.headers.get("x-provider-used")).toBe(setup.provider);
      expect(response.headers.get("x-byok-used")).toBe("true");
      expect(JSON.stringify(mock.calls.at(-1)?.body)).not.toContain(setup.key);
    });

    test("streamed chat yields the same text, a finish reason and a usage chunk when asked", async () => {
      const stream = await client.chat.completions.create({
        model,
        messages: [{ role: "user", content: "hello contract" }],
        stream: true,
        stream_options: { include_usage: true },
        ...byok,
      });
      let text = "";
      let finish: string | null | undefined;
      let usage: OpenAI.CompletionUsage | undefined | null;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? "";
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (chunk.usage) usage = chunk.usage;
      }
      expect(text).toContain("hello contract");
      expect(finish).toBe("stop");
      expect(usage?.completion_tokens).toBeGreaterThan(0);
    });

    test.skipIf(setup.skip?.includes("tools") ?? false)("a tool call round trip works, non-stream and stream", async () => {
      const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "weather in Paris?" }];
      const first = await client.chat.completions.create({ model, messages, tools: [WEATHER_TOOL], ...byok });
      const call = first.choices[0]?.message.tool_calls?.[0];
      expect(first.choices[0]?.finish_reason).toBe("tool_calls");
      expect(call?.type).toBe("function");
      if (call?.type !== "function") throw new Error("no function call");
      expect(call.function.name).toBe("get_weather");
      expect(JSON.parse(call.function.arguments)).toEqual({ city: "Paris" });

      const stream = await client.chat.completions.create({ model, messages, tools: [WEATHER_TOOL], stream: true, ...byok });
      const calls = new Map<number, { id?: string; name: string; args: string }>();
      let finish: string | null | undefined;
      for await (const chunk of stream) {
        finish = chunk.choices[0]?.finish_reason ?? finish;
        for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
          const entry = calls.get(delta.index) ?? { name: "", args: "" };
          entry.id ??= delta.id;
          entry.name += delta.function?.name ?? "";
          entry.args += delta.function?.arguments ?? "";
          calls.set(delta.index, entry);
        }
      }
      expect(finish).toBe("tool_calls");
      expect(calls.get(0)?.name).toBe("get_weather");
      expect(JSON.parse(calls.get(0)?.args ?? "")).toEqual({ city: "Paris" });

      const answer = await client.chat.completions.create({
        model,
        tools: [WEATHER_TOOL],
        messages: [
          ...messages,
          { role: "assistant", content: null, tool_calls: [{ id: call.id, type: "function", function: call.function }] },
          { role: "tool", tool_call_id: call.id, content: "sunny, 21C" },
        ],
        ...byok,
      });
      expect(answer.choices[0]?.finish_reason).toBe("stop");
      expect(answer.choices[0]?.message.content).toContain("sunny, 21C");
    });

    test("a key the provider refuses is provider_key_invalid (401)", async () => {
      mock.failNext({ kind: "auth" });
      const res = await gw.post("/v1/chat/completions", { model, messages: [{ role: "user", content: "x" }], ...byok });
      expect(res.status).toBe(401);
      const body = await res.json();
      expect(body.error.code).toBe("provider_key_invalid");
      expect(JSON.stringify(body)).not.toContain(setup.key);
    });

    test("a provider rate limit is upstream_rate_limited (429) with its Retry-After", async () => {
      mock.failNext({ kind: "rate_limit", retryAfter: "17" });
      const res = await gw.post("/v1/chat/completions", { model, messages: [{ role: "user", content: "x" }], ...byok });
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("17");
      expect((await res.json()).error.code).toBe("upstream_rate_limited");
    });

    test("a provider server error is upstream_error (502) listing the attempt", async () => {
      mock.failNext({ kind: "server_error" });
      const res = await gw.post("/v1/chat/completions", { model, messages: [{ role: "user", content: "x" }], ...byok });
      expect(res.status).toBe(502);
      const body = await res.json();
      expect(body.error.code).toBe("upstream_error");
      expect(body.error.attempts).toHaveLength(1);
      expect(body.error.attempts[0].provider).toBe(setup.provider);
    });

    test("a stream the provider drops ends with an OpenAI-shaped error event, not a hang", async () => {
      mock.failNext({ kind: "disconnect", afterChunks: 2 });
      const res = await gw.post("/v1/chat/completions", { model, messages: [{ role: "user", content: "a longer answer please" }], stream: true, ...byok });
      expect(res.status).toBe(200);
      const text = await res.text();
      const last = text.trim().split("\n\n").at(-1) ?? "";
      expect(last.startsWith("data: ")).toBe(true);
      const event = JSON.parse(last.slice(6));
      expect(event.error.code).toBe("upstream_error");
      expect(event.error.type).toBe("api_error");
    });
  });
}
