// Starts the processes under test: the mock upstream, the bare proxy, keyway (the binary) and the peer.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BENCH_DIR, BUN, freePort, logTail, readPort, type Started, spawnTracked, waitForHttp, WORK_DIR } from "./processes.ts";
import { PEER_ENTRY, REPO_DIR } from "./setup.ts";
import { ADMIN_KEY, OPENAI_KEY } from "./targets.ts";

export interface Server {
  started: Started;
  url: string;
}

/**
 * Bun's fetch sends at most 256 requests at once unless this is in the process's environment when it starts
 * (set later, from inside, it has no effect; 65535 is the highest value Bun accepts, 65536 is ignored).
 * The bench's own processes get it; keyway is left to do what it does by itself.
 */
export const FETCH_ENV = { BUN_CONFIG_MAX_HTTP_REQUESTS: "65535" };

export async function startMock(name: string): Promise<Server> {
  const started = spawnTracked(name, [BUN, join(BENCH_DIR, "mock-upstream.ts")], { pipeStdout: true });
  const port = await readPort(started);
  return { started, url: `http://127.0.0.1:${port}` };
}

export async function startBare(name: string, mockUrl: string): Promise<Server> {
  const started = spawnTracked(name, [BUN, join(BENCH_DIR, "bare-proxy.ts")], { pipeStdout: true, env: { UPSTREAM: mockUrl, ...FETCH_ENV } });
  const port = await readPort(started);
  return { started, url: `http://127.0.0.1:${port}` };
}

/** bench/.work/instances/`name`, emptied: where one server keeps its database and config. */
function freshInstanceDir(name: string): string {
  const dir = join(WORK_DIR, "instances", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A bench server script (bench/`script`) on a fresh SQLite file, forwarding to the mock; it prints its port. `bunArgs` go to Bun (`--cpu-prof`). */
async function startFloorScript(name: string, script: string, mockUrl: string, args: readonly string[], env: Record<string, string> = {}, bunArgs: readonly string[] = []): Promise<Server> {
  const dir = freshInstanceDir(name);
  const started = spawnTracked(name, [BUN, ...bunArgs, join(BENCH_DIR, script), "--db", join(dir, "usage.db"), ...args], { pipeStdout: true, env: { UPSTREAM: mockUrl, ...env, ...FETCH_ENV } });
  const port = await readPort(started);
  return { started, url: `http://127.0.0.1:${port}` };
}

/**
 * The metering floor (metering-proxy.ts): the bare proxy plus reading usage and writing keyway's usage row, its SQLite
 * file fresh; `args` are passed on (`--no-row`).
 */
export function startMeteringFloor(name: string, mockUrl: string, args: readonly string[] = []): Promise<Server> {
  return startFloorScript(name, "metering-proxy.ts", mockUrl, args);
}

/** keyway's contract floor (contract-floor.ts), checking the bench's admin key as keyway does; `bunArgs` go to Bun. */
export function startContractFloor(name: string, mockUrl: string, bunArgs: readonly string[] = []): Promise<Server> {
  return startFloorScript(name, "contract-floor.ts", mockUrl, [], { ADMIN_KEY }, bunArgs);
}

/** keyway's log level in a config written by writeKeywayConfig (warn); `info` turns its access log on, as a default install has it. */
export function setKeywayLogLevel(setup: KeywaySetup, level: string): void {
  writeFileSync(setup.configPath, readFileSync(setup.configPath, "utf8").replace("log_level: warn", `log_level: ${level}`));
}

export interface KeywaySetup {
  dir: string;
  configPath: string;
  port: number;
}

/** Where a keyway keeps its state and counters, as YAML flow mappings (default: an SQLite file in its folder, memory counters). */
export interface KeywayBackends {
  storage: string;
  counters?: string;
}

/** A fresh folder with a config for one keyway: the mock as `openai` (and as `anthropic` when asked). */
export function writeKeywayConfig(name: string, mockUrl: string, anthropic: boolean, port = freePort(), backends?: KeywayBackends): KeywaySetup {
  const dir = freshInstanceDir(name);
  const providers = [`  openai: { adapter: openai, base_url: "${mockUrl}/v1" }`];
  if (anthropic) providers.push(`  anthropic: { adapter: anthropic, base_url: "${mockUrl}" }`);
  const config = [
    `server: { host: 127.0.0.1, port: ${port} }`,
    `storage: ${backends?.storage ?? `{ driver: sqlite, path: "${join(dir, "keyway.db")}" }`}`,
    ...(backends?.counters ? [`counters: ${backends.counters}`] : []),
    `security: { admin_key: "${ADMIN_KEY}", master_key_file: "${join(dir, "keyway.master.key")}" }`,
    "telemetry: { log_level: warn }",
    "providers:",
    ...providers,
    "",
  ].join("\n");
  const configPath = join(dir, "keyway.yaml");
  writeFileSync(configPath, config);
  return { dir, configPath, port };
}

/** Whether this keyway accepts an `anthropic` adapter: true, or what `keyway check` said. */
export function anthropicSupport(binary: string, mockUrl: string): true | string {
  const setup = writeKeywayConfig("keyway-check", mockUrl, true);
  const result = Bun.spawnSync([binary, "check", "--config", setup.configPath], { stdout: "pipe", stderr: "pipe", timeout: 20_000 });
  if (result.exitCode === 0) return true;
  const said = `${result.stdout.toString()} ${result.stderr.toString()}`.replace(/\s+/g, " ").trim();
  return `keyway has no 'anthropic' adapter yet (keyway check: ${said.slice(0, 160)})`;
}

/** keyway from a source tree's src/ (this repository's by default) run by Bun, `bunArgs` given to Bun (`--cpu-prof`). */
export function fromSource(tree = REPO_DIR, bunArgs: readonly string[] = []): string[] {
  return [BUN, ...bunArgs, join(tree, "src/main.ts")];
}

/**
 * keyway serving `setup`'s config, once it answers /health: `command` is an executable (dist/keyway) or what runs one
 * (`fromSource`); `env` is added to its environment.
 */
export async function startKeyway(name: string, command: string | readonly string[], setup: KeywaySetup, env: Record<string, string> = {}): Promise<Server> {
  // Started as the README tells operators to start it: with Bun's fetch limit raised in its environment.
  const started = spawnTracked(name, [...(typeof command === "string" ? [command] : command), "serve", "--config", setup.configPath], { cwd: setup.dir, env: { ...FETCH_ENV, ...env } });
  const url = `http://127.0.0.1:${setup.port}`;
  await waitForHttp(started, `${url}/health`);
  return { started, url };
}

export async function startPeer(name: string): Promise<Server> {
  const port = freePort();
  const started = spawnTracked(name, ["node", PEER_ENTRY, `--port=${port}`, "--headless"], { env: { NODE_ENV: "production" } });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(started, `${url}/`);
  return { started, url };
}

export interface Governance {
  key?: { key: string; id: string };
  /** true when keyway now holds a stored OpenAI key for the account, or why not. */
  stored: true | string;
}

async function postJson(url: string, bearer: string, body: unknown): Promise<{ status: number; json: unknown; text: string }> {
  const response = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

/** Scenario e's setup: a developer key of the default account, and that account's OpenAI key stored by the admin. */
export async function setUpGovernance(keywayUrl: string): Promise<Governance> {
  const created = await postJson(`${keywayUrl}/v1/api-keys`, ADMIN_KEY, { name: "bench-governed", role: "developer" });
  const record = created.json as { id?: unknown; key?: unknown } | undefined;
  if (created.status >= 300 || typeof record?.key !== "string" || typeof record.id !== "string") {
    return { stored: `no account key: POST /v1/api-keys answered ${created.status} ${created.text.slice(0, 120)}` };
  }
  const key = { key: record.key, id: record.id };
  const stored = await postJson(`${keywayUrl}/v1/providers/keys`, ADMIN_KEY, { providers: [{ name: "openai", api_key: OPENAI_KEY, label: "bench" }] });
  if (stored.status >= 300) {
    const said = stored.text.replace(/\s+/g, " ").slice(0, 120);
    return { key, stored: `stored provider keys are not available yet (POST /v1/providers/keys answered ${stored.status}: ${said}); the account key sends byok_api_key instead` };
  }
  return { key, stored: true };
}

export function describeFailure(server: Started): string {
  return logTail(server.name, 300);
}
