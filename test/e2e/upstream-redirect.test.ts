// Upstream redirects are never followed: a provider base URL that answers 307 to another host gets no key sent
// there, over real HTTP, on the executor (chat, stream and not), the key check and Google's own model listing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { bindProviders } from "../../src/gateway/providers.ts";
import type { ProviderAdapter } from "../../src/plugins/sdk.ts";
import { builtInAdapters } from "../../src/providers/builtin.ts";
import { checkProviderKey } from "../../src/vault/key-check.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";

const OPENAI_PLATFORM = "sk-proj-redirectplatform0000000000001";
const ANTHROPIC_STORED = "sk-ant-api03-redirectstored000000000001";
const GOOGLE_CALLER = "AIzaRedirectCaller00000000000000000001";
const QUERY_SECRET = "qs-secret-9c1f";

interface Seen {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** A local server that records every request it gets and answers with `answer`. */
function recordingServer(answer: (url: URL) => Response) {
  const seen: Seen[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      seen.push({ method: request.method, path: url.pathname, headers: Object.fromEntries(request.headers), body: await request.text() });
      return answer(url);
    },
  });
  return { seen, host: `127.0.0.1:${server.port}`, url: `http://127.0.0.1:${server.port}`, stop: () => server.stop(true) };
}

/** The host a redirect points at: answers 200 with a chat completion, which must never be served or charged. */
function startCatcher() {
  return recordingServer(() =>
    Response.json({ id: "chatcmpl-stolen", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: "stolen" }, finish_reason: "stop" }], usage: { prompt_tokens: 1000, completion_tokens: 1000, total_tokens: 2000 } }),
  );
}

/** The provider's base URL: answers every request 307 to the catcher, with a secret in the location's query. */
function startRedirector(target: string) {
  return recordingServer((url) => new Response("moved", { status: 307, headers: { location: `http://${target}${url.pathname}?token=${QUERY_SECRET}` } }));
}

let catcher: ReturnType<typeof startCatcher>;
let redirector: ReturnType<typeof startRedirector>;
let gw: TestGateway;

const credits = async () =>
  (await (await fetch(`${gw.url}/v1/accounts/acc_default`, { headers: { authorization: `Bearer ${gw.adminKey}` } })).json()).credits as number;

function usageRow(requestId: string): { status: number; input_tokens: number; output_tokens: number; cost_micros: number } | undefined {
  const db = new Database(gw.dbPath, { readonly: true });
  try {
    return db.query("SELECT * FROM usage_records WHERE request_id = ?").get(requestId) as never;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  catcher = startCatcher();
  redirector = startRedirector(catcher.host);
  gw = await startGateway({
    providers: {
      openai: { adapter: "openai", base_url: `${redirector.url}/v1`, timeout_ms: 2000, platform_keys: [OPENAI_PLATFORM] },
      anthropic: { adapter: "anthropic", base_url: redirector.url, timeout_ms: 2000 },
      google: { adapter: "google", base_url: redirector.url, timeout_ms: 2000 },
    },
    routing: { retries: 0 },
  });
  await gw.post("/v1/accounts/acc_default/credits", { amount: 5 });
  const stored = await gw.post("/v1/providers/keys", { providers: [{ name: "anthropic", api_key: ANTHROPIC_STORED }] });
  if (stored.status !== 201) throw new Error(`storing the key failed: ${await stored.text()}`);
});
afterAll(async () => {
  await gw.stop();
  redirector.stop();
  catcher.stop();
});

/** The answer is keyway's upstream error in OpenAI's shape, naming the location's host and nothing of its query. */
async function expectRedirectError(res: Response): Promise<void> {
  expect(res.status).toBe(502);
  expect(res.headers.get("content-type")).toContain("application/json");
  const text = await res.text();
  const body = JSON.parse(text) as { error: { message: string; type: string; param: unknown; code: string } };
  expect(body.error.code).toBe("upstream_error");
  expect(body.error.type).toBe("api_error");
  expect(body.error.message).toContain(`a redirect to '${catcher.host}'`);
  expect(body.error.message).toContain("never follows upstream redirects");
  for (const secret of [QUERY_SECRET, "token=", OPENAI_PLATFORM, ANTHROPIC_STORED, GOOGLE_CALLER]) expect(text).not.toContain(secret);
}

const chatBody = (model: string, extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: "user", content: "hello" }], max_tokens: 20, ...extra });

describe("the executor never follows an upstream redirect", () => {
  const cases: { name: string; body: Record<string, unknown>; headers: Record<string, string>; key: string; header: string }[] = [
    { name: "platform key (Authorization), non-stream", body: chatBody("openai/gpt-4o"), headers: {}, key: OPENAI_PLATFORM, header: "authorization" },
    { name: "platform key (Authorization), stream", body: chatBody("openai/gpt-4o", { stream: true }), headers: {}, key: OPENAI_PLATFORM, header: "authorization" },
    { name: "stored key (x-api-key), non-stream", body: chatBody("anthropic/claude-3-5-haiku-20241022"), headers: {}, key: ANTHROPIC_STORED, header: "x-api-key" },
    { name: "stored key (x-api-key), stream", body: chatBody("anthropic/claude-3-5-haiku-20241022", { stream: true }), headers: {}, key: ANTHROPIC_STORED, header: "x-api-key" },
    { name: "request key (x-goog-api-key), Google chat", body: chatBody("google/gemini-1.5-flash"), headers: { "x-byok-api-key": GOOGLE_CALLER }, key: GOOGLE_CALLER, header: "x-goog-api-key" },
    { name: "request key (x-goog-api-key), Google stream", body: chatBody("google/gemini-1.5-flash", { stream: true }), headers: { "x-byok-api-key": GOOGLE_CALLER }, key: GOOGLE_CALLER, header: "x-goog-api-key" },
  ];

  for (const c of cases) {
    test(`${c.name}: the other host gets nothing, the client an upstream error, nothing is charged`, async () => {
      const before = await credits();
      const sent = redirector.seen.length;
      const res = await gw.post("/v1/chat/completions", c.body, c.headers);
      const requestId = res.headers.get("x-request-id") as string;
      await expectRedirectError(res);
      // keyway did call the configured base URL, with the key; the location's host saw nothing at all.
      expect(redirector.seen.length).toBe(sent + 1);
      expect(JSON.stringify(redirector.seen.at(-1)?.headers)).toContain(c.key);
      expect(redirector.seen.at(-1)?.headers[c.header]).toBeDefined();
      expect(catcher.seen).toEqual([]);
      expect(await credits()).toBe(before);
      expect(usageRow(requestId)).toMatchObject({ status: 502, input_tokens: 0, output_tokens: 0, cost_micros: 0 });
    });
  }
});

describe("keyway's own upstream calls never follow a redirect either", () => {
  const providers = () =>
    bindProviders(
      {
        openai: { adapter: "openai", base_url: `${redirector.url}/v1` },
        anthropic: { adapter: "anthropic", base_url: redirector.url },
        google: { adapter: "google", base_url: redirector.url },
      },
      (s) => builtInAdapters.get(s.adapter) as ProviderAdapter,
      [...builtInAdapters.values()],
    );

  test("the key check (rotation's test_before_switch, health probes) reports the redirect's host and sends nothing there", async () => {
    const set = providers();
    for (const [name, key] of [["openai", OPENAI_PLATFORM], ["anthropic", ANTHROPIC_STORED], ["google", GOOGLE_CALLER]] as const) {
      const sent = redirector.seen.length;
      const check = await checkProviderKey(set.get(name) as never, key, 2000);
      expect(check.ok).toBe(false);
      const failure = "failure" in check ? check.failure : undefined;
      expect(failure?.kind).toBe("server_error");
      expect(failure?.message).toContain(`a redirect to '${catcher.host}'`);
      expect(failure?.message).not.toContain(QUERY_SECRET);
      expect(redirector.seen.length).toBe(sent + 1);
    }
    expect(catcher.seen).toEqual([]);
  });

  test("a rotation with test_before_switch is refused as an upstream error naming the host; the old key stays", async () => {
    const sent = redirector.seen.length;
    const res = await gw.post("/v1/providers/keys/rotate", { provider: "anthropic", new_api_key: "sk-ant-api03-redirectnew0000000000000001", test_before_switch: true });
    expect(res.status).toBe(502);
    const text = await res.text();
    expect(JSON.parse(text).error).toMatchObject({ code: "upstream_error", type: "api_error" });
    expect(JSON.parse(text).error.message).toContain(`a redirect to '${catcher.host}'`);
    expect(text).not.toContain("redirectnew");
    expect(text).not.toContain(QUERY_SECRET);
    expect(redirector.seen.length).toBe(sent + 1);
    expect(redirector.seen.at(-1)?.headers["x-api-key"]).toBe("sk-ant-api03-redirectnew0000000000000001");
    expect(catcher.seen).toEqual([]);
    const chat = await gw.post("/v1/chat/completions", chatBody("anthropic/claude-3-5-haiku-20241022"));
    await expectRedirectError(chat);
    expect(redirector.seen.at(-1)?.headers["x-api-key"]).toBe(ANTHROPIC_STORED);
  });

  test("Google's model listing refuses the redirect, naming the host", async () => {
    const google = builtInAdapters.get("google") as ProviderAdapter;
    const ctx = { provider: "google", model: "", baseUrl: redirector.url, apiKey: GOOGLE_CALLER, stream: false, options: {} };
    const listing = google.listModels?.(ctx);
    expect(listing).toBeDefined();
    const error = await (listing as Promise<string[]>).then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).toContain(`a redirect to '${catcher.host}'`);
    expect(error?.message).not.toContain(QUERY_SECRET);
    expect(redirector.seen.at(-1)?.path).toBe("/v1beta/models");
    expect(catcher.seen).toEqual([]);
  });
});
