// Scenario j: zero-delay throughput at 32 and 256 connections, bare proxy vs keyway (plain, and with governance on),
// with the CPU time each server spends per request: the load-independent ratio issue 17 sets its targets on. The
// metering floor (metering-proxy.ts) runs beside them, at concurrency 1 too: what any gateway that records each call
// before answering pays on this runtime; keyway's contract floor (contract-floor.ts) beside it: what keyway's contract
// asks of every plain call, written directly, so that what is left is keyway's own. At concurrency 1 the metering
// floor also runs without its usage row: each call's row is then committed alone, and the answer waits for it.
import { cpuInTurns, type CpuRun, type CpuSide } from "../lib/cpu.ts";
import { checkedRequests, type Context, SETTLE } from "../lib/measure.ts";
import { type Cell, type Goal, isNumber, missing, type Row, type Section } from "../lib/report.ts";
import { stop } from "../lib/processes.ts";
import { type Server, startContractFloor, startMeteringFloor } from "../lib/stack.ts";
import { type HttpRequest, ISSUE_17, sentTo } from "../lib/targets.ts";
import { runWrk } from "../lib/wrk.ts";

const SIDES = ["bare", "floor", "floorNoRow", "contract", "keyway", "governed"] as const;
/** Sides measured at concurrency 1 only. */
const ONLY_ALONE: readonly SideName[] = ["floorNoRow"];
type SideName = (typeof SIDES)[number];
const COLUMNS = [
  { key: "bare", label: "bare proxy" },
  { key: "floor", label: "metering floor" },
  { key: "floorNoRow", label: "metering floor, no usage row" },
  { key: "contract", label: "contract floor" },
  { key: "keyway", label: "keyway" },
  { key: "governed", label: "keyway, governance on" },
];

export async function scenarioJ(ctx: Context): Promise<{ section: Section; goals: Goal[] }> {
  const { stack } = ctx;
  const plain = await checkedRequests(stack, { api: "openai", model: "gpt-mock" }, ["bare", "keyway"]);
  const governed = await checkedRequests(stack, { api: "openai", model: "gpt-mock", governed: true }, ["keyway"]);
  const floor = await serverOrWhy("the metering floor", () => startMeteringFloor("j-floor", stack.mockUrl));
  const floorRequest = typeof floor === "string" ? floor : await meteringFloorRequest(plain.bare, stack.bareUrl, floor.url);
  const floorNoRow = await serverOrWhy("the metering floor", () => startMeteringFloor("j-floor-no-row", stack.mockUrl, ["--no-row"]));
  const floorNoRowRequest = typeof floorNoRow === "string" ? floorNoRow : await meteringFloorRequest(plain.bare, stack.bareUrl, floorNoRow.url);
  const contract = await serverOrWhy("the contract floor", () => startContractFloor("j-contract", stack.mockUrl));
  const contractRequest = typeof contract === "string" ? contract : await contractFloorRequest(plain.keyway, contract.url);
  const requestOf: Record<SideName, unknown> = { bare: plain.bare, floor: floorRequest, floorNoRow: floorNoRowRequest, contract: contractRequest, keyway: plain.keyway, governed: governed.keyway };
  const pidOf: Record<SideName, number | undefined> = {
    bare: stack.pids?.bare,
    floor: typeof floor === "string" ? undefined : floor.started.pid,
    floorNoRow: typeof floorNoRow === "string" ? undefined : floorNoRow.started.pid,
    contract: typeof contract === "string" ? undefined : contract.started.pid,
    keyway: stack.pids?.keyway,
    governed: stack.pids?.keyway,
  };
  const sides: CpuSide[] = [];
  const why = new Map<SideName, string>();
  for (const name of SIDES) {
    const request = requestOf[name];
    const pid = pidOf[name];
    if (typeof request === "string") why.set(name, request);
    else if (pid === undefined) why.set(name, "no process id to read CPU time from");
    else sides.push({ name, request: request as CpuSide["request"], pid });
  }
  for (const side of sides) await runWrk({ name: `j-settle-${side.name}`, request: side.request, connections: SETTLE.connections, seconds: ctx.seconds(SETTLE.seconds) });
  const rows: Row[] = [];
  const goals: Goal[] = [];
  const notes: string[] = [];
  const cell = (results: Map<string, CpuRun>, side: SideName, pick: (r: CpuRun) => number): Cell => {
    const run = results.get(side);
    return run ? pick(run) : missing(why.get(side) ?? (ONLY_ALONE.includes(side) ? "measured at concurrency 1 only" : "not measured"));
  };
  // Concurrency 1 first: where the metering floor's latency sits against the bare proxy's and keyway's.
  for (const connections of [1, ...ISSUE_17.throughputConnections]) {
    // Four 2 s rounds at 32 and 256 connections: two let one disturbed round (something else on a shared machine) move the figure by a third.
    const rounds = ctx.quick ? 1 : connections === 1 ? 2 : 4;
    const here = connections === 1 ? sides : sides.filter((side) => !ONLY_ALONE.includes(side.name as SideName));
    const results = await cpuInTurns(here, connections, ctx.seconds(2), rounds, `j-c${connections}`);
    const values = (pick: (r: CpuRun) => number) => Object.fromEntries(SIDES.map((side) => [side, cell(results, side, pick)]));
    const cpu = values((r) => r.cpuUsPerRequest);
    const rps = values((r) => r.rps);
    if (connections === 1) {
      rows.push(
        { label: "p50 at concurrency 1 (ms)", values: values((r) => r.p50) },
        { label: "p99 at concurrency 1 (ms)", values: values((r) => r.p99) },
        { label: "CPU per request at concurrency 1 (µs)", values: cpu },
      );
    } else {
      rows.push(
        { label: `**CPU per request** at ${connections} connections (µs)`, values: cpu },
        { label: `requests/s at ${connections} connections`, values: rps },
        { label: `server CPU in use at ${connections} connections (cores)`, values: values((r) => r.cores), ratios: false },
        { label: `p99 at ${connections} connections (ms)`, values: values((r) => r.p99) },
      );
    }
    for (const [side, run] of results) {
      ctx.log(`  j c${connections} ${side}: ${Math.round(run.rps)} req/s, CPU ${run.cpuUsPerRequest.toFixed(1)} µs/request, ${run.cores.toFixed(2)} cores`);
      if (run.errors > 0) notes.push(`${side} at ${connections} connections: ${run.errors} errors (${run.errorDetail})`);
    }
    if (connections === 1) {
      if (typeof floorNoRow !== "string") await stop(floorNoRow.started);
      notes.push(aloneNote(values((r) => r.p50), cpu));
      continue;
    }
    // Where the metering floor and the contract floor alone stand against the same target, and the side against them.
    const floors = [
      { name: "the metering floor", cpu: cpu.floor, rps: rps.floor, it: "the floor" },
      { name: "the contract floor", cpu: cpu.contract, rps: rps.contract, it: "it" },
    ];
    for (const side of ["keyway", "governed"] as const) {
      const label = side === "keyway" ? "keyway" : "keyway with governance on";
      const [c, b, r, rb] = [cpu[side], cpu.bare, rps[side], rps.bare];
      const cpuBeside = floors.map((f) => (isNumber(c) && isNumber(b) && isNumber(f.cpu) ? `; ${f.name} alone ${(f.cpu / b).toFixed(2)}×, ${label} ${(c / f.cpu).toFixed(2)}× ${f.it}` : "")).join("");
      const rpsBeside = floors.map((f) => (isNumber(r) && isNumber(rb) && isNumber(f.rps) ? `; ${f.name} alone ${((100 * f.rps) / rb).toFixed(0)}%` : "")).join("");
      goals.push({
        text: `issue 17: ${label}: CPU per request at most ${ISSUE_17.cpuPerRequestRatio}× the bare proxy's at ${connections} connections`,
        met: isNumber(c) && isNumber(b) ? c <= ISSUE_17.cpuPerRequestRatio * b : undefined,
        measured: isNumber(c) && isNumber(b) ? `${(c / b).toFixed(2)}× (${c.toFixed(1)} vs ${b.toFixed(1)} µs)${cpuBeside}` : "n/a",
      });
      goals.push({
        text: `issue 17: ${label}: zero-delay throughput at least ${ISSUE_17.throughputShare * 100}% of the bare proxy's at ${connections} connections`,
        met: isNumber(r) && isNumber(rb) ? r >= ISSUE_17.throughputShare * rb : undefined,
        measured: isNumber(r) && isNumber(rb) ? `${((100 * r) / rb).toFixed(0)}% (${Math.round(r)} vs ${Math.round(rb)} req/s)${rpsBeside}` : "n/a",
      });
    }
  }
  // Streams: the same sides relaying short zero-delay streams (eight content events, the usage, [DONE]) at 32 connections.
  const streamShape = { api: "openai", model: "gpt-mock-c8-i0", stream: true } as const;
  const streams = await checkedRequests(stack, streamShape, ["bare", "keyway"]);
  // The bare proxy and the floor ask the upstream for the usage as keyway does, so all three relay the same events.
  const bareStream = typeof streams.bare === "string" ? streams.bare : withStreamUsage(streams.bare);
  const floorStream = typeof floor === "string" ? floor : await meteringFloorStreamRequest(bareStream, stack.bareUrl, floor.url);
  const streamRequestOf: Partial<Record<SideName, unknown>> = { bare: bareStream, floor: floorStream, keyway: streams.keyway };
  const streamSides = sides.filter((side) => side.name !== "governed" && side.name !== "contract" && !ONLY_ALONE.includes(side.name as SideName) && typeof streamRequestOf[side.name as SideName] !== "string").map((side) => ({ ...side, request: streamRequestOf[side.name as SideName] as CpuSide["request"] }));
  const streamResults = await cpuInTurns(streamSides, 32, ctx.seconds(2), ctx.quick ? 1 : 3, "j-streams");
  const streamCell = (side: SideName): Cell => {
    const run = streamResults.get(side);
    if (run) return run.cpuUsPerRequest;
    const request = streamRequestOf[side];
    if (ONLY_ALONE.includes(side)) return missing("measured at concurrency 1 only");
    if (side === "contract") return missing("non-stream calls only");
    return missing(typeof request === "string" ? request : side === "governed" ? "not measured for streams" : (why.get(side) ?? "not measured"));
  };
  rows.push({ label: "CPU per stream (8 events, zero delay) at 32 connections (µs)", values: Object.fromEntries(SIDES.map((side) => [side, streamCell(side)])) });
  for (const [side, run] of streamResults) ctx.log(`  j streams c32 ${side}: ${Math.round(run.rps)} streams/s, CPU ${run.cpuUsPerRequest.toFixed(1)} µs/stream`);
  if (typeof floor !== "string") await stop(floor.started);
  if (typeof contract !== "string") await stop(contract.started);
  notes.push(CONTRACT_NOTE);
  notes.push(
    "The metering floor (bench/metering-proxy.ts) is the bare proxy plus what every call through keyway does whatever its configuration: it reads the " +
      "upstream's JSON for the usage and answers with a field added, and writes the call's usage row through keyway's own SQLite store (the same insert and " +
      "hourly-rollup upsert, group-committed, the answer waiting for its row). What keyway spends beyond it is its pipeline: authentication, routing, " +
      "admission, the dialect and adapter, spans and metrics. The floor without its usage row (concurrency 1 only) reads the usage and rewrites the answer " +
      "but writes nothing.",
  );
  return {
    section: {
      id: "j",
      title: "CPU per request: zero-delay throughput at 32 and 256 connections, beside the metering floor and keyway's contract floor",
      method:
        "wrk against the zero-delay upstream (~1.4 KB answer) at 1, then 32, then 256 keep-alive connections: the bare proxy, keyway (admin key, the caller's key in " +
        "`byok_api_key`), keyway with governance on (an account's developer key, its stored OpenAI key, usage recorded), the metering floor (see the notes; at concurrency 1 also without its usage row) and keyway's contract floor (the notes), each first run for " + String(SETTLE.seconds) + " s at " + String(SETTLE.connections) + " connections so that the runtime has compiled its hot code, then after a 1 s warm-up at each level, " +
        "2 s runs taking turns, twice at concurrency 1 and four times at 32 and 256 connections; then the bare proxy, the floor and keyway relaying short streams (eight content events, the usage event all three ask the upstream for, `[DONE]`, no delay) at 32 connections, three 2 s runs each in turns. CPU per request is the server process's user + system CPU time (all threads, from /proc) over the run divided by the " +
        "requests it completed: wrk and the mock share the 2 cores, so the rates move with whatever else runs, the CPU per request much less. " +
        "The ratio columns divide each by the bare proxy's figure.",
      rows,
      notes,
      columns: COLUMNS,
      ratioColumns: [
        { label: "floor / bare", of: "floor", over: "bare" },
        { label: "floor, no row / bare", of: "floorNoRow", over: "bare" },
        { label: "keyway / bare", of: "keyway", over: "bare" },
        { label: "contract / bare", of: "contract", over: "bare" },
        { label: "keyway / floor", of: "keyway", over: "floor" },
        { label: "keyway / contract", of: "keyway", over: "contract" },
        { label: "governed / bare", of: "governed", over: "bare" },
      ],
    },
    goals,
  };
}

/** A floor's server, or why it did not start. */
function serverOrWhy(what: string, start: () => Promise<Server>): Promise<Server | string> {
  return start().catch((error: unknown) => `${what} did not start (${error instanceof Error ? error.message : String(error)})`);
}

/**
 * At concurrency 1 every call's usage row is committed alone and its answer waits for the commit (usage is in the
 * database before the answer ends): how much of the floor's p50 that commit is, and keyway's p50 beside it.
 */
function aloneNote(p50: Record<string, Cell>, cpu: Record<string, Cell>): string {
  const { bare, floor, floorNoRow, contract, keyway } = p50;
  if (!isNumber(bare) || !isNumber(floor) || !isNumber(floorNoRow) || !isNumber(keyway)) return "At concurrency 1: the floor with and without its usage row not both measured.";
  const ms = (value: number) => `${value.toFixed(3)} ms`;
  const rowCpu = isNumber(cpu.floor) && isNumber(cpu.floorNoRow) ? `, ${(cpu.floor - cpu.floorNoRow).toFixed(1)} µs of its CPU` : "";
  return (
    `At concurrency 1 each call's usage row is committed alone, and the answer waits for it: the metering floor's p50 is ${ms(floor - bare)} above the bare proxy's, ` +
    `${ms(floorNoRow - bare)} without the row (the row's commit: ${ms(floor - floorNoRow)} of its p50${rowCpu}); ` +
    (isNumber(contract) ? `the contract floor's ${ms(contract - bare)} above the bare proxy's; ` : "") +
    `keyway's p50 is ${ms(keyway - bare)} above the bare proxy's. ` +
    "`bun bench/stages.ts --connections 1` measures keyway with and without its row."
  );
}

/** A stream request asking for the usage event (`stream_options.include_usage`). */
function withStreamUsage(request: HttpRequest): HttpRequest {
  const body = JSON.parse(request.body) as Record<string, unknown>;
  return { ...request, body: JSON.stringify({ ...body, stream_options: { include_usage: true } }) };
}

/** The bare proxy's stream request sent to the metering floor, once its answer is a whole stream (or why it cannot be measured). */
async function meteringFloorStreamRequest(bare: HttpRequest | string, bareUrl: string, floorUrl: string): Promise<HttpRequest | string> {
  if (typeof bare === "string") return bare;
  const request = { ...bare, url: bare.url.replace(bareUrl, floorUrl) };
  try {
    const response = await fetch(request.url, { method: "POST", headers: request.headers, body: request.body });
    const text = await response.text();
    return response.status === 200 && text.includes("[DONE]") ? request : `the metering floor answered ${response.status} without a whole stream`;
  } catch (error) {
    return `the metering floor did not answer (${error instanceof Error ? error.message : String(error)})`;
  }
}

/** The bare proxy's request sent to the metering floor, once its answer shows it read the usage (or why it cannot be measured). */
async function meteringFloorRequest(bare: HttpRequest | string, bareUrl: string, floorUrl: string): Promise<HttpRequest | string> {
  if (typeof bare === "string") return bare;
  const request = { ...bare, url: bare.url.replace(bareUrl, floorUrl) };
  try {
    const response = await fetch(request.url, { method: "POST", headers: request.headers, body: request.body });
    const json = (await response.json()) as { usage?: unknown; byok_api_key?: unknown };
    if (response.status !== 200 || json.usage === undefined || json.byok_api_key !== true) return `the metering floor answered ${response.status} without usage`;
    return request;
  } catch (error) {
    return `the metering floor did not answer (${error instanceof Error ? error.message : String(error)})`;
  }
}

const CONTRACT_NOTE =
  "keyway's contract floor (bench/contract-floor.ts) is the metering floor plus the rest of what keyway's contract asks of every plain chat call, " +
  "written as directly as the runtime allows: a request id, the keyway key checked by its digest, the body parsed and checked against keyway's chat " +
  "schema, `provider/model` and `byok_api_key` taken out and the upstream body written again, the attempt's timeout, `usage.cost` and `byok_api_key` " +
  "in the answer, keyway's five answer headers, and keyway's usage row with every field keyway fills for such a call. It has none of keyway's " +
  "features (routing, key sources, team policy, admission, health, plugins, spans, metrics, logs) and answers non-stream chat only. A target below " +
  "the contract floor's own ratio cannot be met by any gateway that keeps keyway's contract on this runtime; what keyway spends beyond it is its own.";

/** keyway's request sent to the contract floor, once its answer carries keyway's additions (or why it cannot be measured). */
async function contractFloorRequest(keyway: HttpRequest | string, contractUrl: string): Promise<HttpRequest | string> {
  if (typeof keyway === "string") return keyway;
  const request = sentTo(keyway, contractUrl);
  try {
    const response = await fetch(request.url, { method: "POST", headers: request.headers, body: request.body });
    const json = (await response.json()) as { usage?: { cost?: unknown }; byok_api_key?: unknown };
    const complete = response.status === 200 && json.usage?.cost === 0 && json.byok_api_key === true && response.headers.get("x-provider-used") === "openai";
    return complete ? request : `the contract floor answered ${response.status} without keyway's additions`;
  } catch (error) {
    return `the contract floor did not answer (${error instanceof Error ? error.message : String(error)})`;
  }
}
