// Scenario f: memory: RSS idle, with 1000 open streams, and a minute after they close, on instances of their own.
// Split in two so the minute of waiting runs alongside the other scenarios: open() first, settle() at the end.
// Then 10,000 streams at once through fresh instances of the bare proxy and keyway: open, first byte, RSS, close.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Context } from "../lib/measure.ts";
import { BENCH_DIR, BUN, rssMb, rssPartsMb, type Started, spawnTracked, stop } from "../lib/processes.ts";
import { type Cell, type Goal, isNumber, missing, type Section } from "../lib/report.ts";
import { FETCH_ENV, type Server, startBare, startKeyway, startMock, startPeer, writeKeywayConfig } from "../lib/stack.ts";
import { ISSUE_17, probe, requestFor, type Stack, type TargetName } from "../lib/targets.ts";

const STREAMS = 1000;
const AFTER_MS = 60_000;
const OPEN_TIMEOUT_MS = 10_000;
const GATEWAYS: TargetName[] = ["bare", "keyway", "peer"];
/** The many-streams point runs on the two Bun servers (the peer on Node takes a second per hundred streams here). */
const MANY_GATEWAYS: TargetName[] = ["bare", "keyway"];
const MANY_OPEN_TIMEOUT_MS = 40_000;

/**
 * The hard limit on open files (Bun raises its soft limit to it at start). A gateway holds two sockets per proxied stream
 * (the client's and the upstream's), so the streams it can hold are about half of it; the bench cannot raise a hard limit.
 */
function hardFileLimit(): number | undefined {
  try {
    const line = readFileSync("/proc/self/limits", "utf8").split("\n").find((l) => l.startsWith("Max open files"));
    const hard = line?.trim().split(/\s+/)[4];
    return hard === undefined || hard === "unlimited" ? undefined : Number(hard);
  } catch {
    return undefined;
  }
}

/** 10,000, or as many as two sockets each (and some spare files) allow under the hard limit. */
export function manyStreamsCount(): { count: number; capped?: string } {
  const hard = hardFileLimit();
  const fits = hard === undefined ? ISSUE_17.manyStreams : Math.floor((hard - 200) / 2);
  if (fits >= ISSUE_17.manyStreams) return { count: ISSUE_17.manyStreams };
  return { count: fits, capped: `${fits.toLocaleString("en-US")} streams instead of ${ISSUE_17.manyStreams.toLocaleString("en-US")}: the hard limit on open files here is ${hard} (ulimit -Hn, which the bench cannot raise), and a gateway holds two sockets per stream` };
}

interface Many {
  idle?: number;
  openMs?: number;
  firstBytes?: number;
  open?: number;
  closeMs?: number;
  problem?: string;
}

interface Held {
  server: Server;
  idle?: number;
  /** The idle RSS split: the process's own memory and the pages mapped from files. */
  idleParts?: { anon: number; file: number };
  open?: number;
  firstBytes?: number;
  closedAt?: number;
  problem?: string;
}

export interface MemoryRun {
  held: Partial<Record<TargetName, Held | string>>;
  mock: Server;
  many: Partial<Record<TargetName, Many | string>>;
  manyCount: number;
  manyCapped?: string;
}

async function readLine(reader: ReadableStreamDefaultReader<Uint8Array>, buffer: { text: string }, timeoutMs: number): Promise<string | undefined> {
  const decoder = new TextDecoder();
  const deadline = Date.now() + timeoutMs;
  while (!buffer.text.includes("\n")) {
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    const { value, done } = await Promise.race([reader.read(), Bun.sleep(left).then(() => ({ value: undefined, done: true }))]);
    if (done) return undefined;
    buffer.text += decoder.decode(value, { stream: true });
  }
  const end = buffer.text.indexOf("\n");
  const line = buffer.text.slice(0, end);
  buffer.text = buffer.text.slice(end + 1);
  return line;
}

interface HoldResult {
  /** RSS of the gateway one second after every stream had its first byte (or the open timeout passed). */
  open?: number;
  firstBytes: number;
  openMs: number;
  closeMs: number;
  closedAt: number;
  problem?: string;
}

/** Opens `streams` streams through the gateway at `pid`, reads its RSS with them open, then closes them all. */
async function holdStreams(ctx: Context, target: TargetName, stack: Stack, pid: number, streams = STREAMS, openTimeoutMs = OPEN_TIMEOUT_MS): Promise<HoldResult> {
  const request = requestFor(target, stack, { api: "openai", model: "gpt-mock-c60-i1000", stream: true });
  if (typeof request === "string") throw new Error(request);
  const options = { mode: "hold", ...request, count: streams, openTimeoutMs, maxHoldMs: 90_000 };
  const client: Started = spawnTracked(`f-hold-${target}-${streams}`, [BUN, join(BENCH_DIR, "stream-client.ts"), JSON.stringify(options)], {
    pipeStdout: true,
    stdin: "pipe",
    env: FETCH_ENV,
  });
  const stdout = client.proc.stdout;
  if (!stdout || typeof stdout === "number") throw new Error("no stdout");
  const reader = stdout.getReader();
  const buffer = { text: "" };
  const opened = await readLine(reader, buffer, openTimeoutMs + 20_000);
  if (!opened) throw new Error("the stream client did not report");
  const report = JSON.parse(opened) as { firstBytes: number; errors: number; firstError?: string; ms: number };
  await Bun.sleep(1000);
  const open = rssMb(pid);
  const problem =
    report.firstBytes < streams
      ? `only ${report.firstBytes} of ${streams} streams had their first byte within ${openTimeoutMs / 1000} s${report.firstError ? ` (${report.errors} errors, e.g. ${report.firstError})` : ""}`
      : undefined;
  ctx.log(`  f ${target}: ${report.firstBytes}/${streams} streams open in ${report.ms} ms, RSS ${open?.toFixed(1)} MB`);
  const stdin = client.proc.stdin;
  const closing = performance.now();
  if (stdin && typeof stdin !== "number") {
    stdin.write("close\n");
    await stdin.flush();
  }
  await readLine(reader, buffer, 15_000);
  const closedAt = performance.now();
  await stop(client);
  return { open, firstBytes: report.firstBytes, openMs: report.ms, closeMs: closedAt - closing, closedAt, problem };
}

async function startGateway(target: TargetName, ctx: Context, mock: Server, binary: string): Promise<Server> {
  if (target === "bare") return startBare("f-bare", mock.url);
  if (target === "keyway") return startKeyway("f-keyway", binary, writeKeywayConfig("f-keyway", mock.url, false));
  if (!ctx.stack.peerUrl) throw new Error(ctx.stack.peerMissing ?? "the peer is not running");
  return startPeer("f-peer");
}

export async function openMemoryRun(ctx: Context, binary: string): Promise<MemoryRun> {
  const mock = await startMock("f-mock");
  const { count: manyCount, capped: manyCapped } = manyStreamsCount();
  const run: MemoryRun = { held: {}, mock, many: {}, manyCount, manyCapped };
  for (const target of GATEWAYS) {
    try {
      const server = await startGateway(target, ctx, mock, binary);
      const held: Held = { server };
      run.held[target] = held;
      const stack: Stack = { ...ctx.stack, mockUrl: mock.url, bareUrl: server.url, keywayUrl: server.url, peerUrl: server.url };
      const warm = requestFor(target, stack, { api: "openai", model: "gpt-mock" });
      if (typeof warm === "string") throw new Error(warm);
      for (let i = 0; i < 20; i++) {
        const problem = await probe(warm, /"choices"/);
        if (problem) throw new Error(`warm-up request failed: ${problem}`);
      }
      await Bun.sleep(1500);
      held.idle = rssMb(server.started.pid);
      held.idleParts = rssPartsMb(server.started.pid);
      const result = await holdStreams(ctx, target, stack, server.started.pid);
      held.open = result.open;
      held.firstBytes = result.firstBytes;
      held.closedAt = result.closedAt;
      held.problem = result.problem;
    } catch (error) {
      run.held[target] = error instanceof Error ? error.message : String(error);
    }
  }
  for (const target of MANY_GATEWAYS) {
    if (run.held[target] === undefined || typeof run.held[target] === "string") continue;
    run.many[target] = await holdMany(ctx, target, mock, binary, run.manyCount);
  }
  return run;
}

/** The many-streams point on a fresh instance: idle RSS, then `count` streams opened at once, RSS, and closing them. */
async function holdMany(ctx: Context, target: TargetName, mock: Server, binary: string, count: number): Promise<Many | string> {
  let server: Server | undefined;
  try {
    server = target === "bare" ? await startBare("f-many-bare", mock.url) : await startKeyway("f-many-keyway", binary, writeKeywayConfig("f-many-keyway", mock.url, false));
    const stack: Stack = { ...ctx.stack, mockUrl: mock.url, bareUrl: server.url, keywayUrl: server.url };
    const warm = requestFor(target, stack, { api: "openai", model: "gpt-mock" });
    if (typeof warm === "string") throw new Error(warm);
    for (let i = 0; i < 20; i++) {
      const problem = await probe(warm, /"choices"/);
      if (problem) throw new Error(`warm-up request failed: ${problem}`);
    }
    await Bun.sleep(500);
    const idle = rssMb(server.started.pid);
    const result = await holdStreams(ctx, target, stack, server.started.pid, count, MANY_OPEN_TIMEOUT_MS);
    return { idle, openMs: result.openMs, firstBytes: result.firstBytes, open: result.open, closeMs: result.closeMs, problem: result.problem };
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    if (server) await stop(server.started);
  }
}

export async function settleMemoryRun(ctx: Context, run: MemoryRun): Promise<{ section: Section; goals: Goal[] }> {
  const idle: Partial<Record<TargetName, Cell>> = { direct: missing("no gateway in the path") };
  const open: Partial<Record<TargetName, Cell>> = {};
  const after: Partial<Record<TargetName, Cell>> = {};
  const ratio: Partial<Record<TargetName, Cell>> = {};
  const firsts: Partial<Record<TargetName, Cell>> = {};
  const idleAnon: Partial<Record<TargetName, Cell>> = { direct: missing("no gateway in the path") };
  const idleFile: Partial<Record<TargetName, Cell>> = { direct: missing("no gateway in the path") };
  const notes: string[] = [];
  for (const target of GATEWAYS) {
    const held = run.held[target];
    if (held === undefined || typeof held === "string") {
      idle[target] = idleAnon[target] = idleFile[target] = open[target] = after[target] = ratio[target] = firsts[target] = missing(held ?? "not run");
      continue;
    }
    idleAnon[target] = held.idleParts?.anon ?? missing("no sample");
    idleFile[target] = held.idleParts?.file ?? missing("no sample");
    if (held.closedAt !== undefined) {
      const wait = held.closedAt + AFTER_MS - performance.now();
      if (wait > 0) await Bun.sleep(wait);
    }
    const afterMb = rssMb(held.server.started.pid);
    idle[target] = held.idle ?? missing("no sample");
    open[target] = held.open ?? missing("no sample");
    after[target] = afterMb ?? missing("the process had exited");
    ratio[target] = held.idle && afterMb ? afterMb / held.idle : missing("no sample");
    firsts[target] = held.firstBytes ?? missing("no report");
    if (held.problem) notes.push(`${target}: ${held.problem}`);
    await stop(held.server.started);
  }
  await stop(run.mock.started);
  const n = run.manyCount.toLocaleString("en-US");
  const many = (pick: (m: Many) => number | undefined): Partial<Record<TargetName, Cell>> => {
    const out: Partial<Record<TargetName, Cell>> = { peer: missing(`not run with ${n} streams (Node, and about a second per hundred streams here)`) };
    for (const target of MANY_GATEWAYS) {
      const m = run.many[target];
      const value = m === undefined || typeof m === "string" ? undefined : pick(m);
      out[target] = value ?? missing(typeof m === "string" ? m : "not measured");
    }
    return out;
  };
  for (const target of MANY_GATEWAYS) {
    const m = run.many[target];
    if (m !== undefined && typeof m !== "string" && m.problem) notes.push(`${target}, ${n} streams: ${m.problem}`);
  }
  if (run.manyCapped) notes.push(run.manyCapped);
  notes.push(
    "RSS counts the pages of the executable a process has touched (RssFile): shared with every process running the same file and reclaimable, " +
      "and more of them when more of the file is in the page cache (the kernel maps a touched page's cached neighbours with it), " +
      "so a binary read moments ago, or on a host that reclaims page cache sooner, reads a few MB apart; RssAnon is the process's own memory.",
  );
  const k = { idle: idle.keyway, open: open.keyway, ratio: ratio.keyway };
  const manyOpen = many((m) => m.open);
  const manyFirsts = many((m) => m.firstBytes);
  const kMany = manyOpen.keyway;
  const mb = (cell: Cell | undefined) => (isNumber(cell) ? `${cell.toFixed(1)} MB` : "n/a");
  const goals: Goal[] = [
    { text: "RSS idle under 60 MB", met: isNumber(k.idle) ? k.idle < 60 : undefined, measured: mb(k.idle) },
    { text: `RSS under 250 MB with ${STREAMS} open streams`, met: isNumber(k.open) && firsts.keyway === STREAMS ? k.open < 250 : isNumber(k.open) ? false : undefined, measured: `${mb(k.open)}, ${isNumber(firsts.keyway) ? firsts.keyway : "?"} of ${STREAMS} streams open` },
    {
      text: `issue 17: RSS idle under ${ISSUE_17.idleRssMb} MB`,
      met: isNumber(k.idle) ? k.idle < ISSUE_17.idleRssMb : undefined,
      measured: mb(k.idle),
    },
    {
      text: `issue 17: RSS under ${ISSUE_17.manyStreamsRssMb} MB with ${ISSUE_17.manyStreams.toLocaleString("en-US")} open streams`,
      met: isNumber(kMany) && manyFirsts.keyway === run.manyCount ? kMany < ISSUE_17.manyStreamsRssMb : undefined,
      measured: `${mb(kMany)}, ${isNumber(manyFirsts.keyway) ? manyFirsts.keyway.toLocaleString("en-US") : "?"} of ${n} streams open${run.manyCapped ? " (capped by the open-file limit)" : ""}`,
    },
    { text: "RSS back within 20% of idle a minute after the streams close", met: isNumber(k.ratio) ? k.ratio <= 1.2 : undefined, measured: isNumber(k.ratio) ? `${k.ratio.toFixed(2)}× idle (${mb(after.keyway)})` : "n/a" },
  ];
  return {
    section: {
      id: "f",
      title: "Memory (RSS)",
      method:
        `Separate instances of each gateway (and their own mock). Idle: after start and 20 requests. Then ${STREAMS} streams are opened at once ` +
        "(each would last 60 s, one event a second); RSS is read from /proc one second after every stream has its first byte; the client then closes them all, " +
        "and RSS is read again 60 s later (the other scenarios run meanwhile, against other instances). " +
        `Then fresh instances of the bare proxy and keyway each take ${n} such streams opened at once (100 every 20 ms): the time until the last has its first byte, ` +
        "RSS one second later, and the time until the client has closed them all. MB, except times.",
      rows: [
        { label: "**RSS idle**", values: idle },
        { label: "of which its own memory (RssAnon: heap, stacks, malloc)", values: idleAnon },
        { label: "of which pages mapped from files (RssFile: the executable, libraries)", values: idleFile },
        { label: `**RSS with ${STREAMS} open streams**`, values: open },
        { label: "**RSS 60 s after they closed**", values: after },
        { label: "after / idle", values: ratio, ratios: false },
        { label: "streams that got their first byte", values: firsts, ratios: false },
        { label: `RSS idle, fresh instance for ${n} streams`, values: many((m) => m.idle) },
        { label: `time to open ${n} streams, to the last first byte (ms)`, values: many((m) => m.openMs) },
        { label: `streams that got their first byte, of ${n}`, values: manyFirsts, ratios: false },
        { label: `**RSS with ${n} open streams**`, values: manyOpen },
        { label: `time to close ${n} streams (ms)`, values: many((m) => m.closeMs) },
      ],
      notes,
    },
    goals,
  };
}
