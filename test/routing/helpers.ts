// A gateway in front of a mock OpenAI and a mock Anthropic, both configured with platform keys, and an account
// that stored one key of each: the set-up the routing and health end-to-end tests share.
import { MockAnthropic } from "../fixtures/mock-anthropic.ts";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";

export const OPENAI_KEY = "sk-proj-routing0000000000000000000001";
export const OPENAI_KEY_2 = "sk-proj-routing0000000000000000000002";
export const OPENAI_PLATFORM = "sk-proj-platform000000000000000000001";
export const ANTHROPIC_KEY = "sk-ant-api03-routing000000000000000001";
export const ANTHROPIC_PLATFORM = "sk-ant-api03-platform00000000000000001";

export interface RoutingRig {
  gw: TestGateway;
  openai: MockOpenAI;
  anthropic: MockAnthropic;
  chat(body?: Record<string, unknown>, headers?: Record<string, string>): Promise<Response>;
  stop(): Promise<void>;
}

export async function startRig(extra: Record<string, unknown> = {}, options: { storeKeys?: boolean; platformKeys?: boolean } = {}): Promise<RoutingRig> {
  const openai = new MockOpenAI({ keys: [OPENAI_KEY, OPENAI_KEY_2, OPENAI_PLATFORM], chunkIntervalMs: 2 }).start();
  const anthropic = new MockAnthropic({ keys: [ANTHROPIC_KEY, ANTHROPIC_PLATFORM] }).start();
  const platform = options.platformKeys ?? true;
  const gw = await startGateway({
    providers: {
      openai: { adapter: "openai", base_url: openai.url, timeout_ms: 500, ...(platform ? { platform_keys: [OPENAI_PLATFORM] } : {}) },
      anthropic: { adapter: "anthropic", base_url: anthropic.url, timeout_ms: 500, ...(platform ? { platform_keys: [ANTHROPIC_PLATFORM] } : {}) },
    },
    ...extra,
  });
  await gw.post("/v1/accounts/acc_default/credits", { amount: 100 });
  if (options.storeKeys ?? true) {
    const stored = await gw.post("/v1/providers/keys", { providers: [{ name: "openai", api_key: OPENAI_KEY }, { name: "anthropic", api_key: ANTHROPIC_KEY }] });
    if (stored.status !== 201) throw new Error(`storing keys failed: ${await stored.text()}`);
  }
  return {
    gw,
    openai,
    anthropic,
    chat: (body = {}, headers = {}) =>
      gw.post("/v1/chat/completions", { model: "gpt-4", messages: [{ role: "user", content: "route me" }], max_tokens: 50, ...body }, headers),
    async stop() {
      await gw.stop();
      await openai.stop();
      await anthropic.stop();
    },
  };
}

/** The text of an OpenAI SSE answer, and whether it ended with an error event. */
export async function readStream(response: Response): Promise<{ text: string; error?: string; done: boolean }> {
  const raw = await response.text();
  let text = "";
  let error: string | undefined;
  let done = false;
  for (const event of raw.split("\n\n")) {
    const data = event.replace(/^data: /, "").trim();
    if (data === "") continue;
    if (data === "[DONE]") {
      done = true;
      continue;
    }
    const chunk = JSON.parse(data) as { choices?: { delta?: { content?: string } }[]; error?: { message: string } };
    if (chunk.error) error = chunk.error.message;
    text += chunk.choices?.[0]?.delta?.content ?? "";
  }
  return { text, error, done };
}
