// With no tracing configured keyway makes no trace of its own, yet a client's W3C trace context still crosses it: the
// upstream gets the client's traceparent as it came; a request without one sends none upstream.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { knownNames } from "../../src/cli/known-names.ts";
import { loadConfigFrom } from "../../src/config/load.ts";
import { type Runtime, startRuntime } from "../../src/runtime.ts";
import { createLogger } from "../../src/telemetry/logger.ts";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { openaiAt } from "../helpers/gateway.ts";

const KEY = "sk-proj-untraced00000000000000000000001";
const ADMIN = "kw_untraced_admin_000000000000000000001";
let mock: MockOpenAI;
let dir: string;
let runtime: Runtime;

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [KEY] }).start();
  dir = mkdtempSync(join(tmpdir(), "keyway-untraced-"));
  // Started without a tracer provider and with no OTLP settings: tracing is off, as in a default install.
  const raw = {
    ...openaiAt(mock.url),
    server: { host: "127.0.0.1", port: 0 },
    storage: { driver: "sqlite", path: join(dir, "keyway.db") },
    security: { admin_key: ADMIN, master_key_file: join(dir, "master.key") },
    telemetry: { log_level: "warn" },
  };
  const { config } = loadConfigFrom(raw, join(dir, "keyway.yaml"), {}, knownNames);
  runtime = await startRuntime({ config, source: join(dir, "keyway.yaml"), logger: createLogger("warn", () => {}) });
});
afterAll(async () => {
  await runtime.stop();
  await mock.stop();
  rmSync(dir, { recursive: true, force: true });
});

const chat = (headers: Record<string, string> = {}) =>
  fetch(`${runtime.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json", ...headers },
    body: JSON.stringify({ model: "openai/gpt-4o", messages: [{ role: "user", content: "hi" }], byok_api_key: KEY }),
  });

describe("trace context without tracing", () => {
  test("a client's traceparent reaches the upstream unchanged", async () => {
    const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const res = await chat({ traceparent });
    expect(res.status).toBe(200);
    expect(mock.last().headers.traceparent).toBe(traceparent);
  });

  test("a request without one sends none", async () => {
    const res = await chat();
    expect(res.status).toBe(200);
    expect(mock.last().headers.traceparent).toBeUndefined();
  });
});
