// IndoxRouter's client protocol against a real keyway over HTTP, with the OpenAI and Anthropic mocks: the token
// exchange and re-authentication, every call the client makes (BYOK, stored keys paying when the client strips
// byok_api_key), a stream read as the client reads it, errors told apart by status with keyway's message as
// `detail`, the model catalogue and the caller's usage.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MockAnthropic } from "../fixtures/mock-anthropic.ts";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { openaiAndAnthropicAt, startGateway, type TestGateway } from "../helpers/gateway.ts";
import { IndoxClient, type IndoxError } from "../helpers/indox-client.ts";

const OPENAI_BYOK = "sk-proj-indoxBYOK000000000000000001";
const OPENAI_STORED = "sk-proj-indoxSTORED0000000000000001";
const ANTHROPIC_BYOK = "sk-ant-api03-indoxBYOK00000000000001";
const hello = [{ role: "user", content: "Hello there" }];

let openai: MockOpenAI;
let anthropic: MockAnthropic;
let gw: TestGateway;
let key: string;
let client: IndoxClient;

/** The error a promise rejects with (fails the test when it resolves). */
async function failure(promise: Promise<unknown>): Promise<IndoxError> {
  try {
    await promise;
  } catch (error) {
    return error as IndoxError;
  }
  throw new Error("expected the call to fail");
}

async function collect(stream: AsyncGenerator<Record<string, unknown>>): Promise<Record<string, unknown>[]> {
  const chunks: Record<string, unknown>[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

beforeAll(async () => {
  openai = new MockOpenAI({ keys: [OPENAI_BYOK, OPENAI_STORED] }).start();
  anthropic = new MockAnthropic({ keys: [ANTHROPIC_BYOK] }).start();
  gw = await startGateway(openaiAndAnthropicAt(openai.url, anthropic.url));
  key = (await (await gw.post("/v1/api-keys", { name: "indox client", role: "developer" })).json()).key;
  const stored = await gw.post("/v1/providers/keys", { providers: [{ name: "openai", api_key: OPENAI_STORED }] });
  expect(stored.status).toBe(201);
  client = await IndoxClient.connect(key, `${gw.url}/`);
});
afterAll(async () => {
  await gw.stop();
  await openai.stop();
  await anthropic.stop();
});

describe("token exchange", () => {
  test("the key is exchanged at /auth/api-key for itself as a bearer token, sent on every call", async () => {
    expect(client.sent[0]).toMatchObject({ method: "POST", path: "api/v1/auth/api-key" });
    expect(client.accessToken).toBe(key);
    const res = await fetch(`${gw.url}/api/v1/auth/api-key`, { method: "POST", headers: { "X-API-Key": key } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ access_token: key, token_type: "bearer" });
  });

  test("the form fallback takes the key as password; a wrong key is refused with detail, and the client raises AuthenticationError", async () => {
    const form = await fetch(`${gw.url}/api/v1/auth/token`, { method: "POST", body: new URLSearchParams({ username: "pip_client", password: key }) });
    expect(await form.json()).toEqual({ access_token: key, token_type: "bearer" });
    const empty = await fetch(`${gw.url}/api/v1/auth/token`, { method: "POST", body: new URLSearchParams({ username: "x" }) });
    expect([empty.status, (await empty.json()).code]).toEqual([400, "invalid_request"]);

    const wrong = "kw_not_a_real_key_000000000000000000";
    const refused = await fetch(`${gw.url}/api/v1/auth/api-key`, { method: "POST", headers: { "X-API-Key": wrong } });
    expect(refused.status).toBe(401);
    expect((await refused.json()).detail).toContain("unknown, revoked or expired");
    const error = await failure(IndoxClient.connect(wrong, gw.url));
    expect(error.kind).toBe("AuthenticationError");
    expect(error.message).toContain("unknown, revoked or expired");
  });

  test("after a 401 the client authenticates again and its retry succeeds", async () => {
    const again = await IndoxClient.connect(key, gw.url);
    again.accessToken = "kw_stale_token_0000000000000000000000";
    const answer = await again.chat(hello, "openai/gpt-4o-mini", { byok_api_key: OPENAI_BYOK });
    expect(answer.data).toBe("echo: Hello there");
    expect(again.authentications).toBe(2);
    expect(again.sent.map((s) => s.path)).toEqual(["api/v1/auth/api-key", "api/v1/chat/completions", "api/v1/auth/api-key", "api/v1/chat/completions"]);
  });
});

describe("calls", () => {
  test("chat with BYOK: text, provider and model of the answering attempt, byok true, usage at cost 0; additional_params merged", async () => {
    const answer = await client.chat(hello, "openai/gpt-4o-mini", { byok_api_key: OPENAI_BYOK, top_p: 0.5, seed: 3 });
    expect(answer).toMatchObject({ success: true, data: "echo: Hello there", finish_reason: "stop", provider: "openai", model: "gpt-4o-mini", byok_api_key: true });
    expect(answer.usage).toMatchObject({ tokens_completion: 7, cost: 0 });
    const usage = answer.usage as { tokens_prompt: number; tokens_completion: number; tokens_total: number };
    expect(usage.tokens_total).toBe(usage.tokens_prompt + usage.tokens_completion);
    const upstream = openai.last();
    expect(upstream.headers.authorization).toBe(`Bearer ${OPENAI_BYOK}`);
    expect(upstream.body).toMatchObject({ model: "gpt-4o-mini", top_p: 0.5, seed: 3, temperature: 0.7 });
    expect(upstream.body).not.toHaveProperty("additional_params");
    expect(upstream.body).not.toHaveProperty("byok_api_key");
  });

  test("chat to Anthropic, translated both ways", async () => {
    const answer = await client.chat(hello, "anthropic/claude-3-5-haiku-latest", { byok_api_key: ANTHROPIC_BYOK, max_tokens: 64 });
    expect(answer).toMatchObject({ success: true, provider: "anthropic", model: "claude-3-5-haiku-latest", byok_api_key: true });
    expect(answer.data).toContain("Hello there");
    expect(anthropic.calls.at(-1)?.headers["x-api-key"]).toBe(ANTHROPIC_BYOK);
  });

  test("completion", async () => {
    const answer = await client.completion("Once", "openai/gpt-3.5-turbo-instruct", { byok_api_key: OPENAI_BYOK });
    expect(answer).toMatchObject({ success: true, data: " completed: Once", provider: "openai", usage: { tokens_completion: 5 } });
  });

  test("embeddings: one vector per text, in order", async () => {
    const answer = await client.embeddings(["one", "three"], "openai/text-embedding-3-small", { byok_api_key: OPENAI_BYOK });
    expect(answer.data).toEqual([
      [0.03, 0.25, -0.5],
      [0.05, 0.25, -0.5],
    ]);
    expect(openai.last().body?.input).toEqual(["one", "three"]);
  });

  test("images: the client strips byok_api_key for gpt-image models, so the stored key pays", async () => {
    const answer = await client.images("a lighthouse", "openai/gpt-image-1", { size: "1024x1024", byok_api_key: OPENAI_BYOK });
    expect(client.sent.at(-1)?.body).not.toHaveProperty("byok_api_key");
    expect(answer).toMatchObject({ success: true, provider: "openai", data: [{ b64_json: "aW1hZ2U=", revised_prompt: "a lighthouse" }], byok_api_key: true });
    expect(openai.last().headers.authorization).toBe(`Bearer ${OPENAI_STORED}`);
    expect(openai.last().body).toMatchObject({ model: "gpt-image-1", size: "1024x1024" });
  });

  test("text to speech: JSON with the audio as a data: URL", async () => {
    const answer = await client.textToSpeech("Hello", "openai/tts-1", { byok_api_key: OPENAI_BYOK });
    expect(answer).toMatchObject({ success: true, provider: "openai", model: "tts-1", byok_api_key: true });
    const url = (answer.data as { url: string }).url;
    expect(url.startsWith("data:audio/mpeg;base64,")).toBe(true);
    expect([...Buffer.from(url.slice(url.indexOf(",") + 1), "base64")]).toEqual([0x49, 0x44, 0x33, 0x04, 0x00]);
    expect(openai.last().body).toMatchObject({ input: "Hello", voice: "alloy" });
  });

  test("a chat stream: every chunk has choices[0], the text comes back whole, [DONE] ends it", async () => {
    const chunks = await collect(client.chatStream(hello, "openai/gpt-4o-mini", { byok_api_key: OPENAI_BYOK }));
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.map((c) => c.data ?? "").join("")).toBe("echo: Hello there");
    expect(chunks.every((c) => Array.isArray(c.choices) && (c.choices as unknown[]).length > 0)).toBe(true);
    // keyway asked the upstream for usage; the usage-only chunk never reached the client.
    expect(openai.last().body?.stream_options).toEqual({ include_usage: true });
  });

  test("an Anthropic stream, translated into OpenAI chunks", async () => {
    const chunks = await collect(client.chatStream(hello, "anthropic/claude-3-5-haiku-latest", { byok_api_key: ANTHROPIC_BYOK, max_tokens: 64 }));
    expect(chunks.map((c) => c.data ?? "").join("")).toContain("Hello there");
    expect(chunks.every((c) => (c.choices as unknown[]).length > 0)).toBe(true);
  });

  test("a stream that fails midway ends with an error chunk, which the client raises", async () => {
    openai.fail({ kind: "error-event", afterChunks: 2 });
    const error = await failure(collect(client.chatStream(hello, "openai/gpt-4o-mini", { byok_api_key: OPENAI_BYOK })));
    expect(error.kind).toBe("APIError");
    expect(error.message).toContain("Streaming error");
    expect(error.message).not.toContain(OPENAI_BYOK);
  });
});

describe("errors by status, keyway's message as detail", () => {
  test("400: a bad parameter (in additional_params too) is InvalidParametersError naming it", async () => {
    const top = await failure(client.chat(hello, "openai/gpt-4o-mini", { temperature: 5, byok_api_key: OPENAI_BYOK }));
    expect([top.kind, top.status]).toEqual(["InvalidParametersError", 400]);
    expect(top.message).toContain("'temperature'");
    const nested = await failure(client.chat(hello, "openai/gpt-4o-mini", { top_p: 3, byok_api_key: OPENAI_BYOK }));
    expect(nested.message).toContain("'additional_params.top_p'");
  });

  test("a body that is not JSON, or without messages, is a 400 with detail, never a 500", async () => {
    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const broken = await fetch(`${gw.url}/api/v1/chat/completions`, { method: "POST", headers, body: "{not json" });
    expect(broken.status).toBe(400);
    expect((await broken.json()).detail).toContain("not valid JSON");
    const missing = await failure(client.request("POST", "chat/completions", { model: "openai/gpt-4o-mini", additional_params: {} }));
    expect([missing.kind, missing.status]).toEqual(["InvalidParametersError", 400]);
    expect(missing.message).toContain("'messages'");
  });

  test("404: an unknown provider is ProviderNotFoundError; a model the provider does not have is ModelNotFoundError", async () => {
    const provider = await failure(client.chat(hello, "nosuch/model-x"));
    expect([provider.kind, provider.status]).toEqual(["ProviderNotFoundError", 404]);
    expect(provider.message).toContain("Unknown provider 'nosuch'");
    const model = await failure(client.getModelInfo("openai", "gpt-nope"));
    expect([model.kind, model.status]).toEqual(["ModelNotFoundError", 404]);
  });

  test("429: the provider's rate limit is RateLimitError", async () => {
    // Twice: the BYOK key's 429 falls back to the stored key, which is rate-limited too.
    openai.fail({ kind: "status", status: 429, retryAfter: "0" }, { kind: "status", status: 429, retryAfter: "0" });
    const calls = openai.calls.length;
    const error = await failure(client.chat(hello, "openai/gpt-4o-mini", { byok_api_key: OPENAI_BYOK }));
    expect(openai.calls.slice(calls).map((c) => c.headers.authorization)).toEqual([`Bearer ${OPENAI_BYOK}`, `Bearer ${OPENAI_STORED}`]);
    expect([error.kind, error.status]).toEqual(["RateLimitError", 429]);
    expect(error.message).toContain("rate-limited");
  });

  test("401 from the provider for a bad BYOK key: AuthenticationError after one re-authentication", async () => {
    const before = client.authentications;
    const error = await failure(client.chat(hello, "openai/gpt-4o-mini", { byok_api_key: "sk-proj-wrong000000000000000000000000" }));
    expect([error.kind, error.status]).toEqual(["AuthenticationError", 401]);
    expect(error.message).toContain("refused your provider key");
    expect(error.message).not.toContain("sk-proj-wrong000000000000000000000000");
    expect(client.authentications).toBe(before + 1);
  });

  test("5xx: an upstream failure is RequestError", async () => {
    openai.fail({ kind: "status", status: 500 }, { kind: "status", status: 500 });
    const calls = openai.calls.length;
    const error = await failure(client.chat(hello, "openai/gpt-4o-mini", { byok_api_key: OPENAI_BYOK }));
    expect(openai.calls.length - calls).toBe(2);
    expect(error.kind).toBe("RequestError");
    expect(error.status).toBeGreaterThanOrEqual(500);
  });
});

describe("catalogue and usage", () => {
  test("models: providers with their models; one provider; one model", async () => {
    const providers = (await client.models()) as { id: string; capabilities: string[]; models: { id: string; provider: string }[] }[];
    const ids = providers.map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining(["openai", "anthropic"]));
    const listed = providers.find((p) => p.id === "openai");
    expect(listed?.capabilities).toEqual(expect.arrayContaining(["chat", "embedding", "image", "tts"]));
    expect(listed?.models.some((m) => m.id === "gpt-4o" && m.provider === "openai")).toBe(true);

    const one = (await client.models("anthropic")) as { id: string; models: { id: string }[] };
    expect(one.id).toBe("anthropic");
    expect(one.models.length).toBeGreaterThan(0);
    const info = await client.getModelInfo("openai", "gpt-4o");
    expect(info).toMatchObject({ id: "gpt-4o", provider: "openai", pricing: { unit: "USD per million tokens" } });
    expect((info.pricing as { input_per_mtok: number }).input_per_mtok).toBeGreaterThan(0);

    const missing = await failure(client.models("nosuch"));
    expect([missing.kind, missing.status]).toEqual(["ProviderNotFoundError", 404]);
  });

  test("user/usage: this key's calls of the last 30 days, per provider and model", async () => {
    let usage: Record<string, unknown> = {};
    for (let i = 0; i < 50; i++) {
      usage = await client.getUsage();
      if ((usage.providers as Record<string, unknown>).anthropic !== undefined) break;
      await Bun.sleep(100);
    }
    expect(usage.total_requests as number).toBeGreaterThanOrEqual(10);
    const providers = usage.providers as Record<string, { requests: number; tokens: { input: number; output: number; total: number } }>;
    expect(providers.openai?.requests).toBeGreaterThanOrEqual(5);
    expect(providers.anthropic?.requests).toBeGreaterThanOrEqual(2);
    expect(providers.openai?.tokens.total).toBe((providers.openai?.tokens.input ?? 0) + (providers.openai?.tokens.output ?? 0));
    expect(Object.keys(usage.models as object)).toEqual(expect.arrayContaining(["openai/gpt-4o-mini"]));
    expect(usage).toHaveProperty("remaining_credits", 0);
    const bad = await failure(client.request("GET", "user/usage?start_date=yesterday"));
    expect([bad.kind, bad.status]).toEqual(["InvalidParametersError", 400]);
  });
});
