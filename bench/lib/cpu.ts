// CPU time a server process spends per request while wrk drives it: user + system time of all its threads, read from
// /proc before and after the run, divided by the requests completed. Unlike rates and latencies, this does not move
// much when something else on the machine takes a core, so it compares gateways fairly on a busy machine.
import { readdirSync, readFileSync } from "node:fs";
import type { HttpRequest } from "./targets.ts";
import { mergeWrkRuns, runWrk, type WrkResult } from "./wrk.ts";

const TICKS_PER_SECOND = 100;

/**
 * User + system CPU milliseconds a process has used so far (all threads, exited ones included), or with `thread` one
 * of its threads (the main thread's id is the process's); undefined once it is gone.
 */
export function cpuMs(pid: number, thread?: number): number | undefined {
  try {
    const stat = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, "utf8");
    // Fields after "(comm)": state is [0], utime [11], stime [12] (man 5 proc).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * CPU milliseconds of each of a process's live threads so far, summed by thread name ("main" for the main thread;
 * the runtime names the others: "HTTP Client", "HeapHelper", "JITWorker", "Bun Pool 0", ...).
 */
export function threadCpuMs(pid: number): Record<string, number> {
  const byName: Record<string, number> = {};
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return byName;
  }
  for (const task of tasks) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, "utf8");
      const name = task === String(pid) ? "main" : stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      byName[name] = (byName[name] ?? 0) + ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
    } catch {
      // the thread ended meanwhile
    }
  }
  return byName;
}

export interface CpuRun extends WrkResult {
  /** CPU microseconds the server used per completed request. */
  cpuUsPerRequest: number;
  /** Cores the server kept busy on average (CPU time / wall time). */
  cores: number;
  /** CPU microseconds per completed request by thread name (whole-process runs only). */
  threads?: Record<string, number>;
}

/** One wrk run against `request` with the server's CPU time read around it. */
export async function wrkWithCpu(name: string, request: HttpRequest, serverPid: number, connections: number, seconds: number, thread?: number): Promise<CpuRun> {
  const before = cpuMs(serverPid, thread);
  const threadsBefore = thread === undefined ? threadCpuMs(serverPid) : undefined;
  const result = await runWrk({ name, request, connections, seconds });
  const after = cpuMs(serverPid, thread);
  if (before === undefined || after === undefined) throw new Error(`${name}: the server process is gone`);
  const cpu = after - before;
  const perRequest = (ms: number) => (result.requests > 0 ? (ms * 1000) / result.requests : Number.NaN);
  const threads = threadsBefore && Object.fromEntries(Object.entries(threadCpuMs(serverPid)).map(([n, ms]) => [n, perRequest(ms - (threadsBefore[n] ?? 0))]));
  return { ...result, cpuUsPerRequest: perRequest(cpu), cores: cpu / 1000 / result.seconds, threads };
}

/** Several runs of one side merged: rates and CPU summed over all of them. */
export function mergeCpuRuns(runs: readonly CpuRun[]): CpuRun {
  const merged = mergeWrkRuns(runs);
  const cpuMsTotal = runs.reduce((n, r) => n + (r.cpuUsPerRequest * r.requests) / 1000, 0);
  const threadMs: Record<string, number> = {};
  for (const run of runs) for (const [name, us] of Object.entries(run.threads ?? {})) threadMs[name] = (threadMs[name] ?? 0) + (us * run.requests) / 1000;
  return {
    ...merged,
    cpuUsPerRequest: merged.requests > 0 ? (cpuMsTotal * 1000) / merged.requests : Number.NaN,
    cores: cpuMsTotal / 1000 / merged.seconds,
    threads: runs.some((r) => r.threads) ? Object.fromEntries(Object.entries(threadMs).map(([n, ms]) => [n, (ms * 1000) / merged.requests])) : undefined,
  };
}

export interface CpuSide {
  name: string;
  request: HttpRequest;
  pid: number;
  /** Count one thread only (the main thread: the pid itself). */
  thread?: number;
}

/** The sides in turns (a, b, c, a, b, c, ...) at one connection count, after a warm-up of each; merged per side. */
export async function cpuInTurns(sides: readonly CpuSide[], connections: number, seconds: number, rounds: number, label: string, warmupSeconds = 1): Promise<Map<string, CpuRun>> {
  for (const side of sides) await runWrk({ name: `${label}-${side.name}-warmup`, request: side.request, connections, seconds: warmupSeconds });
  const runs = new Map<string, CpuRun[]>();
  for (let round = 0; round < rounds; round++) {
    for (const side of sides) {
      const run = await wrkWithCpu(`${label}-${side.name}-${round}`, side.request, side.pid, connections, seconds, side.thread);
      runs.set(side.name, [...(runs.get(side.name) ?? []), run]);
    }
  }
  return new Map([...runs].map(([name, list]) => [name, mergeCpuRuns(list)]));
}
