// CPU per request of keyway (from src/, or the binary with --binary) beside the bare proxy, zero-delay upstream, the
// sides taking turns: the load-independent check of a change to the hot path (scenario j measures the same in the bench).
// `bun bench/cpu.ts [--connections 32] [--seconds 3] [--rounds 3] [--binary] [--sides bare,floor,contract,keyway,governed] [--warmup 1] [--log-level info]`
// (--warmup: seconds of load each side gets before the rounds.)
// (floor: the metering floor, metering-proxy.ts; contract: keyway's contract floor, contract-floor.ts.)
// (--log-level info: keyway writes its access log, on by default, as a default install does; the bench runs it at warn.)
import { join } from "node:path";
import { cpuInTurns, type CpuSide } from "./lib/cpu.ts";
import { BUN, spawnTracked, stopAll, waitForHttp } from "./lib/processes.ts";
import { ensureWrk, REPO_DIR } from "./lib/setup.ts";
import { FETCH_ENV, setKeywayLogLevel, setUpGovernance, startBare, startContractFloor, startMeteringFloor, startMock, writeKeywayConfig } from "./lib/stack.ts";
import { requestFor, sentTo, type Stack } from "./lib/targets.ts";
import { flag } from "./lib/flags.ts";

async function main(): Promise<void> {
  ensureWrk();
  const mock = await startMock("cpu-mock");
  const bare = await startBare("cpu-bare", mock.url);
  const floor = await startMeteringFloor("cpu-floor", mock.url);
  const contract = await startContractFloor("cpu-contract", mock.url);
  const setup = writeKeywayConfig("cpu-keyway", mock.url, false);
  setKeywayLogLevel(setup, flag("log-level", "warn"));
  const command = process.argv.includes("--binary") ? [join(REPO_DIR, "dist/keyway")] : [BUN, join(REPO_DIR, "src/main.ts")];
  const keyway = spawnTracked("cpu-keyway", [...command, "serve", "--config", setup.configPath], { cwd: setup.dir, env: FETCH_ENV });
  const keywayUrl = `http://127.0.0.1:${setup.port}`;
  await waitForHttp(keyway, `${keywayUrl}/health`);
  const governance = await setUpGovernance(keywayUrl);
  const stack: Stack = { mockUrl: mock.url, bareUrl: bare.url, keywayUrl, keywayAnthropic: "not used", governedKey: governance.key, storedKey: governance.stored };
  const shape = { api: "openai", model: flag("model", "gpt-mock") } as const;
  const pick = (request: ReturnType<typeof requestFor>) => {
    if (typeof request === "string") throw new Error(request);
    return request;
  };
  const all: CpuSide[] = [
    { name: "bare", request: pick(requestFor("bare", stack, shape)), pid: bare.started.pid },
    { name: "floor", request: sentTo(pick(requestFor("bare", stack, shape)), floor.url), pid: floor.started.pid },
    { name: "contract", request: sentTo(pick(requestFor("keyway", stack, shape)), contract.url), pid: contract.started.pid },
    { name: "keyway", request: pick(requestFor("keyway", stack, shape)), pid: keyway.pid },
    { name: "governed", request: pick(requestFor("keyway", stack, { ...shape, governed: true })), pid: keyway.pid },
  ];
  const wanted = flag("sides", "bare,floor,contract,keyway,governed").split(",");
  const sides = all.filter((side) => wanted.includes(side.name));
  const connections = Number(flag("connections", "32"));
  const results = await cpuInTurns(sides, connections, Number(flag("seconds", "3")), Number(flag("rounds", "3")), "cpu", Number(flag("warmup", "1")));
  const bareCpu = results.get("bare")?.cpuUsPerRequest;
  for (const [name, run] of results) {
    const ratio = bareCpu ? ` (${(run.cpuUsPerRequest / bareCpu).toFixed(2)}x bare)` : "";
    console.log(
      `${name.padEnd(9)} c${connections}: ${Math.round(run.rps)} req/s, CPU ${run.cpuUsPerRequest.toFixed(1)} us/request${ratio}, ${run.cores.toFixed(2)} cores, p50 ${run.p50.toFixed(3)} ms, p99 ${run.p99.toFixed(3)} ms${run.errors ? `, errors ${run.errorDetail}` : ""}`,
    );
  }
}

try {
  await main();
} finally {
  await stopAll();
}
