// `npm run bench`: installs what is missing, starts everything, runs scenarios a-g, i, j and k against direct, bare proxy,
// keyway and the peer (then h, the usage ledger at volume, keyway alone), rewrites bench/RESULTS.md, and stops every process it started, even on failure.
// With e, also e2: the same governed call on a keyway with Postgres state and Redis counters (skipped with a note when either is not reachable).
// Flags: --quick (short runs, for trying the harness), --only=a,c (some scenarios), --out=FILE (another results file).
import { cpus, totalmem } from "node:os";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Context } from "./lib/measure.ts";
import { BENCH_DIR, killAllNow, stopAll, WORK_DIR } from "./lib/processes.ts";
import { type Goal, type Report, renderReport, type Section } from "./lib/report.ts";
import { ensureKeywayBinary, ensurePeer, ensureWrk, PEER_HONO_NODE_SERVER, PEER_VERSION, REPO_DIR } from "./lib/setup.ts";
import { type FleetKeyway, startFleetKeyway } from "./lib/fleet.ts";
import { anthropicSupport, setUpGovernance, startBare, startKeyway, startMock, startPeer, writeKeywayConfig } from "./lib/stack.ts";
import type { Stack } from "./lib/targets.ts";
import { scenarioA, type ScenarioAResult } from "./scenarios/a-latency.ts";
import { scenarioB } from "./scenarios/b-throughput.ts";
import { scenarioC } from "./scenarios/c-streaming.ts";
import { scenarioD } from "./scenarios/d-translation.ts";
import { scenarioE } from "./scenarios/e-governance.ts";
import { scenarioE2 } from "./scenarios/e2-governance-fleet.ts";
import { type MemoryRun, openMemoryRun, settleMemoryRun } from "./scenarios/f-memory.ts";
import { scenarioG } from "./scenarios/g-cold-start.ts";
import { scenarioH } from "./scenarios/h-ledger.ts";
import { scenarioI } from "./scenarios/i-onthebench.ts";
import { scenarioJ } from "./scenarios/j-cpu-per-request.ts";
import { scenarioK } from "./scenarios/k-where-time-goes.ts";

/** a-g, i, j and k (with e2, about 25 s of it; j about 190 s, k 90) must be done by then; h runs after. */
const BUDGET_MS = 640_000;
const args = process.argv.slice(2);
const quick = args.includes("--quick");
/** How old the keyway binary's file must be before the run measures it. */
const BINARY_SETTLE_MS = 60_000;
const only = args.find((a) => a.startsWith("--only="))?.slice(7).split(",");
const outFile = args.find((a) => a.startsWith("--out="))?.slice(6) ?? join(BENCH_DIR, "RESULTS.md");
/** `--only=e` also runs e2 (its Postgres + Redis counterpart). */
const wanted = (id: string) => !only || only.includes(id) || only.includes(id.replace(/\d+$/, ""));
const began = performance.now();

/** Drops e2's Postgres schema and Redis keys; run once every process has stopped. */
let fleetCleanUp: (() => Promise<string[]>) | undefined;
async function cleanUpFleet(): Promise<void> {
  const cleanUp = fleetCleanUp;
  fleetCleanUp = undefined;
  if (!cleanUp) return;
  for (const problem of await cleanUp()) console.error(problem);
}

const log = (message: string) => console.log(`[${((performance.now() - began) / 1000).toFixed(0).padStart(3)} s] ${message}`);

process.on("exit", killAllNow);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    log(`${signal}: stopping everything`);
    void stopAll()
      .then(cleanUpFleet)
      .finally(() => process.exit(130));
  });
}

function sh(cmd: string[]): string {
  const result = Bun.spawnSync(cmd, { cwd: REPO_DIR, stdout: "pipe", stderr: "pipe" });
  return result.exitCode === 0 ? result.stdout.toString().trim() : "?";
}

function machineFacts(wrk: string): [string, string][] {
  const dirty = sh(["git", "status", "--porcelain"]) === "" ? "" : " (with uncommitted changes)";
  return [
    ["date", new Date().toISOString()],
    ["cores (nproc)", sh(["nproc"])],
    ["CPU", cpus()[0]?.model ?? "?"],
    ["memory", `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`],
    ["kernel", sh(["uname", "-sr"])],
    ["bun", Bun.version],
    ["node (for the peer)", sh(["node", "--version"])],
    ["load generator", `${wrk}, 1 thread; bench/stream-client.ts for streams`],
    ["keyway commit", `${sh(["git", "rev-parse", "--short", "HEAD"])}${dirty}`],
    ["load average at start", readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")],
  ];
}

async function main(): Promise<void> {
  mkdirSync(WORK_DIR, { recursive: true });
  const notes: string[] = [];
  const sections: Section[] = [];
  const goals: Goal[] = [];
  const record = (result: { section: Section; goals: Goal[] }) => {
    sections.push(result.section);
    goals.push(...result.goals);
  };

  log("setup: wrk, the peer, the keyway binary");
  const wrk = ensureWrk();
  const facts = machineFacts(wrk);
  const peerProblem = ensurePeer();
  const binary = ensureKeywayBinary();
  facts.push(["keyway binary", binary.origin]);
  // A binary written moments before idles about 1 MB higher than the same file a minute later (bench/README: the page
  // cache moves the figure): wait until it is a minute old, as an installed binary is.
  const age = Date.now() - statSync(binary.path).mtimeMs;
  if (age < BINARY_SETTLE_MS && !quick) {
    log(`the keyway binary was written ${Math.round(age / 1000)} s ago: waiting until it is ${BINARY_SETTLE_MS / 1000} s old`);
    await Bun.sleep(BINARY_SETTLE_MS - age);
  }
  facts.push(["peer", peerProblem ? `not run: ${peerProblem}` : `@portkey-ai/gateway ${PEER_VERSION} on Node, @hono/node-server pinned to ${PEER_HONO_NODE_SERVER}`]);
  if (quick) notes.push("**--quick run**: measurements are shortened and only good for checking the harness.");

  log("starting the mock upstream, the bare proxy, keyway and the peer");
  const mock = await startMock("mock");
  const bare = await startBare("bare", mock.url);
  const keywayAnthropic = anthropicSupport(binary.path, mock.url);
  const setup = writeKeywayConfig("keyway", mock.url, keywayAnthropic === true);
  const keyway = await startKeyway("keyway", binary.path, setup);
  const governance = await setUpGovernance(keyway.url);
  let peerUrl: string | undefined;
  let peerMissing = peerProblem;
  if (!peerProblem) {
    try {
      peerUrl = (await startPeer("peer")).url;
    } catch (error) {
      peerMissing = `the peer did not start: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  const stack: Stack = {
    mockUrl: mock.url,
    bareUrl: bare.url,
    keywayUrl: keyway.url,
    keywayDb: join(setup.dir, "keyway.db"),
    peerUrl,
    peerMissing,
    keywayAnthropic,
    governedKey: governance.key,
    storedKey: governance.stored,
    pids: { bare: bare.started.pid, keyway: keyway.started.pid },
  };
  if (peerMissing) notes.push(`The peer column is empty: ${peerMissing}.`);
  if (keywayAnthropic !== true) notes.push(`Scenario d has no keyway figures: ${keywayAnthropic}.`);

  const deadline = began + BUDGET_MS;
  const ctx: Context = { stack, quick, seconds: (full) => Math.max(1, Math.round(quick ? full / 4 : full)), log, deadline };
  let aResult: ScenarioAResult | undefined;
  const steps: [string, () => Promise<{ section: Section; goals: Goal[] }>][] = [
    ["a", async () => (aResult = await scenarioA(ctx))],
    ["b", () => scenarioB(ctx)],
    ["c", () => scenarioC(ctx)],
    ["d", () => scenarioD(ctx)],
    ["e", () => scenarioE(ctx)],
    ["e2", () => fleetScenario(ctx, binary.path, mock.url)],
    ["g", () => scenarioG(ctx, binary.path)],
    ["i", () => scenarioI(ctx, aResult)],
    ["j", () => scenarioJ(ctx)],
    ["k", () => scenarioK(ctx)],
  ];

  let memory: MemoryRun | undefined;
  if (wanted("f")) {
    log("f: memory, opening 1000 streams through each gateway, then 10,000 through fresh ones (the minute after runs alongside the rest)");
    memory = await openMemoryRun(ctx, binary.path);
  }
  for (const [id, run] of steps) {
    if (!wanted(id)) continue;
    if (performance.now() > deadline - 20_000) {
      notes.push(`Scenario ${id} was skipped: the run had used its ${Math.round(BUDGET_MS / 1000)} s.`);
      continue;
    }
    log(`scenario ${id}`);
    try {
      record(await run());
    } catch (error) {
      if (error instanceof SkipScenario) notes.push(error.message);
      else notes.push(`Scenario ${id} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    }
  }
  if (memory) {
    log("f: waiting for the minute after the streams closed");
    record(await settleMemoryRun(ctx, memory));
  }
  // The ledger at volume seeds millions of calls first: it runs after the five minutes of a-g.
  if (wanted("h")) {
    log("scenario h");
    try {
      record(await scenarioH(ctx, binary.path));
    } catch (error) {
      notes.push(`Scenario h failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    }
  }
  sections.sort((x, y) => x.id.localeCompare(y.id));
  facts.push(["load average at end", readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")]);
  facts.push(["run time", `${((performance.now() - began) / 1000).toFixed(0)} s`]);
  const report: Report = { facts, sections, goals, notes };
  writeFileSync(outFile, renderReport(report));
  writeFileSync(join(WORK_DIR, "results.json"), JSON.stringify(report, null, 2));
  log(`wrote ${outFile}`);
}

/** A scenario that cannot run here: its message becomes a note of the run, not a failure. */
class SkipScenario extends Error {}

/** e2: starts the Postgres + Redis keyway only now (so it idles through nothing else), or notes why it cannot run. */
async function fleetScenario(ctx: Context, binary: string, mockUrl: string): Promise<{ section: Section; goals: Goal[] }> {
  const started = await startFleetKeyway(binary, mockUrl);
  if ("reason" in started) {
    fleetCleanUp = started.cleanUp;
    throw new SkipScenario(`Scenario e2 (governance on Postgres + Redis) was skipped: ${started.reason}.`);
  }
  const fleet: FleetKeyway = started;
  fleetCleanUp = fleet.cleanUp;
  return scenarioE2(ctx, fleet);
}

async function failed(error: unknown): Promise<void> {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error(message);
  const report: Report = {
    facts: [["date", new Date().toISOString()], ["bun", Bun.version]],
    sections: [],
    goals: [],
    notes: [`The run failed before it could measure: ${message.split("\n").slice(0, 4).join(" ")}`],
  };
  writeFileSync(outFile, renderReport(report));
}

try {
  await main();
} catch (error) {
  await failed(error);
  process.exitCode = 1;
} finally {
  await stopAll();
  await cleanUpFleet();
}
