// The run `npm run build` lays the executable's bytecode out by (Bun's `--bytecode-order`): the binary just built
// serves, under BUN_BYTECODE_ORDER_OUT, what a start of `keyway serve` does and its first calls (chat completions
// plain and streamed, health, models) against the bench's mock upstream, then stops. Bun records the functions the
// run used, and the second compile puts their bytecode together at the front of the executable, so a serving
// gateway touches fewer of its pages (about 3 MB less resident memory at idle).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startMockUpstream } from "../bench/mock-upstream.ts";

const ADMIN_KEY = "kw_profile_admin_0123456789abcdef0123456789";
const CALLS = 20;

/** Reads the process's stdout until it logs the URL it listens on, then reads on (its access log) so a full pipe never holds it up. */
async function listeningUrl(proc: ReturnType<typeof Bun.spawn>): Promise<string> {
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let seen = "";
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += decoder.decode(value, { stream: true });
    const url = /"url":"(http:\/\/[^"]+)"/.exec(seen)?.[1];
    if (url) {
      void (async () => {
        while (!(await reader.read()).done);
      })();
      return url;
    }
  }
  throw new Error(`it did not start: ${seen.slice(0, 500)}`);
}

async function call(url: string, path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${text.slice(0, 300)}`);
}

/**
 * Runs `binary serve` once under BUN_BYTECODE_ORDER_OUT and returns how many functions the profile at `out` names;
 * throws when the run fails.
 */
export async function recordBytecodeProfile(binary: string, out: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "keyway-bytecode-profile-"));
  const upstream = startMockUpstream();
  let proc: ReturnType<typeof Bun.spawn> | undefined;
  try {
    const config = join(dir, "keyway.yaml");
    writeFileSync(
      config,
      [
        "server: { host: 127.0.0.1, port: 0 }",
        `storage: { driver: sqlite, path: "${join(dir, "keyway.db")}" }`,
        `security: { admin_key: "${ADMIN_KEY}", master_key_file: "${join(dir, "master.key")}" }`,
        `providers: { openai: { adapter: openai, base_url: "http://127.0.0.1:${upstream.port}/v1" } }`,
      ].join("\n"),
    );
    // The variable set: serve runs in this process, without starting itself again to set it.
    const env = { ...process.env, KEYWAY_CONFIG: "", BUN_BYTECODE_ORDER_OUT: out, BUN_CONFIG_MAX_HTTP_REQUESTS: "65535" };
    proc = Bun.spawn([resolve(binary), "serve", "--config", config], { cwd: dir, env, stdout: "pipe", stderr: "pipe" });
    const url = await listeningUrl(proc);
    const chat = { model: "openai/gpt-mock", messages: [{ role: "user", content: "Say hello." }], byok_api_key: "sk-profile-0123456789abcdef" };
    for (let i = 0; i < CALLS; i++) {
      await call(url, "/v1/chat/completions", chat);
      await call(url, "/v1/chat/completions", { ...chat, model: "openai/gpt-mock-c8-i0", stream: true });
    }
    await call(url, "/health");
    await call(url, "/v1/models");
    proc.kill("SIGTERM");
    const code = await proc.exited;
    if (code !== 0) throw new Error(`it exited with ${code}: ${await new Response(proc.stderr as ReadableStream).text()}`);
    return readFileSync(out, "utf8").split("\n").filter((line) => line.startsWith("F ")).length;
  } finally {
    if (proc && proc.exitCode === null) proc.kill("SIGKILL");
    upstream.stop(true);
    rmSync(dir, { recursive: true, force: true });
  }
}
