// Scenario k: where the CPU of a request goes, for the targets j leaves missed. keyway's contract floor, keyway and
// keyway with governance on each run under `bun --cpu-prof` at j's connection counts; the main thread's samples taken
// while wrk measured are split into the runtime's native work, the libraries, the usage row's JavaScript and keyway's
// own JavaScript by part (lib/profile-split.ts), and each part is given in microseconds of the main thread a request.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cpuMs } from "../lib/cpu.ts";
import { type Context, SETTLE } from "../lib/measure.ts";
import { stop, WORK_DIR } from "../lib/processes.ts";
import { newestProfile, type Part, PARTS, RUNTIME_PARTS, SRC_PARTS, splitProfile } from "../lib/profile-split.ts";
import { type Cell, type Goal, isNumber, missing, type Row, type Section } from "../lib/report.ts";
import { fromSource, type Server, setUpGovernance, startContractFloor, startKeyway, writeKeywayConfig } from "../lib/stack.ts";
import { type HttpRequest, ISSUE_17, probe, requestFor, sentTo, type Stack } from "../lib/targets.ts";
import { runWrk } from "../lib/wrk.ts";

const SIDES = [
  { key: "contract", label: "contract floor" },
  { key: "keyway", label: "keyway" },
  { key: "governed", label: "keyway, governance on" },
] as const;
type SideKey = (typeof SIDES)[number]["key"];

interface Level {
  connections: number;
  /** Main-thread and whole-process CPU microseconds a request, and the main thread's samples by part. */
  mainUs: number;
  processUs: number;
  rps: number;
  split: Map<Part, number>;
}

interface Profiled {
  server: Server;
  request: HttpRequest;
  dir: string;
}

/**
 * Each side's measured runs at a connection count, taken in turns: 9 s in all, some thousands of samples at the rate
 * the sampler keeps up under load (one every 1.5-5 ms).
 */
const ROUNDS = 3;
const MEASURE_S = 3;

const profileArgs = (dir: string) => ["--cpu-prof", `--cpu-prof-dir=${dir}`];

function freshDir(name: string): string {
  const dir = join(WORK_DIR, "profiles", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function startSide(side: SideKey, mockUrl: string): Promise<Profiled> {
  const dir = freshDir(`k-${side}`);
  if (side === "contract") {
    const server = await startContractFloor("k-contract", mockUrl, profileArgs(dir));
    const keywayShaped = requestFor("keyway", { mockUrl, bareUrl: "", keywayUrl: "http://placeholder", keywayAnthropic: "not used", storedKey: "not used" }, { api: "openai", model: "gpt-mock" });
    if (typeof keywayShaped === "string") throw new Error(keywayShaped);
    return { server, request: sentTo(keywayShaped, server.url), dir };
  }
  const server = await startKeyway(`k-${side}`, fromSource(undefined, profileArgs(dir)), writeKeywayConfig(`k-${side}`, mockUrl, false));
  const stack: Stack = { mockUrl, bareUrl: "", keywayUrl: server.url, keywayAnthropic: "not used", storedKey: "not used" };
  if (side === "governed") {
    const governance = await setUpGovernance(server.url);
    stack.governedKey = governance.key;
    stack.storedKey = governance.stored;
  }
  const request = requestFor("keyway", stack, { api: "openai", model: "gpt-mock", governed: side === "governed" });
  if (typeof request === "string") throw new Error(request);
  return { server, request, dir };
}

/** A side's measured runs at one connection count, summed: CPU (main thread, all threads), requests, seconds, sample windows. */
interface Tally {
  mainMs: number;
  processMs: number;
  requests: number;
  seconds: number;
  windows: [number, number][];
}

/** One wrk run against a side with its CPU read around it, added to its tally. */
async function measureInto(tally: Tally, side: SideKey, profiled: Profiled, connections: number, seconds: number, round: number): Promise<void> {
  const pid = profiled.server.started.pid;
  const [main0, all0, from] = [cpuMs(pid, pid), cpuMs(pid), Date.now()];
  const run = await runWrk({ name: `k-${side}-c${connections}-${round}`, request: profiled.request, connections, seconds });
  const [main1, all1, to] = [cpuMs(pid, pid), cpuMs(pid), Date.now()];
  if (main0 === undefined || all0 === undefined || main1 === undefined || all1 === undefined || run.requests === 0) throw new Error(`${side} stopped answering at ${connections} connections`);
  tally.mainMs += main1 - main0;
  tally.processMs += all1 - all0;
  tally.requests += run.requests;
  tally.seconds += run.seconds;
  tally.windows.push([from, to]);
}

/**
 * The sides started together, settled, then measured in turns (a, b, c, a, b, c, ...) at each connection count, so the
 * host's speed, which moves from one minute to the next, falls on each alike; then stopped, and their profiles split.
 */
async function profileInTurns(ctx: Context, started: Map<SideKey, Profiled>): Promise<Map<SideKey, Level[]>> {
  for (const [side, profiled] of started) {
    await runWrk({ name: `k-settle-${side}`, request: profiled.request, connections: SETTLE.connections, seconds: ctx.seconds(SETTLE.seconds) });
  }
  const tallies = new Map<SideKey, Map<number, Tally>>([...started.keys()].map((side) => [side, new Map()]));
  for (const connections of ISSUE_17.throughputConnections) {
    for (const [side, profiled] of started) await runWrk({ name: `k-${side}-c${connections}-warmup`, request: profiled.request, connections, seconds: 1 });
    for (let round = 0; round < ROUNDS; round++) {
      for (const [side, profiled] of started) {
        const byLevel = tallies.get(side) as Map<number, Tally>;
        if (!byLevel.has(connections)) byLevel.set(connections, { mainMs: 0, processMs: 0, requests: 0, seconds: 0, windows: [] });
        await measureInto(byLevel.get(connections) as Tally, side, profiled, connections, ctx.seconds(MEASURE_S), round);
      }
    }
  }
  const levels = new Map<SideKey, Level[]>();
  for (const [side, profiled] of started) {
    await stop(profiled.server.started, 10_000);
    const { profile } = newestProfile(profiled.dir);
    // Beside the profile, when each level was measured: for reading it further (bench/profile.ts's summary, a flame graph).
    const windows = Object.fromEntries([...(tallies.get(side) as Map<number, Tally>)].map(([connections, tally]) => [connections, tally.windows]));
    writeFileSync(join(profiled.dir, "windows.json"), `${JSON.stringify(windows)}\n`);
    const perRequest = (ms: number, tally: Tally) => (ms * 1000) / tally.requests;
    levels.set(
      side,
      [...(tallies.get(side) as Map<number, Tally>)].map(([connections, tally]) => ({
        connections,
        mainUs: perRequest(tally.mainMs, tally),
        processUs: perRequest(tally.processMs, tally),
        rps: tally.requests / tally.seconds,
        split: splitProfile(profile, tally.windows),
      })),
    );
  }
  return levels;
}

export async function scenarioK(ctx: Context): Promise<{ section: Section; goals: Goal[] }> {
  const levels = new Map<SideKey, Level[] | string>();
  const started = new Map<SideKey, Profiled>();
  for (const side of SIDES) {
    try {
      const profiled = await startSide(side.key, ctx.stack.mockUrl);
      const problem = await probe(profiled.request, /"choices"/);
      if (problem !== undefined) throw new Error(`its answer failed the check (${problem})`);
      started.set(side.key, profiled);
    } catch (error) {
      levels.set(side.key, `not profiled (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  try {
    for (const [side, measured] of await profileInTurns(ctx, started)) levels.set(side, measured);
  } catch (error) {
    for (const side of started.keys()) levels.set(side, `not profiled (${error instanceof Error ? error.message : String(error)})`);
  }
  const at = (side: SideKey, connections: number): Level | string => {
    const list = levels.get(side);
    return typeof list === "string" || list === undefined ? (list ?? "not profiled") : (list.find((l) => l.connections === connections) ?? "not profiled");
  };
  /** The main thread's CPU a request spent in `parts`: their share of the samples times the main thread's measured CPU. */
  const partUs = (level: Level, parts: readonly Part[]): number => {
    const sampled = [...level.split.values()].reduce((sum, n) => sum + n, 0);
    const inParts = parts.reduce((sum, part) => sum + (level.split.get(part) ?? 0), 0);
    return sampled > 0 ? (level.mainUs * inParts) / sampled : Number.NaN;
  };
  const columns = ISSUE_17.throughputConnections.flatMap((c) => [
    ...SIDES.map((side) => ({ key: `${side.key}@${c}`, label: `${side.label}, ${c} conn.` })),
    { key: `extra@${c}`, label: `keyway − contract floor, ${c} conn.` },
  ]);
  const row = (label: string, pick: (level: Level) => number): Row => {
    const values: Record<string, Cell> = {};
    for (const c of ISSUE_17.throughputConnections) {
      for (const side of SIDES) {
        const level = at(side.key, c);
        values[`${side.key}@${c}`] = typeof level === "string" ? missing(level) : pick(level);
      }
      const [k, f] = [values[`keyway@${c}`], values[`contract@${c}`]];
      values[`extra@${c}`] = isNumber(k) && isNumber(f) ? k - f : missing("a side was not profiled");
    }
    return { label, values, ratios: false };
  };
  const rows: Row[] = [
    row("**CPU a request, all threads** (µs)", (l) => l.processUs),
    row("other threads: the HTTP client's, GC helpers, JIT (µs)", (l) => l.processUs - l.mainUs),
    row("**main thread** (µs)", (l) => l.mainUs),
    ...PARTS.map((part) => row(`main thread: ${part} (µs)`, (l) => partUs(l, [part]))),
    row("**main thread: the runtime's native work, all parts** (µs)", (l) => partUs(l, RUNTIME_PARTS)),
    row("**main thread: JavaScript of keyway's src/ beyond the usage row** (µs)", (l) => partUs(l, SRC_PARTS)),
    row("requests/s while profiled", (l) => l.rps),
  ];
  return {
    section: {
      id: "k",
      title: "Where the CPU of a request goes: keyway beside its contract floor, by profile",
      method:
        "keyway's contract floor (j), keyway (admin key and `byok_api_key`) and keyway with governance on (an account key and its stored key), each a process of " +
        "its own started from source under `bun --cpu-prof` (keyway's code as the binary runs it, sampled), against the zero-delay upstream: " +
        `each ${SETTLE.seconds} s at ${SETTLE.connections} connections to settle, then at each of j's connection counts a 1 s warm-up each and ${ROUNDS} ` +
        `${ctx.seconds(MEASURE_S)} s wrk runs of each, the sides taking turns, the server's CPU read from /proc around every run (all threads, and the main thread alone). The main thread's samples ` +
        "taken during the runs are split by the innermost frame (bench/lib/profile-split.ts): the runtime's native code and built-in modules " +
        "by what they do, the libraries, the usage row's JavaScript (keyway's store, which the floors share), the contract floor's own code, and " +
        "keyway's JavaScript by folder; each part's share of the samples times the main thread's CPU a request gives its microseconds. The " +
        "last columns are keyway's figure minus the contract floor's.",
      rows,
      notes: [
        "The profiler's sampling costs the profiled processes some CPU of their own, so these figures run above j's; compare the columns with each other, not with j.",
        "A part's time includes what JavaScriptCore did on its behalf on the main thread (the garbage collector's work lands on whatever allocated).",
      ],
      columns,
      ratioColumns: [],
    },
    goals: [],
  };
}
