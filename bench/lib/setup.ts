// What the bench needs before it starts: wrk (apt), the peer (npm, into bench/.peers) and a keyway binary.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BENCH_DIR, BUN, WORK_DIR } from "./processes.ts";

export const REPO_DIR = join(BENCH_DIR, "..");
export const PEERS_DIR = join(BENCH_DIR, ".peers");
export const PEER_VERSION = "1.15.2";
/** Portkey issue #1389: with @hono/node-server newer than 1.13 every streamed answer fails on Node ("TypeError: immutable"). */
export const PEER_HONO_NODE_SERVER = "1.13.8";
export const PEER_ENTRY = join(PEERS_DIR, "node_modules/@portkey-ai/gateway/build/start-server.js");

function run(cmd: string[], timeoutMs: number, cwd?: string): { ok: boolean; output: string } {
  const result = Bun.spawnSync(cmd, { cwd, stdout: "pipe", stderr: "pipe", timeout: timeoutMs, env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  const output = `${result.stdout.toString()}${result.stderr.toString()}`.trim();
  return { ok: result.exitCode === 0, output };
}

const lastLines = (text: string, n = 3) => text.split("\n").slice(-n).join(" | ");

/** The lines of npm's output that say what went wrong (its code and the failed request), not its advice. */
function npmProblem(output: string): string {
  const telling = output.split("\n").filter((line) => /\b(code|errno|request to|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|E404|EACCES)\b/.test(line));
  return (telling.length > 0 ? telling.slice(0, 3).join(" | ") : lastLines(output)).replace(/\s+/g, " ");
}

/** wrk on PATH, installed from Debian's packages when missing. Returns its version line, or throws why not. */
export function ensureWrk(): string {
  if (!Bun.which("wrk")) {
    let install = run(["apt-get", "install", "-y", "wrk"], 180_000);
    if (!install.ok) {
      run(["apt-get", "update"], 180_000);
      install = run(["apt-get", "install", "-y", "wrk"], 180_000);
    }
    if (!install.ok || !Bun.which("wrk")) throw new Error(`wrk is missing and 'apt-get install -y wrk' failed: ${lastLines(install.output)}`);
  }
  return run(["wrk", "--version"], 5000).output.split("\n")[0] ?? "wrk";
}

/** Installs Portkey's gateway into bench/.peers (once). Returns undefined when ready, or the reason it is not. */
function installedVersion(pkg: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(PEERS_DIR, "node_modules", pkg, "package.json"), "utf8")) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

export function ensurePeer(): string | undefined {
  const current = installedVersion("@portkey-ai/gateway") === PEER_VERSION && installedVersion("@hono/node-server") === PEER_HONO_NODE_SERVER;
  if (current && existsSync(PEER_ENTRY)) return undefined;
  if (!Bun.which("npm") || !Bun.which("node")) return "npm or node is not on PATH, so the peer (@portkey-ai/gateway) could not be installed";
  mkdirSync(PEERS_DIR, { recursive: true });
  const manifest = {
    private: true,
    dependencies: { "@portkey-ai/gateway": PEER_VERSION },
    overrides: { "@hono/node-server": PEER_HONO_NODE_SERVER },
  };
  writeFileSync(join(PEERS_DIR, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const install = run(["npm", "install", "--prefix", PEERS_DIR, "--no-audit", "--no-fund", "--ignore-scripts"], 240_000);
  if (!install.ok || !existsSync(PEER_ENTRY)) return `npm install of @portkey-ai/gateway@${PEER_VERSION} failed: ${npmProblem(install.output)}`;
  return undefined;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export interface KeywayBinary {
  path: string;
  /** How it came to be: the project's build, or built here because that one was missing or older than src/. */
  origin: string;
}

/** dist/keyway when it is newer than every file in src/; otherwise rebuilt first with the project's own build. */
export function ensureKeywayBinary(): KeywayBinary {
  const dist = join(REPO_DIR, "dist/keyway");
  const srcNewest = newestMtime(join(REPO_DIR, "src"));
  if (existsSync(dist) && statSync(dist).mtimeMs >= srcNewest) return { path: dist, origin: "dist/keyway (npm run build)" };
  const why = existsSync(dist) ? "dist/keyway was older than src/" : "dist/keyway did not exist";
  const build = run([BUN, join(REPO_DIR, "scripts/build.ts")], 180_000, REPO_DIR);
  if (!build.ok) throw new Error(`could not build keyway (${why}): ${lastLines(build.output, 8)}`);
  return { path: dist, origin: `dist/keyway, rebuilt by the bench with scripts/build.ts because ${why}` };
}

/** The bare proxy compiled the same way as keyway, for a like-for-like cold start and size. */
export function compileBareProxy(): string | undefined {
  const out = join(WORK_DIR, "bare-proxy");
  mkdirSync(WORK_DIR, { recursive: true });
  const flags = ["--compile", "--bytecode", "--format=esm", "--minify-whitespace", "--minify-syntax"];
  const build = run([BUN, "build", ...flags, join(BENCH_DIR, "bare-proxy.ts"), "--outfile", out], 120_000, REPO_DIR);
  return build.ok ? out : undefined;
}

export function directorySizeBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += directorySizeBytes(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}
