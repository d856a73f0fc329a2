import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadProviderPlugin, loadStrategyPlugin } from "../../src/plugin-host/loader.ts";
import { pluginRefusal } from "../helpers/plugin-refusal.ts";

const ROOT = join(import.meta.dir, "../..");
let dir: string;

/** Writes a plugin file into the scratch folder and returns its name. */
function plugin(name: string, source: string): string {
  writeFileSync(join(dir, name), source);
  return name;
}


beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "keyway-plugins-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("loading plugins", () => {
  test("the example provider and strategy load from their paths, relative to the config's folder", async () => {
    const provider = await loadProviderPlugin("./plugins/tinyllm-provider.ts", ROOT);
    expect(provider.name).toBe("tinyllm");
    expect(typeof provider.endpoints.chat?.toUpstream).toBe("function");
    const strategy = await loadStrategyPlugin(join(ROOT, "plugins/cheapest-healthy-strategy.ts"), "/nowhere");
    expect(strategy.name).toBe("cheapest_healthy");
  });

  test("a plain object default export is accepted when its shape is right", async () => {
    const file = plugin("plain-strategy.ts", "export default { name: 'plain', plan: (_request, candidates) => [...candidates] };\n");
    expect((await loadStrategyPlugin(file, dir)).name).toBe("plain");
  });

  test("a provider without a name is refused, naming the file and the field", async () => {
    const file = plugin("nameless.ts", `import { defineProvider } from "keyway/plugin";\nexport default defineProvider({ otelName: "x", endpoints: {} } as never);\n`);
    const message = await pluginRefusal(loadProviderPlugin(file, dir));
    expect(message).toContain("plugin nameless.ts");
    expect(message).toContain("'name' must be a non-empty string");
  });

  test("a provider of the wrong shape is refused with every problem found", async () => {
    const file = plugin(
      "misshapen.ts",
      [
        `import { defineProvider } from "keyway/plugin";`,
        `export default defineProvider({ name: "bad", otelName: "bad", keyPattern: "sk-", endpoints: {`,
        `  chat: { toUpstream: () => ({}), stream: "sse" },`,
        `  chats: {},`,
        `} } as never);`,
      ].join("\n"),
    );
    const message = await pluginRefusal(loadProviderPlugin(file, dir));
    expect(message).toContain("plugin misshapen.ts");
    expect(message).toContain("provider adapter 'bad' is malformed");
    expect(message).toContain("'endpoints.chat.fromUpstream' must be a function");
    expect(message).toContain(`'endpoints.chat.stream' must be "openai-sse" or a stream translator`);
    expect(message).toContain("'endpoints.chats' is not an endpoint keyway knows");
    expect(message).toContain("'keyPattern' must be a RegExp");
  });

  test("a plain default export is checked the same way", async () => {
    const file = plugin("plain-provider.ts", "export default { name: 'p', endpoints: { chat: {} } };\n");
    const message = await pluginRefusal(loadProviderPlugin(file, dir));
    expect(message).toContain("'otelName' must be a string");
    expect(message).toContain("'endpoints.chat.toUpstream' must be a function");
  });

  test("a strategy without plan, a file that throws, one with no default export, one that is missing", async () => {
    const planless = plugin("planless.ts", "export default { name: 'lazy' };\n");
    expect(await pluginRefusal(loadStrategyPlugin(planless, dir))).toContain("'plan' must be a function");
    const throws = plugin("throws.ts", "throw new Error('the plugin exploded');\nexport default {};\n");
    const thrown = await pluginRefusal(loadStrategyPlugin(throws, dir));
    expect(thrown).toContain("plugin throws.ts: failed to load");
    expect(thrown).toContain("the plugin exploded");
    const named = plugin("named-only.ts", "export const strategy = { name: 'x', plan: () => [] };\n");
    expect(await pluginRefusal(loadStrategyPlugin(named, dir))).toContain("has no default export");
    expect(await pluginRefusal(loadProviderPlugin("./not-there.ts", dir))).toContain("plugin ./not-there.ts: failed to load");
  });
});

describe("keyway serve with a malformed plugin", () => {
  test("stops start-up with exit code 1, the plugin's file name and what is wrong", () => {
    const file = plugin("serve-broken.ts", `import { defineStrategy } from "keyway/plugin";\nexport default defineStrategy({ name: "" } as never);\n`);
    const config = join(dir, "keyway.yaml");
    writeFileSync(
      config,
      [
        "server: { host: 127.0.0.1, port: 0 }",
        `storage: { path: ${join(dir, "keyway.db")} }`,
        `security: { admin_key: kw_plugin_test_admin_key_0000000000001, master_key_file: ${join(dir, "master.key")} }`,
        "providers: { openai: { adapter: openai } }",
        `routing: { strategies: { broken: ./${file} } }`,
      ].join("\n"),
    );
    const run = Bun.spawnSync([process.execPath, join(ROOT, "src/main.ts"), "serve", "--config", config], { stdout: "pipe", stderr: "pipe", env: { ...process.env, KEYWAY_CONFIG: "" } });
    expect(run.exitCode).toBe(1);
    const stderr = run.stderr.toString();
    expect(stderr).toContain("plugin ./serve-broken.ts");
    expect(stderr).toContain("routing strategy is malformed: 'name' must be a non-empty string; 'plan' must be a function");
    const check = Bun.spawnSync([process.execPath, join(ROOT, "src/main.ts"), "check", "--config", config], { stdout: "pipe", stderr: "pipe", env: { ...process.env, KEYWAY_CONFIG: "" } });
    expect(check.exitCode).toBe(1);
    expect(check.stderr.toString()).toContain("plugin ./serve-broken.ts");
  });
});
