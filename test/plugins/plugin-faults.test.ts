// Malformed plugins and plugin faults, each with its exact error: a syntax error with file, line and column; a module
// that never finishes loading (serve and check stop, naming it); a strategy that rewrites a candidate's provider
// (refused and logged, the default strategy plans, the stored key never reaches the other provider); a provider
// whose toUpstream throws or returns a Promise (502 naming the plugin); a plugin that blocks the event loop (logged).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadStrategyPlugin } from "../../src/plugin-host/loader.ts";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";
import { pluginRefusal } from "../helpers/plugin-refusal.ts";

const ROOT = join(import.meta.dir, "../..");
const KEY = "sk-proj-pluginfaults00000000000000001";
let dir: string;

function plugin(name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}


const chat = (model: string, extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: "user", content: "hi" }], ...extra });
const logLines = (gw: TestGateway) => gw.logs.map((line) => JSON.parse(line) as Record<string, unknown>);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "keyway-plugin-faults-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("loading", () => {
  test("a syntax error is reported with its file, line and column", async () => {
    const file = plugin("syntax.ts", `import { defineStrategy } from "keyway/plugin";\nexport default defineStrategy({\n  name: "x",,\n  plan: (_r, c) => [...c],\n});\n`);
    expect(await pluginRefusal(loadStrategyPlugin("syntax.ts", dir))).toBe(`plugin syntax.ts: syntax error at ${file}:3:13: Expected identifier but found ","`);
  });

  test("a module whose top-level await never settles is refused after the timeout, naming the file", async () => {
    plugin("hang.ts", `await new Promise(() => {});\nexport default { name: "never", plan: (_r: unknown, c: unknown[]) => c };\n`);
    const started = Date.now();
    expect(await pluginRefusal(loadStrategyPlugin("hang.ts", dir, { timeoutMs: 300 }))).toBe(
      "plugin hang.ts: did not finish loading within 0.3 s (a top-level await that never settles?)",
    );
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  test("keyway serve and keyway check stop with exit 1 on a plugin that never finishes loading", () => {
    plugin("hang-cli.ts", `await new Promise(() => {});\nexport default {};\n`);
    const config = join(dir, "keyway.yaml");
    writeFileSync(
      config,
      [
        "server: { host: 127.0.0.1, port: 0 }",
        `storage: { path: ${join(dir, "keyway.db")} }`,
        `security: { admin_key: kw_plugin_test_admin_key_0000000000002, master_key_file: ${join(dir, "master.key")} }`,
        "providers: { openai: { adapter: openai } }",
        "routing: { strategies: { hangs: ./hang-cli.ts } }",
      ].join("\n"),
    );
    for (const command of ["serve", "check"]) {
      const run = Bun.spawnSync([process.execPath, join(ROOT, "src/main.ts"), command, "--config", config], {
        stdout: "pipe",
        stderr: "pipe",
        env: { ...process.env, KEYWAY_CONFIG: "", KEYWAY_PLUGIN_LOAD_TIMEOUT_MS: "300" },
        timeout: 20_000,
      });
      expect(run.exitCode).toBe(1);
      expect(run.stderr.toString()).toContain(`keyway ${command}: plugin ./hang-cli.ts: did not finish loading within 0.3 s (a top-level await that never settles?)`);
    }
  }, 30_000);
});

describe("a strategy's answer is checked", () => {
  let alpha: MockOpenAI;
  let beta: MockOpenAI;
  let gw: TestGateway;
  let rewriting: string;

  beforeAll(async () => {
    alpha = new MockOpenAI({ keys: [KEY] }).start();
    beta = new MockOpenAI({ keys: [KEY] }).start();
    rewriting = plugin(
      "rewrite-provider.ts",
      `import { defineStrategy } from "keyway/plugin";\nexport default defineStrategy({ name: "rewrite", plan: (_r, candidates) => candidates.map((c) => ({ ...c, provider: "beta" })) });\n`,
    );
    const seeing = plugin(
      "async-seeing.ts",
      [
        `import { defineStrategy } from "keyway/plugin";`,
        `export default defineStrategy({ name: "seeing", async plan(_r, candidates) {`,
        `  await new Promise((resolve) => setTimeout(resolve, 5));`,
        `  (globalThis as Record<string, unknown>).seenCandidates = candidates;`,
        `  return [...candidates].reverse();`,
        `} });`,
      ].join("\n"),
    );
    gw = await startGateway({
      providers: {
        alpha: { adapter: "openai", base_url: alpha.url, timeout_ms: 2000 },
        beta: { adapter: "openai", base_url: beta.url, timeout_ms: 2000 },
      },
      model_groups: { duo: { alpha: "gpt-4o", beta: "gpt-4o" } },
      routing: { strategies: { rewrite: rewriting, seeing } },
    });
    const stored = await gw.post("/v1/providers/keys", { providers: [{ name: "alpha", api_key: KEY }] });
    expect(stored.status).toBe(201);
  });
  afterAll(async () => {
    await gw.stop();
    await alpha.stop();
    await beta.stop();
  });

  test("a plan that rewrites a candidate's provider is refused and logged; the default strategy plans; the key never reaches the other provider", async () => {
    const betaCalls = beta.calls.length;
    const res = await gw.post("/v1/chat/completions", chat("alpha/gpt-4o", { routing: { strategy: "rewrite" } }));
    expect(res.status).toBe(200);
    expect(res.headers.get("x-provider-used")).toBe("alpha");
    expect(beta.calls.length).toBe(betaCalls);
    expect(alpha.last().headers.authorization).toBe(`Bearer ${KEY}`);
    const refused = logLines(gw).find((line) => line.level === "error" && line.plugin === `strategy plugin 'rewrite' (${rewriting})`);
    expect(refused?.msg).toBe(
      `strategy plugin 'rewrite' (${rewriting}) was refused: plan() answered a candidate it was not given at [0]: { provider: "beta", model: "gpt-4o", keySource: "stored" }; the default strategy 'byok_preferred' planned the request`,
    );
  });

  test("an async plan routes in its own order, seeing the health view on each candidate", async () => {
    await gw.post("/v1/providers/keys", { providers: [{ name: "beta", api_key: KEY }] });
    const first = await gw.post("/v1/chat/completions", chat("duo", { routing: { strategy: "seeing" } }));
    expect(first.status).toBe(200);
    expect(first.headers.get("x-provider-used")).toBe("beta");
    await Bun.sleep(1_100); // strategies see health recomputed at most once a second
    const second = await gw.post("/v1/chat/completions", chat("duo", { routing: { strategy: "seeing" } }));
    expect(second.status).toBe(200);
    const seen = (globalThis as Record<string, unknown>).seenCandidates as { provider: string; health: Record<string, unknown> }[];
    const betaHealth = seen.find((c) => c.provider === "beta")?.health;
    expect(betaHealth).toMatchObject({ healthy: true, status: "healthy", key: { coolingDown: false } });
    expect(typeof betaHealth?.latencyMs).toBe("number");
    expect(typeof betaHealth?.latencyP95Ms).toBe("number");
    expect(Object.isFrozen(seen[0])).toBe(true);
  });
});

describe("provider plugin faults are the plugin's, not the client's", () => {
  let upstream: MockOpenAI;
  let gw: TestGateway;
  const files: Record<string, string> = {};
  const provider = (name: string, toUpstream: string) =>
    plugin(
      `${name}.ts`,
      [
        `import { defineProvider, openAICompatibleProvider } from "keyway/plugin";`,
        `const base = openAICompatibleProvider({ name: "${name}", otelName: "${name}" });`,
        `export default defineProvider({ ...base, endpoints: { ...base.endpoints, chat: { ...base.endpoints.chat!, toUpstream: ${toUpstream} } } });`,
      ].join("\n"),
    );

  beforeAll(async () => {
    upstream = new MockOpenAI({ keys: [KEY] }).start();
    files.throws = provider("throws", `() => { throw new Error("boom in the plugin"); }`);
    files.promises = provider("promises", `async (body, ctx) => base.endpoints.chat!.toUpstream(body, ctx)`);
    files.blocks = provider("blocks", `(body, ctx) => { const until = performance.now() + 150; while (performance.now() < until) {} return base.endpoints.chat!.toUpstream(body, ctx); }`);
    gw = await startGateway({
      providers: Object.fromEntries(Object.entries(files).map(([name, file]) => [name, { adapter: file, base_url: upstream.url, timeout_ms: 2000 }])),
    });
  });
  afterAll(async () => {
    await gw.stop();
    await upstream.stop();
  });

  test("toUpstream throwing is a 502 naming the plugin, not a 400", async () => {
    const res = await gw.post("/v1/chat/completions", chat("throws/gpt-4o", { byok_api_key: KEY }));
    expect(res.status).toBe(502);
    const body = await res.json();
    expect(body.error.code).toBe("upstream_error");
    expect(body.error.message).toBe(
      `provider plugin 'throws' (${files.throws}) failed in endpoints.chat.toUpstream: it threw: boom in the plugin. This is a fault of the plugin, not of the request.`,
    );
  });

  test("toUpstream returning a Promise is a 502 naming the plugin; nothing is sent", async () => {
    const before = upstream.calls.length;
    const res = await gw.post("/v1/chat/completions", chat("promises/gpt-4o", { byok_api_key: KEY }));
    expect(res.status).toBe(502);
    expect((await res.json()).error.message).toBe(
      `provider plugin 'promises' (${files.promises}) failed in endpoints.chat.toUpstream: it returned a Promise; toUpstream must return the request itself (it cannot be async). This is a fault of the plugin, not of the request.`,
    );
    expect(upstream.calls.length).toBe(before);
  });

  test("a plugin that blocks the event loop past the threshold is logged with its name; the request still answers", async () => {
    const res = await gw.post("/v1/chat/completions", chat("blocks/gpt-4o", { byok_api_key: KEY }));
    expect(res.status).toBe(200);
    const warning = logLines(gw).find((line) => line.level === "warn" && line.method === "endpoints.chat.toUpstream");
    expect(warning?.plugin).toBe(`provider plugin 'blocks' (${files.blocks})`);
    expect(warning?.msg).toMatch(new RegExp(`^provider plugin 'blocks' \\(.*blocks\\.ts\\) blocked the event loop for \\d+ ms in endpoints\\.chat\\.toUpstream$`));
    expect(warning?.blocked_ms as number).toBeGreaterThanOrEqual(150);
  });
});
