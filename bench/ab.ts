// A/B of CPU per request: keyway from two source trees (or one tree under two environments) side by side, taking turns
// under wrk against the same mock, so the machine's noise falls on both.
// `bun bench/ab.ts --a /path/to/tree --b /path/to/other [--connections 32] [--seconds 2] [--rounds 8] [--a-env K=V,..] [--b-env K=V,..] [--bare] [--floors] [--log-level info] [--stream --model gpt-mock-c8-i0] [--path /api/v1/chat/completions] [--warmup 1]`
// (--a-binary/--b-binary PATH: that side runs a compiled executable, e.g. two builds of dist/keyway, instead of a tree's src/.
// --floors: the metering floor (metering-proxy.ts) and keyway's contract floor (contract-floor.ts) take their turns too;
// with --stream only the metering floor (the contract floor answers plain chat only).
// --warmup: seconds of load each side gets before the rounds; 8 or more lets keyway's JIT settle, see bench/README.)
// --threads: each side's CPU a request by thread as well: the main thread, Bun's HTTP client thread, GC helpers, ...
// (--log-level info: both write their access log, as a default install does; the bench runs keyway at warn. --path: the
// same chat body sent to another of keyway's chat paths, e.g. IndoxRouter's.)
import { cpuInTurns, type CpuSide } from "./lib/cpu.ts";
import { stopAll } from "./lib/processes.ts";
import { ensureWrk, REPO_DIR } from "./lib/setup.ts";
import { fromSource, setKeywayLogLevel, startBare, startContractFloor, startKeyway, startMeteringFloor, startMock, writeKeywayConfig } from "./lib/stack.ts";
import { requestFor, sentTo, type Stack } from "./lib/targets.ts";
import { flag } from "./lib/flags.ts";

const envOf = (text: string) => Object.fromEntries(text.split(",").filter(Boolean).map((pair) => pair.split("=") as [string, string]));

async function main(): Promise<void> {
  ensureWrk();
  const mock = await startMock("ab-mock");
  const sides: CpuSide[] = [];
  for (const name of ["a", "b"]) {
    const tree = flag(name, REPO_DIR);
    const setup = writeKeywayConfig(`ab-${name}`, mock.url, false);
    setKeywayLogLevel(setup, flag("log-level", "warn"));
    const binary = flag(`${name}-binary`, "");
    const { started: proc, url } = await startKeyway(`ab-${name}`, binary || fromSource(tree), setup, envOf(flag(`${name}-env`, "")));
    const stack: Stack = { mockUrl: mock.url, bareUrl: "", keywayUrl: url, keywayAnthropic: "not used", storedKey: "not used" };
    const request = requestFor("keyway", stack, { api: "openai", model: flag("model", "gpt-mock"), stream: process.argv.includes("--stream") });
    if (typeof request === "string") throw new Error(request);
    const path = flag("path", "");
    if (path) request.url = `${url}${path}`;
    sides.push({ name, request, pid: proc.pid });
  }
  if (process.argv.includes("--bare")) {
    const bare = await startBare("ab-bare", mock.url);
    const stack: Stack = { mockUrl: mock.url, bareUrl: bare.url, keywayUrl: "", keywayAnthropic: "not used", storedKey: "not used" };
    const request = requestFor("bare", stack, { api: "openai", model: flag("model", "gpt-mock"), stream: process.argv.includes("--stream") });
    if (typeof request === "string") throw new Error(request);
    sides.push({ name: "bare", request, pid: bare.started.pid });
  }
  if (process.argv.includes("--floors")) {
    const keyway = sides[0] as CpuSide;
    const floor = await startMeteringFloor("ab-floor", mock.url);
    const streaming = process.argv.includes("--stream");
    const floorStack: Stack = { mockUrl: mock.url, bareUrl: floor.url, keywayUrl: "", keywayAnthropic: "not used", storedKey: "not used" };
    const floorRequest = requestFor("bare", floorStack, { api: "openai", model: flag("model", "gpt-mock"), stream: streaming });
    if (typeof floorRequest === "string") throw new Error(floorRequest);
    sides.push({ name: "floor", request: floorRequest, pid: floor.started.pid });
    if (streaming) console.log("contract floor: left out (it answers plain chat only)");
    else {
      const contract = await startContractFloor("ab-contract", mock.url);
      sides.push({ name: "contract", request: sentTo(keyway.request, contract.url), pid: contract.started.pid });
    }
  }
  const connections = Number(flag("connections", "32"));
  const results = await cpuInTurns(sides, connections, Number(flag("seconds", "2")), Number(flag("rounds", "8")), "ab", Number(flag("warmup", "1")));
  const a = results.get("a")?.cpuUsPerRequest ?? Number.NaN;
  for (const [name, run] of results) {
    console.log(`${name.padEnd(5)} c${connections}: ${Math.round(run.rps)} req/s, CPU ${run.cpuUsPerRequest.toFixed(1)} us/request (${(run.cpuUsPerRequest / a).toFixed(3)}x a), p50 ${run.p50.toFixed(3)} ms, p99 ${run.p99.toFixed(3)} ms`);
    if (process.argv.includes("--threads")) {
      const threads = Object.entries(run.threads ?? {}).filter(([, us]) => us >= 0.05).sort((x, y) => y[1] - x[1]);
      console.log(`      by thread: ${threads.map(([thread, us]) => `${thread} ${us.toFixed(1)}`).join(", ")} (us/request)`);
    }
  }
}

try {
  await main();
} finally {
  await stopAll();
}
