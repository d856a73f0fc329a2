// The @keyway/client package as published: built by the project's build (JS bundle and .d.ts files), standalone
// (no runtime dependency, no import outside its own folder), the root package's version, and working under Node.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildClient } from "../../scripts/build-client.ts";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { openaiAt, startGateway, type TestGateway } from "../helpers/gateway.ts";

const ROOT = join(import.meta.dir, "..", "..");
const PACKAGE = join(ROOT, "packages", "client");
const KEY = "sk-proj-clientpackage0000000000000001";
let mock: MockOpenAI;
let gw: TestGateway;

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [KEY] }).start();
  gw = await startGateway(openaiAt(mock.url));
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

describe("the client package", () => {
  test("standalone: no dependencies, only imports of its own files, the root package's version", () => {
    const pkg = JSON.parse(readFileSync(join(PACKAGE, "package.json"), "utf8"));
    const root = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(pkg.name).toBe("@keyway/client");
    expect(pkg.version).toBe(root.version);
    expect(pkg.type).toBe("module");
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(root.exports["./client"]).toBe("./packages/client/src/index.ts");
    for (const file of readdirSync(join(PACKAGE, "src"))) {
      const source = readFileSync(join(PACKAGE, "src", file), "utf8");
      const specifiers = [...source.matchAll(/^(?:import|export)\b[^;]*?from\s+"([^"]+)"/gm)].map((m) => m[1]);
      for (const specifier of specifiers) expect(`${file}: ${specifier}`).toMatch(/: \.\/[\w-]+\.ts$/);
    }
  });

  test("the build writes dist/index.js and typings; under Node the built module talks to keyway", async () => {
    expect(await buildClient()).toBe(0);
    expect(existsSync(join(PACKAGE, "dist", "index.js"))).toBe(true);
    const typings = readFileSync(join(PACKAGE, "dist", "index.d.ts"), "utf8");
    expect(typings).toContain('from "./client.js"');
    expect(typings).not.toContain('.ts"');

    const script = `
      import { Keyway, NotFoundError } from ${JSON.stringify(join(PACKAGE, "dist", "index.js"))};
      const client = new Keyway({ apiKey: process.env.KW_KEY, baseURL: process.env.KW_URL });
      const chat = await client.chat("from node", "openai/gpt-4o-mini", { byokApiKey: process.env.BYOK });
      const stream = await client.chatStream("streamed node", "openai/gpt-4o-mini", { byokApiKey: process.env.BYOK });
      const streamed = await stream.text();
      const missing = await client.model("openai/nope").catch((e) => e);
      console.log(JSON.stringify({ text: chat.text, provider: chat.providerUsed, streamed, notFound: missing instanceof NotFoundError }));
    `;
    // Spawned without blocking: the gateway answering it runs in this process.
    const node = Bun.spawn(["node", "--input-type=module", "-e", script], {
      env: { ...process.env, KW_KEY: gw.adminKey, KW_URL: gw.url, BYOK: KEY },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stdout, stderr] = await Promise.all([new Response(node.stdout).text(), new Response(node.stderr).text(), node.exited]);
    expect(stderr).toBe("");
    expect(JSON.parse(stdout)).toEqual({ text: "echo: from node", provider: "openai", streamed: "echo: streamed node", notFound: true });
  }, 60_000);
});
