// CPU time a server process spends per request while wrk drives it: user + system time of all its threads, read from
// /proc before and after the run, divided by the requests completed. Unlike rates and latencies, this does not move
// much when something else on the machine takes a core, so it compares gateways fairly on a busy machine.
import { readFileSync } from "node:fs";
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

export interface CpuRun extends WrkResult {
  /** CPU microseconds the server used per completed request. */
  cpuUsPerRequest: number;
  /** Cores the server kept busy on average (CPU time / wall time). */
  cores: number;
}

/** One wrk run against `request` with the server's CPU time read around it. */
export async function wrkWithCpu(name: string, request: HttpRequest, serverPid: number, connections: number, seconds: number, thread?: number): Promise<CpuRun> {
  const before = cpuMs(serverPid, thread);
  const result = await runWrk({ name, request, connections, seconds });
  const after = cpuMs(serverPid, thread);
  if (before === undefined || after === undefined) throw new Error(`${name}: the server process is gone`);
  const cpu = after - before;
  return { ...result, cpuUsPerRequest: result.requests > 0 ? (cpu * 1000) / result.requests : Number.NaN, cores: cpu / 1000 / result.seconds };
}

/** Several runs of one side merged: rates and CPU summed over all of them. */
export function mergeCpuRuns(runs: readonly CpuRun[]): CpuRun {
  const merged = mergeWrkRuns(runs);
  const cpuMsTotal = runs.reduce((n, r) => n + (r.cpuUsPerRequest * r.requests) / 1000, 0);
  return {
    ...merged,
    cpuUsPerRequest: merged.requests > 0 ? (cpuMsTotal * 1000) / merged.requests : Number.NaN,
    cores: cpuMsTotal / 1000 / merged.seconds,
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
export async function cpuInTurns(sides: readonly CpuSide[], connections: number, seconds: number, rounds: number, label: string): Promise<Map<string, CpuRun>> {
  for (const side of sides) await runWrk({ name: `${label}-${side.name}-warmup`, request: side.request, connections, seconds: 1 });
  const runs = new Map<string, CpuRun[]>();
  for (let round = 0; round < rounds; round++) {
    for (const side of sides) {
      const run = await wrkWithCpu(`${label}-${side.name}-${round}`, side.request, side.pid, connections, seconds, side.thread);
      runs.set(side.name, [...(runs.get(side.name) ?? []), run]);
    }
  }
  return new Map([...runs].map(([name, list]) => [name, mergeCpuRuns(list)]));
}
