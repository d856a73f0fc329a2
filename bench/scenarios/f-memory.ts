// Scenario f: memory: RSS idle, with 1000 open streams, and a minute after they close, on instances of their own.
// Split in two so the minute of waiting runs alongside the other scenarios: open() first, settle() at the end.
import { join } from "node:path";
import type { Context } from "../lib/measure.ts";
import { BENCH_DIR, BUN, rssMb, type Started, spawnTracked, stop } from "../lib/processes.ts";
import { type Cell, type Goal, isNumber, missing, type Section } from "../lib/report.ts";
import { FETCH_ENV, type Server, startBare, startKeyway, startMock, startPeer, writeKeywayConfig } from "../lib/stack.ts";
import { probe, requestFor, type Stack, type TargetName } from "../lib/targets.ts";

const STREAMS = 1000;
const AFTER_MS = 60_000;
const OPEN_TIMEOUT_MS = 10_000;
const GATEWAYS: TargetName[] = ["bare", "keyway", "peer"];

interface Held {
  server: Server;
  idle?: number;
  open?: number;
  firstBytes?: number;
  closedAt?: number;
  problem?: string;
}

export interface MemoryRun {
  held: Partial<Record<TargetName, Held | string>>;
  mock: Server;
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

async function holdStreams(ctx: Context, target: TargetName, stack: Stack, held: Held): Promise<void> {
  const request = requestFor(target, stack, { api: "openai", model: "gpt-mock-c60-i1000", stream: true });
  if (typeof request === "string") throw new Error(request);
  const options = { mode: "hold", ...request, count: STREAMS, openTimeoutMs: OPEN_TIMEOUT_MS, maxHoldMs: 60_000 };
  const client: Started = spawnTracked(`f-hold-${target}`, [BUN, join(BENCH_DIR, "stream-client.ts"), JSON.stringify(options)], {
    pipeStdout: true,
    stdin: "pipe",
    env: FETCH_ENV,
  });
  const stdout = client.proc.stdout;
  if (!stdout || typeof stdout === "number") throw new Error("no stdout");
  const reader = stdout.getReader();
  const buffer = { text: "" };
  const opened = await readLine(reader, buffer, 30_000);
  if (!opened) throw new Error("the stream client did not report");
  const report = JSON.parse(opened) as { firstBytes: number; errors: number; firstError?: string; ms: number };
  await Bun.sleep(1000);
  held.open = rssMb(held.server.started.pid);
  held.firstBytes = report.firstBytes;
  if (report.firstBytes < STREAMS) held.problem = `only ${report.firstBytes} of ${STREAMS} streams had their first byte within ${OPEN_TIMEOUT_MS / 1000} s${report.firstError ? ` (${report.errors} errors, e.g. ${report.firstError})` : ""}`;
  ctx.log(`  f ${target}: ${report.firstBytes}/${STREAMS} streams open in ${report.ms} ms, RSS ${held.open?.toFixed(1)} MB`);
  const stdin = client.proc.stdin;
  if (stdin && typeof stdin !== "number") {
    stdin.write("close\n");
    await stdin.flush();
  }
  await readLine(reader, buffer, 10_000);
  held.closedAt = performance.now();
  await stop(client);
}

async function startGateway(target: TargetName, ctx: Context, mock: Server, binary: string): Promise<Server> {
  if (target === "bare") return startBare("f-bare", mock.url);
  if (target === "keyway") return startKeyway("f-keyway", binary, writeKeywayConfig("f-keyway", mock.url, false));
  if (!ctx.stack.peerUrl) throw new Error(ctx.stack.peerMissing ?? "the peer is not running");
  return startPeer("f-peer");
}

export async function openMemoryRun(ctx: Context, binary: string): Promise<MemoryRun> {
  const mock = await startMock("f-mock");
  const run: MemoryRun = { held: {}, mock };
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
      await holdStreams(ctx, target, stack, held);
    } catch (error) {
      run.held[target] = error instanceof Error ? error.message : String(error);
    }
  }
  return run;
}

export async function settleMemoryRun(ctx: Context, run: MemoryRun): Promise<{ section: Section; goals: Goal[] }> {
  const idle: Partial<Record<TargetName, Cell>> = { direct: missing("no gateway in the path") };
  const open: Partial<Record<TargetName, Cell>> = {};
  const after: Partial<Record<TargetName, Cell>> = {};
  const ratio: Partial<Record<TargetName, Cell>> = {};
  const firsts: Partial<Record<TargetName, Cell>> = {};
  const notes: string[] = [];
  for (const target of GATEWAYS) {
    const held = run.held[target];
    if (held === undefined || typeof held === "string") {
      idle[target] = open[target] = after[target] = ratio[target] = firsts[target] = missing(held ?? "not run");
      continue;
    }
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
  const k = { idle: idle.keyway, open: open.keyway, ratio: ratio.keyway };
  const mb = (cell: Cell | undefined) => (isNumber(cell) ? `${cell.toFixed(1)} MB` : "n/a");
  const goals: Goal[] = [
    { text: "RSS idle under 60 MB", met: isNumber(k.idle) ? k.idle < 60 : undefined, measured: mb(k.idle) },
    { text: `RSS under 250 MB with ${STREAMS} open streams`, met: isNumber(k.open) && firsts.keyway === STREAMS ? k.open < 250 : isNumber(k.open) ? false : undefined, measured: `${mb(k.open)}, ${isNumber(firsts.keyway) ? firsts.keyway : "?"} of ${STREAMS} streams open` },
    { text: "RSS back within 20% of idle a minute after the streams close", met: isNumber(k.ratio) ? k.ratio <= 1.2 : undefined, measured: isNumber(k.ratio) ? `${k.ratio.toFixed(2)}× idle (${mb(after.keyway)})` : "n/a" },
  ];
  return {
    section: {
      id: "f",
      title: "Memory (RSS)",
      method:
        `Separate instances of each gateway (and their own mock). Idle: after start and 20 requests. Then ${STREAMS} streams are opened at once ` +
        "(each would last 60 s, one event a second); RSS is read from /proc one second after every stream has its first byte; the client then closes them all, " +
        "and RSS is read again 60 s later (the other scenarios run meanwhile, against other instances). MB.",
      rows: [
        { label: "**RSS idle**", values: idle },
        { label: `**RSS with ${STREAMS} open streams**`, values: open },
        { label: "**RSS 60 s after they closed**", values: after },
        { label: "after / idle", values: ratio, ratios: false },
        { label: "streams that got their first byte", values: firsts, ratios: false },
      ],
      notes,
    },
    goals,
  };
}
