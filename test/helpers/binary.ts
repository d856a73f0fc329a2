// Builds dist/keyway with `npm run build` and starts it, resolving once it logs the URL it listens on.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(import.meta.dir, "../..");
export const BINARY = join(ROOT, "dist/keyway");

/** `npm run build` on a busy machine takes tens of seconds: the hooks that build say so, whatever the default. */
export const BUILD_TIMEOUT_MS = 240_000;

/** Runs `npm run build`; returns what it printed. */
export function buildBinary(): string {
  const build = Bun.spawnSync(["npm", "run", "build"], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  if (build.exitCode !== 0) throw new Error(`npm run build failed: ${build.stderr.toString()}`);
  return build.stdout.toString();
}

export function startBinary(configPath: string, cwd?: string): Promise<{ proc: ReturnType<typeof Bun.spawn>; url: string }> {
  return startServing([BINARY], configPath, cwd);
}

/** `keyway serve` from the sources, in a process of its own (for tests that kill it), with `env` added to this process's. */
export function startSourceServer(configPath: string, cwd?: string, env: Record<string, string> = {}): Promise<{ proc: ReturnType<typeof Bun.spawn>; url: string }> {
  return startServing([process.execPath, join(ROOT, "src/main.ts")], configPath, cwd, env);
}

async function startServing(command: string[], configPath: string, cwd?: string, env: Record<string, string> = {}): Promise<{ proc: ReturnType<typeof Bun.spawn>; url: string }> {
  const proc = Bun.spawn([...command, "serve", "--config", configPath], { cwd, stdout: "pipe", stderr: "pipe", env: { ...process.env, KEYWAY_CONFIG: "", ...env } });
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  let seen = "";
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += new TextDecoder().decode(value);
    const url = /"url":"(http:\/\/[^"]+)"/.exec(seen)?.[1];
    if (url) return { proc, url };
  }
  proc.kill();
  throw new Error(`${command.join(" ")} did not start: ${seen} ${await new Response(proc.stderr as ReadableStream).text()}`);
}

/** Writes a config for the binary in `dir` (its own database and master key), with the given further YAML lines. */
export function writeBinaryConfig(dir: string, adminKey: string, lines: string[]): string {
  const config = join(dir, "keyway.yaml");
  writeFileSync(
    config,
    [
      "server: { host: 127.0.0.1, port: 0 }",
      `storage: { path: ${join(dir, "keyway.db")} }`,
      `security: { admin_key: ${adminKey}, master_key_file: ${join(dir, "master.key")} }`,
      ...lines,
    ].join("\n"),
  );
  return config;
}
