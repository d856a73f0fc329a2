import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { openaiAt, startGateway, type TestGateway } from "../helpers/gateway.ts";

// A per-request key the mock refuses and quotes back in its error, the worst case for leaks.
const REFUSED = "sk-proj-LEAKCANARY0refused000000000001";
const ACCEPTED = "sk-proj-LEAKCANARY0accepted00000000002";
let mock: MockOpenAI;
let gw: TestGateway;

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [ACCEPTED], echoKeyInErrors: true }).start();
  gw = await startGateway(openaiAt(mock.url));
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

function allSpanText(): string {
  return JSON.stringify(gw.spans.getFinishedSpans().map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })));
}

function databaseBytes(): string {
  return readdirSync(gw.dir)
    .filter((f) => f.startsWith("keyway.db"))
    .map((f) => readFileSync(join(gw.dir, f)).toString("latin1"))
    .join("");
}

describe("a per-request provider key leaves no trace", () => {
  test("in no answer, log line, span or database row, on success, failure and streams", async () => {
    const base = { model: "openai/gpt-4o", messages: [{ role: "user", content: "hello" }] };
    const answers: string[] = [];
    for (const key of [ACCEPTED, REFUSED]) {
      answers.push(await (await gw.post("/v1/chat/completions", { ...base, byok_api_key: key })).text());
      answers.push(await (await gw.post("/v1/chat/completions", { ...base, stream: true }, { "x-byok-api-key": key })).text());
    }
    mock.fail({ kind: "status", status: 500 });
    answers.push(await (await gw.post("/v1/chat/completions", { ...base, byok_api_key: ACCEPTED })).text());
    mock.fail({ kind: "disconnect", afterChunks: 1 });
    answers.push(await (await gw.post("/v1/chat/completions", { ...base, stream: true, byok_api_key: ACCEPTED })).text());

    // the refused key really was quoted by the upstream, so redaction was exercised
    expect(answers.some((a) => a.includes("provider_key_invalid"))).toBe(true);
    await Bun.sleep(700); // usage records are written in batches
    await gw.runtime.stop();

    const logs = gw.logs.join("\n");
    expect(logs).toMatch(/"msg":"request".*"code":"provider_key_invalid"/);
    for (const key of [ACCEPTED, REFUSED]) {
      for (const answer of answers) expect(answer).not.toContain(key);
      expect(logs).not.toContain(key);
      expect(allSpanText()).not.toContain(key);
      expect(databaseBytes()).not.toContain(key);
      expect(databaseBytes()).not.toContain(key.slice(8));
    }
  });
});

describe("an upstream error event in the middle of a pass-through stream", () => {
  test("reaches the client without the operator's platform key, and the call is recorded as failed", async () => {
    const PLATFORM = "sk-proj-LEAKCANARY0platform0000000003";
    const upstream = new MockOpenAI({ keys: [PLATFORM] }).start();
    const gateway = await startGateway({ providers: { openai: { adapter: "openai", base_url: upstream.url, platform_keys: [PLATFORM] } } });
    try {
      const account = await (await gateway.post("/v1/accounts", { name: "leak-check", credits: 5 })).json();
      upstream.fail({ kind: "error-event", afterChunks: 2 });
      const res = await gateway.post(
        "/v1/chat/completions",
        { model: "openai/gpt-4o", messages: [{ role: "user", content: "hello" }], stream: true },
        { authorization: `Bearer ${account.key}` },
      );
      const text = await res.text();
      expect(text).not.toContain(PLATFORM);
      expect(text).not.toContain(PLATFORM.slice(8));
      const events = text.trim().split("\n\n").map((e) => JSON.parse(e.slice(6)));
      expect(events).toHaveLength(3);
      expect(events[2].error.message).toBe("Incorrect API key provided: [redacted]. You can find your API key at https://platform.openai.com/account/api-keys.");
      expect(events[2].error.code).toBe("invalid_api_key");
      await gateway.runtime.stop();
      expect(gateway.logs.join("\n")).not.toContain(PLATFORM);
      const rows = new Database(gateway.dbPath).query("SELECT status FROM usage_records").all() as { status: number }[];
      expect(rows).toEqual([{ status: 502 }]);
    } finally {
      await gateway.stop().catch(() => {});
      await upstream.stop();
    }
  });
});
