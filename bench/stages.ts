// Where keyway's CPU goes, stage by stage: a copy of src/ (in bench/.work, never the tree itself) that answers at a
// chosen point of a request, started once per point, each driven by wrk at 32 connections in turns, its main thread's
// CPU per request read from /proc. The difference between two points is what the stage between them costs.
// `bun bench/stages.ts [--connections 32] [--seconds 4] [--rounds 3] [--warmup 1]` (--warmup: seconds of load each side gets first)
// Points: the inference handler's first line (the body echoed back), after authentication and the body read, after
// the pipeline's read, policy and plan stages (the upstream body echoed back), after admission and execution (the
// upstream's answer passed back as it came), and the whole call; then the whole call with its usage row left unwritten
// (what the row costs, its commit included, is the difference). Beside them: a plain Bun.serve route echoing the body,
// the bare proxy, the metering floor with and without its row, and keyway's contract floor. Each line gives the latency p50 as well (at
// `--connections 1`, what a call waits for). A point whose anchor line is gone from src/ stops the run with its name.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { cpuInTurns, type CpuSide } from "./lib/cpu.ts";
import { flag } from "./lib/flags.ts";
import { patchedTree } from "./lib/patched-tree.ts";
import { BUN, readPort, spawnTracked, stopAll, WORK_DIR } from "./lib/processes.ts";
import { ensureWrk } from "./lib/setup.ts";
import { fromSource, startBare, startContractFloor, startKeyway, startMeteringFloor, startMock, writeKeywayConfig } from "./lib/stack.ts";
import { requestFor, sentTo, type Stack } from "./lib/targets.ts";

const STOP_VARIABLE = "KEYWAY_STAGE_STOP";

/** Where each point answers: before or after an exact line of src/, the code inserted there. */
const POINTS = [
  { name: "handler", file: "src/server/routes/inference.ts", anchor: "    const startedAt = Date.now();", before: true, code: "return stageEcho(await request.json());" },
  { name: "entry", file: "src/server/routes/inference.ts", anchor: "      const { endpoint, body, native, unmetered } = dialect.decode(raw, request.headers);", before: true, code: "return stageEcho(raw);" },
  { name: "read", file: "src/gateway/pipeline.ts", anchor: "      const read = readCall(ctx, stageDeps);", before: false, code: "return stageEcho(read.upstream);" },
  { name: "policy", file: "src/gateway/pipeline.ts", anchor: "      const policed = policing instanceof Promise ? await policing : policing;", before: false, code: "return stageEcho(read.upstream);" },
  { name: "plan", file: "src/gateway/pipeline.ts", anchor: "      const planned = await planCandidates(policed, stageDeps);", before: false, code: "return stageEcho(read.upstream);" },
  {
    name: "execute",
    file: "src/gateway/pipeline.ts",
    anchor: "      const executed = await admitAndExecute(planned, stageDeps);",
    before: false,
    code: 'return new Response(await executed.execution.response.text(), { headers: { "content-type": "application/json" } });',
  },
  // Not a stop: the whole call with its usage row left unwritten (the recorder answers at once), so the row's cost,
  // commit included, is its difference from "full".
  {
    name: "no-row",
    file: "src/gateway/stages/settle.ts",
    anchor: "    observeSettled(state, s, { inputTokens, outputTokens, estimatedMicros: estimated, chargedMicros: charged }, deps);",
    before: false,
    code: "deps = { ...deps, usage: { record: () => Promise.resolve() } };",
  },
] as const;

/** The points that answer early, in the order a request passes them. */
const STOPS = POINTS.filter((p) => p.name !== "no-row").map((p) => p.name);

const LABEL: Record<string, string> = {
  "bun-serve": "a plain Bun.serve route echoing the JSON body",
  handler: "keyway's inference handler, first line (the body echoed)",
  entry: "+ request id, SERVER span, authentication, body read and check",
  read: "+ the dialect's decode, the call, the pipeline's read stage",
  policy: "+ policy",
  plan: "+ plan (model, routing, targets, key sources, health gate, strategy)",
  execute: "+ admission and execution (the upstream request, fetch, its body read)",
  full: "the whole call (answer, settlement, usage row)",
  "no-row": "the whole call without its usage row",
  bare: "bare proxy",
  floor: "metering floor",
  "floor-no-row": "metering floor without its usage row",
  contract: "contract floor",
};

/** A copy of src/ whose inference handler and pipeline answer at the point KEYWAY_STAGE_STOP names. */
function stagedTree(): string {
  const helper = `const stageStop = process.env.${STOP_VARIABLE} ?? "";\nconst stageEcho = (value: unknown) => new Response(JSON.stringify(value), { headers: { "content-type": "application/json" } });\n`;
  return patchedTree(
    "stages-tree",
    POINTS.map((point) => ({ ...point, code: `if (stageStop === "${point.name}") ${point.code}` })),
    helper,
  );
}

const ECHO_SERVER = `const server = Bun.serve({ hostname: "127.0.0.1", port: 0, routes: { "/v1/chat/completions": { POST: async (request) => new Response(JSON.stringify(await request.json()), { headers: { "content-type": "application/json" } }) } } });
console.log(JSON.stringify({ port: server.port }));
`;

async function main(): Promise<void> {
  ensureWrk();
  const connections = Number(flag("connections", "32"));
  const tree = stagedTree();
  const mock = await startMock("stages-mock");
  const sides: CpuSide[] = [];
  const echoFile = join(WORK_DIR, "stages-echo.ts");
  writeFileSync(echoFile, ECHO_SERVER);
  const echo = spawnTracked("stages-echo", [BUN, echoFile], { pipeStdout: true });
  const echoUrl = `http://127.0.0.1:${await readPort(echo)}`;
  for (const name of [...STOPS, "full", "no-row"]) {
    const setup = writeKeywayConfig(`stages-${name}`, mock.url, false);
    const { started: proc, url } = await startKeyway(`stages-${name}`, fromSource(tree), setup, { [STOP_VARIABLE]: name });
    const request = requestFor("keyway", { mockUrl: mock.url, bareUrl: "", keywayUrl: url, keywayAnthropic: "not used", storedKey: "not used" }, { api: "openai", model: "gpt-mock" });
    if (typeof request === "string") throw new Error(request);
    sides.push({ name, request, pid: proc.pid, thread: proc.pid });
    if (name === "handler") sides.unshift({ name: "bun-serve", request: { ...request, url: request.url.replace(url, echoUrl) }, pid: echo.pid, thread: echo.pid });
  }
  const bare = await startBare("stages-bare", mock.url);
  const floor = await startMeteringFloor("stages-floor", mock.url);
  const stack: Stack = { mockUrl: mock.url, bareUrl: bare.url, keywayAnthropic: "not used", storedKey: "not used" };
  const bareRequest = requestFor("bare", stack, { api: "openai", model: "gpt-mock" });
  if (typeof bareRequest === "string") throw new Error(bareRequest);
  sides.push({ name: "bare", request: bareRequest, pid: bare.started.pid, thread: bare.started.pid });
  sides.push({ name: "floor", request: { ...bareRequest, url: bareRequest.url.replace(bare.url, floor.url) }, pid: floor.started.pid, thread: floor.started.pid });
  const floorNoRow = await startMeteringFloor("stages-floor-no-row", mock.url, ["--no-row"]);
  sides.push({ name: "floor-no-row", request: { ...bareRequest, url: bareRequest.url.replace(bare.url, floorNoRow.url) }, pid: floorNoRow.started.pid, thread: floorNoRow.started.pid });
  const contract = await startContractFloor("stages-contract", mock.url);
  const full = sides.find((side) => side.name === "full") as CpuSide;
  sides.push({ name: "contract", request: sentTo(full.request, contract.url), pid: contract.started.pid, thread: contract.started.pid });
  const results = await cpuInTurns(sides, connections, Number(flag("seconds", "4")), Number(flag("rounds", "3")), "stages", Number(flag("warmup", "1")));
  console.log(`\nmain-thread CPU per request at ${connections} connections (µs), and the latency p50 (ms); a step is the difference from the line above\n`);
  let previous: number | undefined;
  for (const side of sides) {
    const run = results.get(side.name);
    const main = run?.cpuUsPerRequest ?? Number.NaN;
    const keywayPoint = !["bun-serve", "bare", "floor", "floor-no-row", "contract"].includes(side.name);
    const step = keywayPoint && previous !== undefined ? `  (step ${(main - previous).toFixed(1)})` : "";
    console.log(`${main.toFixed(1).padStart(7)}  ${(run?.p50 ?? Number.NaN).toFixed(3).padStart(6)}  ${LABEL[side.name] ?? side.name}${step}`);
    previous = keywayPoint || side.name === "bun-serve" ? main : previous;
  }
}

try {
  await main();
} finally {
  await stopAll();
}
