// `runProviderContract`: the provider contract for a plugin author's adapter, under bun:test. The same cases keyway's
// built-in adapters pass through a real gateway (test/providers/contract.ts), run in process against the author's mock
// upstream with keyway's own request sending, failure mapping and stream parsing, and asserted in keyway's terms.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ConfiguredProvider } from "../core/provider-set.ts";
import { openAISseEvents } from "../gateway/openai-sse-events.ts";
import { ndjsonParser, sseParser } from "../gateway/sse.ts";
import type { ChatCompletion, ChatCompletionChunk, ChatRequest, ProviderAdapter, ProviderContext, UpstreamFailure } from "../plugins/sdk.ts";
import { callUpstream } from "../providers/upstream-call.ts";
import {
  CONTRACT_PROMPT,
  CONTRACT_SYSTEM,
  type ContractMock,
  LONG_PROMPT,
  RETRY_AFTER,
  WEATHER_ARGUMENTS,
  WEATHER_QUESTION,
  WEATHER_RESULT,
  WEATHER_TOOL,
} from "./contract-cases.ts";

export interface ProviderContractOptions {
  /** The adapter under test (the plugin's default export). */
  adapter: ProviderAdapter;
  /** The mock upstream, or what starts it (called once before the cases; stopped after them). */
  mock: ContractMock | (() => ContractMock | Promise<ContractMock>);
  /** A key the mock accepts. Default `test-key-0123456789abcdef`. */
  key?: string;
  /** A chat model id of the provider. Default the first of the adapter's `prices`, else `test-model`. */
  model?: string;
  /** `ctx.options`, as `providers.<name>.options` would give them. */
  options?: Record<string, unknown>;
  /** Cases the provider cannot pass by nature, with the reason (a provider without tool calling). */
  skip?: { tools?: string };
}

type Sent = { ok: true; response: Response } | { ok: false; failure: UpstreamFailure; status?: number };

interface StreamResult {
  text: string;
  finish?: string | null;
  usage?: ChatCompletionChunk["usage"];
  toolCalls: Map<number, { id?: string; name: string; args: string }>;
  /** Set when the stream failed (a dropped connection, an error event). */
  error?: string;
}

class Driver {
  mock!: ContractMock;
  readonly key: string;
  readonly model: string;

  constructor(private readonly setup: ProviderContractOptions) {
    this.key = setup.key ?? "test-key-0123456789abcdef";
    this.model = setup.model ?? Object.keys(setup.adapter.prices ?? {})[0] ?? "test-model";
  }

  get chat() {
    const chat = this.setup.adapter.endpoints.chat;
    if (!chat) throw new Error(`adapter '${this.setup.adapter.name}' offers no chat endpoint`);
    return chat;
  }

  context(stream: boolean): ProviderContext {
    return { provider: this.setup.adapter.name, model: this.model, baseUrl: this.mock.url, apiKey: this.key, stream, options: this.setup.options ?? {} };
  }

  /** Builds the request as keyway does (toUpstream must answer synchronously) and sends it through keyway's own path. */
  async send(body: ChatRequest, ctx: ProviderContext): Promise<Sent> {
    const request = this.chat.toUpstream(body, ctx);
    if (typeof (request as { then?: unknown }).then === "function") throw new Error("toUpstream returned a Promise; it must return the request itself");
    const url = new URL(this.mock.url);
    const provider: ConfiguredProvider = {
      name: this.setup.adapter.name,
      adapter: this.setup.adapter,
      settings: { adapter: this.setup.adapter.name } as ConfiguredProvider["settings"],
      baseUrl: this.mock.url,
      timeoutMs: 10_000,
      otelName: this.setup.adapter.otelName,
      host: url.hostname,
      port: Number(url.port),
    };
    const outcome = await callUpstream({ provider, request, apiKey: this.key, defaultMethod: "POST", signal: AbortSignal.timeout(10_000) });
    return outcome.ok ? outcome : { ok: false, failure: outcome.failure, status: outcome.response?.status };
  }

  async complete(messages: ChatRequest["messages"], extra: Partial<ChatRequest> = {}): Promise<ChatCompletion> {
    const body: ChatRequest = { model: this.model, messages, ...extra };
    const ctx = this.context(false);
    const sent = await this.send(body, ctx);
    if (!sent.ok) throw new Error(`the upstream refused the request: ${sent.failure.kind}: ${sent.failure.message}`);
    return this.chat.fromUpstream(await sent.response.json(), ctx, body);
  }

  async failure(): Promise<Sent> {
    return this.send({ model: this.model, messages: [{ role: "user", content: "x" }] }, this.context(false));
  }

  async stream(messages: ChatRequest["messages"], extra: Partial<ChatRequest> = {}): Promise<StreamResult> {
    const body: ChatRequest = { model: this.model, messages, stream: true, stream_options: { include_usage: true }, ...extra };
    const ctx = this.context(true);
    const declared = this.chat.stream;
    const translator = declared === "openai-sse" ? openAISseEvents : declared;
    const sent = await this.send(body, ctx);
    if (!sent.ok) throw new Error(`the upstream refused the request: ${sent.failure.kind}: ${sent.failure.message}`);
    const result: StreamResult = { text: "", toolCalls: new Map() };
    const take = (chunk: ChatCompletionChunk) => {
      const choice = chunk.choices[0];
      result.text += choice?.delta.content ?? "";
      result.finish = choice?.finish_reason ?? result.finish;
      if (chunk.usage) result.usage = chunk.usage;
      for (const delta of choice?.delta.tool_calls ?? []) {
        const entry = result.toolCalls.get(delta.index) ?? { name: "", args: "" };
        entry.id ??= delta.id;
        entry.name += delta.function?.name ?? "";
        entry.args += delta.function?.arguments ?? "";
        result.toolCalls.set(delta.index, entry);
      }
    };
    const parser = translator.framing === "ndjson" ? ndjsonParser() : sseParser();
    const state = translator.start(ctx, body);
    const decoder = new TextDecoder();
    try {
      const reader = (sent.response.body as ReadableStream<Uint8Array>).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const event of parser.push(decoder.decode(value, { stream: true }))) translator.translate(event, state).forEach(take);
      }
      for (const event of parser.end()) translator.translate(event, state).forEach(take);
      translator.finish(state).forEach(take);
    } catch (error) {
      result.error = error instanceof Error ? error.message : String(error);
    }
    return result;
  }
}

/** Registers the provider contract's cases for `options.adapter` with bun:test (call it at the top of a test file). */
export function runProviderContract(options: ProviderContractOptions): void {
  const driver = new Driver(options);
  const { adapter } = options;
  describe(`provider contract: ${adapter.name}`, () => {
    beforeAll(async () => {
      driver.mock = typeof options.mock === "function" ? await options.mock() : options.mock;
    });
    afterAll(async () => {
      await driver.mock?.stop();
    });

    test("non-stream chat returns the upstream's answer in OpenAI shape; the key is not in the body or URL", async () => {
      const answer = await driver.complete([{ role: "system", content: CONTRACT_SYSTEM }, { role: "user", content: CONTRACT_PROMPT }]);
      expect(answer.object).toBe("chat.completion");
      expect(answer.choices[0]?.message.role).toBe("assistant");
      expect(answer.choices[0]?.message.content).toContain(CONTRACT_PROMPT);
      expect(answer.choices[0]?.finish_reason).toBe("stop");
      expect(answer.usage?.prompt_tokens).toBeGreaterThan(0);
      expect(answer.usage?.completion_tokens).toBeGreaterThan(0);
      const call = driver.mock.calls.at(-1);
      expect(call).toBeDefined();
      expect(JSON.stringify(call?.body)).not.toContain(driver.key);
      expect(`${call?.path}${call?.search}`).not.toContain(driver.key);
    });

    test("streamed chat yields the same text, a finish reason and a usage chunk", async () => {
      const result = await driver.stream([{ role: "user", content: CONTRACT_PROMPT }]);
      expect(result.error).toBeUndefined();
      expect(result.text).toContain(CONTRACT_PROMPT);
      expect(result.finish).toBe("stop");
      expect(result.usage?.completion_tokens).toBeGreaterThan(0);
    });

    const tools = options.skip?.tools === undefined ? test : test.skip;
    tools(`a tool call round trip works, non-stream and stream${options.skip?.tools ? ` (skipped: ${options.skip.tools})` : ""}`, async () => {
      const messages: ChatRequest["messages"] = [{ role: "user", content: WEATHER_QUESTION }];
      const first = await driver.complete(messages, { tools: [WEATHER_TOOL] });
      const call = first.choices[0]?.message.tool_calls?.[0];
      expect(first.choices[0]?.finish_reason).toBe("tool_calls");
      expect(call?.function.name).toBe(WEATHER_TOOL.function.name);
      expect(JSON.parse(call?.function.arguments ?? "")).toEqual(WEATHER_ARGUMENTS);
      const streamed = await driver.stream(messages, { tools: [WEATHER_TOOL] });
      expect(streamed.finish).toBe("tool_calls");
      expect(streamed.toolCalls.get(0)?.name).toBe(WEATHER_TOOL.function.name);
      expect(JSON.parse(streamed.toolCalls.get(0)?.args ?? "")).toEqual(WEATHER_ARGUMENTS);
      if (!call) return;
      const answer = await driver.complete(
        [
          ...messages,
          { role: "assistant", content: null, tool_calls: [call] },
          { role: "tool", tool_call_id: call.id, content: WEATHER_RESULT },
        ],
        { tools: [WEATHER_TOOL] },
      );
      expect(answer.choices[0]?.finish_reason).toBe("stop");
      expect(answer.choices[0]?.message.content).toContain(WEATHER_RESULT);
    });

    test("a key the provider refuses is an auth failure (keyway answers provider_key_invalid, 401)", async () => {
      driver.mock.failNext({ kind: "auth" });
      const sent = await driver.failure();
      expect(sent.ok).toBe(false);
      if (sent.ok) return;
      expect(sent.failure.kind).toBe("auth");
      expect(sent.failure.message).not.toContain(driver.key);
    });

    test("a provider rate limit is a rate_limit failure with its Retry-After (keyway answers 429 with it)", async () => {
      driver.mock.failNext({ kind: "rate_limit", retryAfter: RETRY_AFTER });
      const sent = await driver.failure();
      expect(sent.ok).toBe(false);
      if (sent.ok) return;
      expect(sent.failure.kind).toBe("rate_limit");
      expect(sent.failure.retryAfterSeconds).toBe(Number(RETRY_AFTER));
    });

    test("a provider server error is a server_error failure (keyway falls back, or answers upstream_error 502)", async () => {
      driver.mock.failNext({ kind: "server_error" });
      const sent = await driver.failure();
      expect(sent.ok).toBe(false);
      if (sent.ok) return;
      expect(sent.failure.kind).toBe("server_error");
    });

    test("a stream the provider drops fails (keyway ends it with an error event), it does not hang or finish", async () => {
      driver.mock.failNext({ kind: "disconnect", afterChunks: 2 });
      const result = await driver.stream([{ role: "user", content: LONG_PROMPT }]);
      expect(result.error ?? (result.finish ? undefined : "ended without a finish reason")).toBeDefined();
      expect(result.finish).not.toBe("stop");
    });
  });
}
