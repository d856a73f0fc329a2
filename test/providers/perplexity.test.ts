// Perplexity through a real keyway, against MockOpenAI shaped like api.perplexity.ai: answers carry citations
// and search_results; stream chunks say "chat.completion" and repeat usage; tools are taken by sonar-pro and
// sonar-reasoning-pro and refused by the other models. The contract runs on sonar-pro, tools included; for sonar,
// tools are shown to be dropped and named instead.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { sseParser } from "../../src/gateway/sse.ts";
import type { ChatCompletionChunk, ProviderContext } from "../../src/plugins/sdk.ts";
import perplexity, { perplexityStream, perplexityTakesTools } from "../../src/providers/perplexity.ts";
import type { RecordedCall } from "../fixtures/mock-kit.ts";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";
import { providerContract } from "./contract.ts";

const KEY = "pplx-4f8Qm2Rz7Xc1Vb9Nt3Lk6Hs0Jd5Wg8Ya2Pe7Uo1Ti4";
const CITATIONS = ["https://en.wikipedia.org/wiki/Paris", "https://www.meteofrance.com/"];
const SEARCH_RESULTS = [{ title: "Paris - Wikipedia", url: CITATIONS[0], date: "2025-01-02", snippet: "Paris is the capital of France." }];

/** Perplexity's answers: citations and search_results beside choices; streams that repeat usage on every chunk. */
class MockPerplexity extends MockOpenAI {
  /** Models other than sonar-pro and sonar-reasoning-pro refuse tools, in Perplexity's error shape. */
  protected override async handle(request: Request, recorded: RecordedCall): Promise<Response> {
    const model = String(recorded.body?.model ?? "");
    if (recorded.body?.tools !== undefined && !/^sonar(?:-reasoning)?-pro(?:$|-)/.test(model)) {
      return Response.json({ error: { message: "Tool calling is not supported for this model", type: "invalid_request", code: 400 } }, { status: 400 });
    }
    return super.handle(request, recorded);
  }

  override chatCompletion(body: Record<string, unknown>) {
    return { ...super.chatCompletion(body), citations: CITATIONS, search_results: SEARCH_RESULTS };
  }

  override chatChunks(body: Record<string, unknown>): Record<string, unknown>[] {
    const chunks = super.chatChunks({ ...body, stream_options: undefined });
    return chunks.map((chunk, i) => ({
      ...chunk,
      object: "chat.completion",
      usage: { prompt_tokens: 11, completion_tokens: i + 1, total_tokens: 12 + i, search_context_size: "low" },
      citations: CITATIONS,
    }));
  }
}

providerContract({
  provider: "perplexity",
  adapter: "perplexity",
  key: KEY,
  chatModel: "sonar-pro",
  startMock: () => new MockPerplexity({ keys: [KEY] }).start(),
});

const WEATHER_TOOL = {
  type: "function" as const,
  function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } },
};

describe("perplexity end to end", () => {
  let mock: MockPerplexity;
  let gw: TestGateway;
  let client: OpenAI;
  const byok = { headers: { "x-byok-api-key": KEY } };

  beforeAll(async () => {
    mock = new MockPerplexity({ keys: [KEY] }).start();
    // The mock serves OpenAI's /v1 prefix, so base_url ends in /v1 here; the real base has none
    // (https://api.perplexity.ai + /chat/completions). The adapter appends /chat/completions to either.
    gw = await startGateway({ providers: { perplexity: { adapter: "perplexity", base_url: mock.url, timeout_ms: 3000 } } });
    client = new OpenAI({ apiKey: gw.adminKey, baseURL: `${gw.url}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await gw?.stop();
    await mock?.stop();
  });

  test("tools and tool_choice are dropped, named in X-Keyway-Dropped-Params, and the model answers in text", async () => {
    const { data, response } = await client.chat.completions
      .create({ model: "perplexity/sonar", messages: [{ role: "user", content: "weather in Paris?" }], tools: [WEATHER_TOOL], tool_choice: "auto" }, byok)
      .withResponse();
    expect(response.headers.get("x-keyway-dropped-params")?.split(",").sort()).toEqual(["tool_choice", "tools"]);
    expect(mock.last().body).not.toHaveProperty("tools");
    expect(mock.last().body).not.toHaveProperty("tool_choice");
    expect(data.choices[0]?.finish_reason).toBe("stop");
    expect(data.choices[0]?.message.content).toBe("echo: weather in Paris?");
  });

  test("sonar-pro takes tools: they pass through, nothing is dropped, and the tool call comes back", async () => {
    const { data, response } = await client.chat.completions
      .create({ model: "perplexity/sonar-pro", messages: [{ role: "user", content: "weather in Paris?" }], tools: [WEATHER_TOOL], tool_choice: "auto" }, byok)
      .withResponse();
    expect(response.headers.get("x-keyway-dropped-params")).toBeNull();
    expect(mock.last().body?.tools).toEqual([WEATHER_TOOL]);
    expect(mock.last().body?.tool_choice).toBe("auto");
    expect(data.choices[0]?.finish_reason).toBe("tool_calls");
    expect(data.choices[0]?.message.tool_calls?.[0]?.type === "function" && data.choices[0].message.tool_calls[0].function.name).toBe("get_weather");
  });

  test("citations and search_results pass through in the answer", async () => {
    const res = await gw.post("/v1/chat/completions", { model: "sonar-pro", messages: [{ role: "user", content: "capital of France?" }], byok_api_key: KEY });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-provider-used")).toBe("perplexity");
    const body = await res.json();
    expect(body.citations).toEqual(CITATIONS);
    expect(body.search_results).toEqual(SEARCH_RESULTS);
    expect(mock.last().path).toBe("/v1/chat/completions");
  });

  test("streams: chunk objects are fixed, citations stay, usage comes once at the end, no stream_options upstream", async () => {
    const res = await gw.post("/v1/chat/completions", {
      model: "perplexity/sonar",
      messages: [{ role: "user", content: "hello stream" }],
      stream: true,
      stream_options: { include_usage: true },
      byok_api_key: KEY,
    });
    const events = (await res.text()).trim().split("\n\n");
    expect(events.at(-1)).toBe("data: [DONE]");
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.slice(6)) as ChatCompletionChunk);
    expect(chunks.every((c) => c.object === "chat.completion.chunk")).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("echo: hello stream");
    expect(chunks[1]?.citations).toEqual(CITATIONS);
    expect(chunks.filter((c) => c.usage)).toHaveLength(1);
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage?.prompt_tokens).toBe(11);
    expect(mock.last().body).not.toHaveProperty("stream_options");
  });

  test("a key in another provider's format is provider_mismatch", async () => {
    const res = await gw.post("/v1/chat/completions", { model: "perplexity/sonar", messages: [{ role: "user", content: "x" }], byok_api_key: "sk-ant-api03-abcdefghijklmnop" });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("provider_mismatch");
  });
});

describe("perplexity adapter", () => {
  const ctx: ProviderContext = {
    provider: "perplexity",
    model: "sonar",
    baseUrl: perplexity.defaultBaseUrl ?? "",
    apiKey: KEY,
    stream: true,
    options: {},
  };

  test("chat goes to /chat/completions under the base without /v1; the key check lists async jobs", () => {
    const upstream = perplexity.endpoints.chat?.toUpstream({ model: "sonar", messages: [{ role: "user", content: "q" }], stream: true }, ctx);
    expect(upstream?.url).toBe("https://api.perplexity.ai/chat/completions");
    expect(JSON.parse(upstream?.body ?? "")).not.toHaveProperty("stream_options");
    expect(perplexity.checkKey?.(ctx)).toMatchObject({ url: "https://api.perplexity.ai/async/chat/completions", method: "GET" });
    expect(Object.keys(perplexity.endpoints)).toEqual(["chat"]);
  });

  test("which models take tools: sonar-pro and sonar-reasoning-pro (dated ids too); options.tools overrides", () => {
    expect(perplexityTakesTools({ model: "sonar-pro", options: {} })).toBe(true);
    expect(perplexityTakesTools({ model: "sonar-reasoning-pro", options: {} })).toBe(true);
    expect(perplexityTakesTools({ model: "sonar", options: {} })).toBe(false);
    expect(perplexityTakesTools({ model: "sonar-deep-research", options: {} })).toBe(false);
    expect(perplexityTakesTools({ model: "sonar", options: { tools: true } })).toBe(true);
    expect(perplexityTakesTools({ model: "sonar-pro", options: { tools: false } })).toBe(false);
    const tools = [{ type: "function" as const, function: { name: "f", parameters: { type: "object" } } }];
    const pro = perplexity.endpoints.chat?.toUpstream({ model: "sonar-pro", messages: [], tools }, { ...ctx, model: "sonar-pro" });
    expect(JSON.parse(pro?.body ?? "").tools).toEqual(tools);
    expect(pro?.dropped).toBeUndefined();
    const plain = perplexity.endpoints.chat?.toUpstream({ model: "sonar", messages: [], tools }, ctx);
    expect(JSON.parse(plain?.body ?? "")).not.toHaveProperty("tools");
    expect(plain?.dropped).toEqual(["tools"]);
  });

  /** Recorded: Perplexity ends its stream without `data: [DONE]`; every chunk repeats usage and citations. */
  const RECORDED = [
    'data: {"id": "8c1596dd-319a-4c71-a1b8-e0c546b01641", "model": "sonar", "created": 1741689451, "usage": {"prompt_tokens": 7, "completion_tokens": 1, "total_tokens": 8}, "citations": ["https://www.boredpanda.com/jokes-about-dogs/"], "object": "chat.completion", "choices": [{"index": 0, "finish_reason": null, "message": {"role": "assistant", "content": "Why"}, "delta": {"role": "assistant", "content": "Why"}}]}',
    'data: {"id": "8c1596dd-319a-4c71-a1b8-e0c546b01641", "model": "sonar", "created": 1741689451, "usage": {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10}, "citations": ["https://www.boredpanda.com/jokes-about-dogs/"], "object": "chat.completion", "choices": [{"index": 0, "finish_reason": null, "message": {"role": "assistant", "content": "Why dogs?"}, "delta": {"role": "assistant", "content": " dogs?"}}]}',
    'data: {"id": "8c1596dd-319a-4c71-a1b8-e0c546b01641", "model": "sonar", "created": 1741689451, "usage": {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10}, "citations": ["https://www.boredpanda.com/jokes-about-dogs/"], "object": "chat.completion", "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Why dogs?"}, "delta": {"role": "assistant", "content": ""}}]}',
  ].map((line) => `${line}\r\n\r\n`).join("");

  const run = (recorded: string) => {
    const parser = sseParser();
    const state = perplexityStream.start(ctx, { model: "sonar", messages: [] });
    const chunks = [...parser.push(recorded), ...parser.end()].flatMap((event) => perplexityStream.translate(event, state));
    return [...chunks, ...perplexityStream.finish(state)];
  };

  test("a stream without [DONE] is complete once a finish_reason came; usage is reported once, last", () => {
    const chunks = run(RECORDED);
    expect(chunks).toHaveLength(4);
    expect(chunks.slice(0, 3).every((c) => c.object === "chat.completion.chunk" && c.usage === undefined)).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("Why dogs?");
    expect(chunks[2]?.choices[0]?.finish_reason).toBe("stop");
    expect(chunks[0]?.citations).toEqual(["https://www.boredpanda.com/jokes-about-dogs/"]);
    expect(chunks[3]).toEqual({
      id: "8c1596dd-319a-4c71-a1b8-e0c546b01641",
      object: "chat.completion.chunk",
      created: 1741689451,
      model: "sonar",
      choices: [],
      usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
    });
  });

  test("a stream cut before any finish_reason is an error; [DONE] itself is ignored", () => {
    const firstOnly = RECORDED.split("\r\n\r\n")[0] ?? "";
    expect(() => run(`${firstOnly}\r\n\r\ndata: [DONE]\r\n\r\n`)).toThrow("finish_reason");
  });
});
