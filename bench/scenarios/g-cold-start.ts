// Scenario g: cold start of the keyway binary to its first 200 on a chat completion, and the size of what ships.
import { statSync } from "node:fs";
import { type Context } from "../lib/measure.ts";
import { BUN, freePort, type Started, spawnTracked, stop } from "../lib/processes.ts";
import { type Cell, type Goal, isNumber, missing, type Section } from "../lib/report.ts";
import { compileBareProxy, directorySizeBytes, PEER_ENTRY, PEERS_DIR } from "../lib/setup.ts";
import { FETCH_ENV, type KeywaySetup, writeKeywayConfig } from "../lib/stack.ts";
import { median } from "../lib/stats.ts";
import { type HttpRequest, requestFor, type Stack, type TargetName } from "../lib/targets.ts";

const RUNS = 5;
export const COLD_START_LIMIT_MS = 200;

interface Launch {
  cmd: string[];
  env?: Record<string, string>;
  cwd?: string;
  request: (port: number) => HttpRequest | string;
}

/** Spawns, then sends the request every millisecond until one answers 200; returns the time from spawn to that 200. */
async function timeToFirst200(name: string, launch: Launch, port: number): Promise<number> {
  const request = launch.request(port);
  if (typeof request === "string") throw new Error(request);
  const startedAt = performance.now();
  const started: Started = spawnTracked(name, launch.cmd, { env: launch.env, cwd: launch.cwd });
  try {
    const deadline = startedAt + 15_000;
    while (performance.now() < deadline) {
      if (started.proc.exitCode !== null) throw new Error(`${name} exited with ${started.proc.exitCode}`);
      try {
        const response = await fetch(request.url, { method: "POST", headers: request.headers, body: request.body });
        await response.arrayBuffer();
        if (response.status === 200) return performance.now() - startedAt;
      } catch {
        // not listening yet
      }
      await Bun.sleep(1);
    }
    throw new Error(`${name} gave no 200 within 15 s`);
  } finally {
    await stop(started);
  }
}

async function measure(name: string, launchFor: (run: number, port: number) => Launch): Promise<{ first: number; median: number } | string> {
  const times: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const port = freePort();
      times.push(await timeToFirst200(`${name}-${run}`, launchFor(run, port), port));
    }
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return { first: times[0] as number, median: median(times.slice(1)) };
}

const mb = (bytes: number) => bytes / 1024 / 1024;
const nodeVersion = () => Bun.spawnSync(["node", "--version"]).stdout.toString().trim();

export async function scenarioG(ctx: Context, binary: string): Promise<{ section: Section; goals: Goal[] }> {
  const stack = ctx.stack;
  const at = (target: TargetName, port: number): HttpRequest | string => {
    const url = `http://127.0.0.1:${port}`;
    const local: Stack = { ...stack, bareUrl: url, keywayUrl: url, peerUrl: url };
    return requestFor(target, local, { api: "openai", model: "gpt-mock" });
  };
  const results: Partial<Record<TargetName, { first: number; median: number } | string>> = {};
  const sizes: Partial<Record<TargetName, Cell>> = { direct: missing("no gateway in the path") };

  let keywaySetup: KeywaySetup | undefined;
  results.keyway = await measure("g-keyway", (run, port) => {
    if (run === 0 || !keywaySetup) keywaySetup = writeKeywayConfig("g-keyway", stack.mockUrl, false, port);
    return { cmd: [binary, "serve", "--config", keywaySetup.configPath, "--port", String(port)], cwd: keywaySetup.dir, request: (p) => at("keyway", p) };
  });
  sizes.keyway = mb(statSync(binary).size);

  const bare = compileBareProxy();
  if (bare) {
    results.bare = await measure("g-bare", (_run, port) => ({ cmd: [bare, "--port", String(port)], env: { UPSTREAM: stack.mockUrl, ...FETCH_ENV }, request: (p) => at("bare", p) }));
    sizes.bare = mb(statSync(bare).size);
  } else {
    results.bare = "the bare proxy could not be compiled";
    sizes.bare = missing("the bare proxy could not be compiled");
  }

  if (stack.peerUrl) {
    results.peer = await measure("g-peer", (_run, port) => ({ cmd: ["node", PEER_ENTRY, `--port=${port}`, "--headless"], env: { NODE_ENV: "production" }, request: (p) => at("peer", p) }));
    sizes.peer = mb(directorySizeBytes(PEERS_DIR) + statSync(Bun.which("node") ?? PEER_ENTRY).size);
  } else {
    results.peer = stack.peerMissing ?? "the peer is not running";
    sizes.peer = missing(results.peer);
  }

  const cell = (target: TargetName, pick: "first" | "median"): Cell => {
    const r = results[target];
    if (r === undefined) return missing("not run");
    return typeof r === "string" ? missing(r) : r[pick];
  };
  const restart = cell("keyway", "median");
  const first = cell("keyway", "first");
  ctx.log(`  g keyway: first ${isNumber(first) ? first.toFixed(1) : first} ms, restart median ${isNumber(restart) ? restart.toFixed(1) : restart} ms`);
  const worst = isNumber(first) && isNumber(restart) ? Math.max(first, restart) : undefined;
  return {
    section: {
      id: "g",
      title: "Cold start and size",
      method:
        `Each is started ${RUNS} times; the time runs from spawning the process to the first 200 answer to a chat completion sent every millisecond. ` +
        "The first start of keyway creates its database; the others reuse it. keyway is the compiled binary; the bare proxy is compiled the same way " +
        `(\`bun build --compile\`); the peer runs on Node ${nodeVersion()}. ` +
        `Size: the binary, or for the peer its installed node_modules plus the node executable. Milliseconds, MB. (Bun ${Bun.version} at ${BUN}.)`,
      rows: [
        { label: "first start to first 200 (new database for keyway)", values: { bare: cell("bare", "first"), keyway: first, peer: cell("peer", "first") } },
        { label: `**restart to first 200** (median of ${RUNS - 1})`, values: { bare: cell("bare", "median"), keyway: restart, peer: cell("peer", "median") } },
        { label: "size on disk (MB)", values: sizes },
      ],
      notes: [],
    },
    goals: [
      {
        text: `cold start under ${COLD_START_LIMIT_MS} ms`,
        met: worst === undefined ? undefined : worst < COLD_START_LIMIT_MS,
        measured: worst === undefined ? "n/a" : `first start ${(first as number).toFixed(0)} ms, restarts ${(restart as number).toFixed(0)} ms (median)`,
      },
    ],
  };
}
