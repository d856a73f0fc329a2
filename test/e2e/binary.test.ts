import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { BINARY, buildBinary, writeBinaryConfig, startBinary } from "../helpers/binary.ts";

const KEY = "sk-proj-binary00000000000000000000001";
const ADMIN = "kw_binary_test_admin_key_000000000001";

/** Starts the binary and resolves with its URL once it logs that it listens. */

describe("the compiled binary", () => {
  let mock: MockOpenAI;
  let dir: string;

  beforeAll(() => {
    buildBinary();
    mock = new MockOpenAI({ keys: [KEY] }).start();
    dir = mkdtempSync(join(tmpdir(), "keyway-binary-"));
  });
  afterAll(async () => {
    await mock.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("npm run build writes dist/keyway, which reports its version", () => {
    expect(existsSync(BINARY)).toBe(true);
    const run = Bun.spawnSync([BINARY, "version"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout.toString()).toMatch(/^keyway \d+\.\d+\.\d+/);
  });

  test("dist/keyway serves a streamed chat through the official openai client", async () => {
    const config = writeBinaryConfig(dir, ADMIN, [
      `providers: { openai: { adapter: openai, base_url: "${mock.url}" } }`,
    ]);
    const { proc, url } = await startBinary(config);
    try {
      const client = new OpenAI({ apiKey: ADMIN, baseURL: `${url}/v1`, maxRetries: 0 });
      const { data: stream, response } = await client.chat.completions
        .create({ model: "openai/gpt-4o", messages: [{ role: "user", content: "from the binary" }], stream: true, byok_api_key: KEY } as OpenAI.ChatCompletionCreateParamsStreaming)
        .withResponse();
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      expect(text).toBe("echo: from the binary");
      expect(response.headers.get("x-provider-used")).toBe("openai");
      expect(response.headers.get("x-byok-used")).toBe("true");
    } finally {
      proc.kill("SIGTERM");
      await proc.exited;
    }
  });
});
