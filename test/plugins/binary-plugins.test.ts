// The compiled binary loads both example plugins from disk (a folder with no node_modules and no tsconfig) and
// serves a request through each: the Tiny LLM provider, and the cheapest-healthy strategy as the default.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { BINARY, BUILD_TIMEOUT_MS, buildBinary, writeBinaryConfig, ROOT, startBinary } from "../helpers/binary.ts";
import { MockTinyLLM } from "../fixtures/mock-tinyllm.ts";

const ADMIN = "kw_plugin_binary_admin_key_00000000001";
const TINY_KEY = "tiny-binary0123456789abcdef";
const OPENAI_KEY = "sk-proj-binaryplugins00000000000000001";


describe("the compiled binary with plugins from disk", () => {
  let dir: string;
  let tiny: MockTinyLLM;
  let openai: MockOpenAI;

  beforeAll(() => {
    buildBinary();
    dir = mkdtempSync(join(tmpdir(), "keyway-binary-plugins-"));
    mkdirSync(join(dir, "plugins"));
    for (const file of ["tinyllm-provider.ts", "cheapest-healthy-strategy.ts"]) copyFileSync(join(ROOT, "plugins", file), join(dir, "plugins", file));
    tiny = new MockTinyLLM([TINY_KEY]).start();
    openai = new MockOpenAI({ keys: [OPENAI_KEY] }).start();
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await tiny.stop();
    await openai.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("serves a chat through the provider plugin, routed by the strategy plugin", async () => {
    const config = writeBinaryConfig(dir, ADMIN, [
      "providers:",
      `  openai: { adapter: openai, base_url: "${openai.url}", models: [{ id: gpt-4o, input_per_mtok: 2.5, output_per_mtok: 10 }] }`,
      `  tiny: { adapter: ./plugins/tinyllm-provider.ts, base_url: "${tiny.url}", models: [{ id: tiny-1, input_per_mtok: 0.1, output_per_mtok: 0.2 }] }`,
      "model_groups: { duo: { openai: gpt-4o, tiny: tiny-1 } }",
      "routing:",
      "  default: { strategy: cheapest_healthy }",
      "  strategies: { cheapest_healthy: ./plugins/cheapest-healthy-strategy.ts }",
    ]);
    const { proc, url } = await startBinary(config, dir);
    const post = (path: string, body: unknown) =>
      fetch(`${url}${path}`, { method: "POST", headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    try {
      const direct = await post("/v1/chat/completions", { model: "tiny/tiny-1", messages: [{ role: "user", content: "from the binary" }], byok_api_key: TINY_KEY, stream: true });
      expect(direct.status).toBe(200);
      expect(direct.headers.get("x-provider-used")).toBe("tiny");
      const events = (await direct.text()).trim().split("\n\n");
      expect(events.at(-1)).toBe("data: [DONE]");
      const text = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)).choices[0]?.delta.content ?? "").join("");
      expect(text).toBe("echo: from the binary");

      const stored = await post("/v1/providers/keys", { providers: [{ name: "openai", api_key: OPENAI_KEY }, { name: "tiny", api_key: TINY_KEY }] });
      expect(stored.status).toBe(201);
      const routed = await post("/v1/chat/completions", { model: "duo", messages: [{ role: "user", content: "cheapest" }] });
      expect(routed.status).toBe(200);
      expect(routed.headers.get("x-provider-used")).toBe("tiny");
      expect((await routed.json()).choices[0].message.content).toBe("echo: cheapest");
      expect(openai.requests).toHaveLength(0);
    } finally {
      proc.kill("SIGTERM");
      await proc.exited;
    }
  });

  test("a malformed plugin stops the binary at start-up with its file name and the problem", () => {
    writeFileSync(join(dir, "plugins", "broken.ts"), `import { defineProvider } from "keyway/plugin";\nexport default defineProvider({ name: "broken", otelName: "broken", endpoints: { chat: { toUpstream: () => ({}) } } } as never);\n`);
    const config = join(dir, "broken.yaml");
    writeFileSync(
      config,
      [`storage: { path: ${join(dir, "broken.db")} }`, `security: { admin_key: ${ADMIN}, master_key_file: ${join(dir, "master.key")} }`, "providers: { bad: { adapter: ./plugins/broken.ts, base_url: http://127.0.0.1:9 } }"].join("\n"),
    );
    const run = Bun.spawnSync([BINARY, "serve", "--config", config], { cwd: dir, stdout: "pipe", stderr: "pipe", env: { ...process.env, KEYWAY_CONFIG: "" } });
    expect(run.exitCode).toBe(1);
    const stderr = run.stderr.toString();
    expect(stderr).toContain("plugin ./plugins/broken.ts");
    expect(stderr).toContain("'endpoints.chat.fromUpstream' must be a function");
  });
});
