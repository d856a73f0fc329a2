import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { BINARY, BUILD_TIMEOUT_MS, buildBinary, writeBinaryConfig, startBinary } from "../helpers/binary.ts";
import { accepts, alive, canInspectProcesses, descendants, environmentOf, waitFor } from "../helpers/processes.ts";

const KEY = "sk-proj-binary00000000000000000000001";
const ADMIN = "kw_binary_test_admin_key_000000000001";

/** Starts the binary and resolves with its URL once it logs that it listens. */

describe("the compiled binary", () => {
  let mock: MockOpenAI;
  let dir: string;
  let buildOutput = "";

  beforeAll(() => {
    buildOutput = buildBinary();
    mock = new MockOpenAI({ keys: [KEY] }).start();
    dir = mkdtempSync(join(tmpdir(), "keyway-binary-"));
  }, BUILD_TIMEOUT_MS);
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

  test("npm run build lays the bytecode out by a run of serve (the calls of scripts/bytecode-profile.ts all answered)", () => {
    const used = /bytecode layout: a run of serve used (\d+) functions/.exec(buildOutput)?.[1];
    expect(used).toBeDefined();
    expect(Number(used)).toBeGreaterThan(500);
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

  test("dist/keyway serves the dashboard embedded in it (no sources beside it)", async () => {
    const config = writeBinaryConfig(dir, ADMIN, []);
    const { proc, url } = await startBinary(config, dir);
    try {
      const page = await fetch(`${url}/dashboard`);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
      const html = await page.text();
      for (const file of [/src="([^"]+\.js)"/.exec(html)?.[1], /href="([^"]+\.css)"/.exec(html)?.[1]]) {
        const asset = await fetch(`${url}${file}`);
        expect(asset.status).toBe(200);
        expect((await asset.text()).length).toBeGreaterThan(1000);
      }
    } finally {
      proc.kill("SIGTERM");
      await proc.exited;
    }
  });

  describe.skipIf(!canInspectProcesses)("BUN_CONFIG_MAX_HTTP_REQUESTS without anyone setting it", () => {
    const withoutVariable = () => {
      const env: Record<string, string | undefined> = { ...process.env, KEYWAY_CONFIG: "" };
      delete env.BUN_CONFIG_MAX_HTTP_REQUESTS;
      return env;
    };

    /** Starts `dist/keyway serve` with no BUN_CONFIG_MAX_HTTP_REQUESTS; resolves once it listens. */
    async function serveBare(config: string) {
      const proc = Bun.spawn([BINARY, "serve", "--config", config], { env: withoutVariable(), stdout: "pipe", stderr: "pipe" });
      const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
      let stdout = "";
      let url: string | undefined;
      while (!url) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`dist/keyway did not start: ${stdout} ${await new Response(proc.stderr as ReadableStream).text()}`);
        stdout += new TextDecoder().decode(value);
        url = /"url":"(http:\/\/[^"]+)"/.exec(stdout)?.[1];
      }
      const rest = (async () => {
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) stdout += new TextDecoder().decode(chunk.value);
        return stdout;
      })();
      return { proc, url, port: Number(new URL(url).port), output: async () => `${await rest}${await new Response(proc.stderr as ReadableStream).text()}` };
    }

    test("the binary sets it for the process that serves: no warning; SIGTERM stops it all with exit 0", async () => {
      const config = writeBinaryConfig(mkdtempSync(join(dir, "bare-")), ADMIN, [`providers: { openai: { adapter: openai, base_url: "${mock.url}" } }`]);
      const { proc, url, port, output } = await serveBare(config);
      const serving = descendants(proc.pid);
      try {
        expect((await (await fetch(`${url}/health`)).json()).status).toBe("ok");
        expect(serving).toHaveLength(1);
        expect(environmentOf(serving[0] as number).BUN_CONFIG_MAX_HTTP_REQUESTS).toBe("65535");
        proc.kill("SIGTERM");
        expect(await proc.exited).toBe(0);
        await waitFor(() => !serving.some(alive), 5000);
        expect(serving.filter(alive)).toEqual([]);
        expect(await accepts(port)).toBe(false);
        const printed = await output();
        expect(printed).toContain('"msg":"stopping"');
        expect(printed).not.toContain("BUN_CONFIG_MAX_HTTP_REQUESTS");
      } finally {
        proc.kill("SIGKILL");
        for (const pid of serving.filter(alive)) process.kill(pid, "SIGKILL");
      }
    }, 30_000);

    test("exit codes and signals pass through, and the server never outlives a killed parent", async () => {
      const bad = join(mkdtempSync(join(dir, "bad-")), "keyway.yaml");
      writeFileSync(bad, "server: { prot: 1 }\n");
      const refused = Bun.spawnSync([BINARY, "serve", "--config", bad], { env: withoutVariable() });
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr.toString()).toContain("server.prot: unknown key");

      const config = writeBinaryConfig(mkdtempSync(join(dir, "signals-")), ADMIN, []);
      const first = await serveBare(config);
      try {
        const [child] = descendants(first.proc.pid);
        expect(child).toBeNumber();
        process.kill(child as number, "SIGKILL");
        await first.proc.exited;
        expect(first.proc.signalCode).toBe("SIGKILL");
      } finally {
        first.proc.kill("SIGKILL");
      }

      const second = await serveBare(config);
      const serving = descendants(second.proc.pid);
      try {
        second.proc.kill("SIGKILL");
        await second.proc.exited;
        await waitFor(async () => !serving.some(alive) && !(await accepts(second.port)), 8000);
        expect(serving.filter(alive)).toEqual([]);
        expect(await accepts(second.port)).toBe(false);
      } finally {
        for (const pid of serving.filter(alive)) process.kill(pid, "SIGKILL");
      }
    }, 40_000);
  });
});
