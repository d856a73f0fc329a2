// The shared provider contract: one suite every adapter runs against its own mock upstream,
// through a real keyway over real HTTP, driven by the official `openai` client, unchanged.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Ajv from "ajv";
import OpenAI from "openai";
import { builtInAdapters } from "../../src/providers/builtin.ts";
import type { ContractMock } from "../fixtures/mock-kit.ts";
// The cases' data is shared with the plugin kit's in-process contract (runProviderContract).
import { WEATHER_TOOL } from "../../src/plugin-kit/contract-cases.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";

/** The contract's cases a provider may skip, by nature, with the reason. */
export type ContractCase = "tools" | "structured_output" | "forced_tool";

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
  /** Contract cases this provider cannot pass by nature, each with the reason (a provider without tool calling). */
  skip?: Partial<Record<ContractCase, string>>;
}


const TIME_TOOL = {
  type: "function" as const,
  function: {
    name: "get_time",
    description: "The local time in a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

/** What a structured-output request asks for: an object with a string, a number, a boolean, an enum and a list. */
const REPORT_SCHEMA = {
  type: "object",
  properties: {
    city: { type: "string" },
    temperature_c: { type: "number" },
    sunny: { type: "boolean" },
    wind: { type: "string", enum: ["calm", "breezy", "stormy"] },
    sources: { type: "array", items: { type: "string" } },
  },
  required: ["city", "temperature_c", "sunny", "wind", "sources"],
  additionalProperties: false,
};

const REPORT_FORMAT = { type: "json_schema" as const, json_schema: { name: "weather_report", schema: REPORT_SCHEMA, strict: true } };

/** The model ids of this provider that keyway's catalogue lists: the config's entries and the adapter's price list. */
function catalogued(setup: ContractSetup): string[] {
  const configured = ((setup.settings?.models ?? []) as { id: string }[]).map((model) => model.id);
  const listed = Object.keys(builtInAdapters.get(setup.adapter)?.prices ?? {});
  return [...new Set([...configured, ...listed])];
}

/** Runs a case unless the provider skips it, in which case the reason is printed with the skip. */
function contractCase(setup: ContractSetup, name: ContractCase, title: string, body: () => Promise<void>): void {
  const reason = setup.skip?.[name];
  if (reason === undefined) test(title, body);
  else test.skip(`${title} (skipped: ${reason})`, body);
}

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

    contractCase(setup, "tools", "a tool call round trip works, non-stream and stream", async () => {
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

    contractCase(setup, "structured_output", "structured output (json_schema) answers JSON that parses and matches the schema, non-stream and stream", async () => {
      const validate = new Ajv({ strict: false }).compile(REPORT_SCHEMA);
      const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "The weather in Paris as a report." }];
      const answer = await client.chat.completions.create({ model, messages, response_format: REPORT_FORMAT, ...byok });
      expect(answer.choices[0]?.finish_reason).toBe("stop");
      expect(answer.choices[0]?.message.tool_calls ?? []).toEqual([]);
      const parsed: unknown = JSON.parse(answer.choices[0]?.message.content ?? "");
      expect(validate(parsed)).toBe(true);

      const stream = await client.chat.completions.create({ model, messages, response_format: REPORT_FORMAT, stream: true, ...byok });
      let text = "";
      let finish: string | null | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? "";
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      expect(finish).toBe("stop");
      expect(validate(JSON.parse(text))).toBe(true);
    });

    contractCase(setup, "forced_tool", "a forced tool call (tool_choice naming a function) comes back as that call", async () => {
      const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "What time is it in Paris?" }];
      const tool_choice = { type: "function" as const, function: { name: "get_time" } };
      const answer = await client.chat.completions.create({ model, messages, tools: [WEATHER_TOOL, TIME_TOOL], tool_choice, ...byok });
      const calls = answer.choices[0]?.message.tool_calls ?? [];
      expect(answer.choices[0]?.finish_reason).toBe("tool_calls");
      expect(calls).toHaveLength(1);
      const call = calls[0];
      if (call?.type !== "function") throw new Error("no function call");
      expect(call.function.name).toBe("get_time");
      expect(JSON.parse(call.function.arguments)).toEqual({ city: "Paris" });
    });

    test("GET /v1/models lists what the provider serves, as provider/model ids it can retrieve", async () => {
      const listed = [];
      for await (const entry of client.models.list()) listed.push(entry);
      const mine = listed.filter((entry) => entry.owned_by === setup.provider);
      expect(mine.length).toBeGreaterThan(0);
      for (const entry of mine) expect(entry.id.startsWith(`${setup.provider}/`)).toBe(true);
      const ids = mine.map((entry) => entry.id.slice(setup.provider.length + 1));
      const expected = catalogued(setup);
      if (expected.length > 0) expect(ids.sort()).toEqual(expected.sort());
      // The chat model this suite calls is served under a listed id (itself, or the id it is a version of).
      const served = ids.find((id) => setup.chatModel === id || setup.chatModel.startsWith(`${id}-`));
      expect(served).toBeDefined();
      const retrieved = await client.models.retrieve(`${setup.provider}/${served}`);
      expect(retrieved).toMatchObject({ id: `${setup.provider}/${served}`, object: "model", owned_by: setup.provider });
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
