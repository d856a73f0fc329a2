// Runs wrk (closed loop, keep-alive) with bench/post.lua against one URL and reads its JSON summary.
import { join } from "node:path";
import { BENCH_DIR } from "./processes.ts";
import { median } from "./stats.ts";
import { type HttpRequest, requestFile } from "./targets.ts";

export interface WrkResult {
  requests: number;
  seconds: number;
  rps: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Socket errors, timeouts and non-2xx/3xx answers. */
  errors: number;
  errorDetail: string;
}

/** Several runs of one target merged: counts summed, percentiles the median of the runs' percentiles, the worst max. */
export function mergeWrkRuns(runs: readonly WrkResult[]): WrkResult {
  const mid = (pick: (r: WrkResult) => number) => median(runs.map(pick));
  const requests = runs.reduce((n, r) => n + r.requests, 0);
  const seconds = runs.reduce((n, r) => n + r.seconds, 0);
  return {
    requests,
    seconds,
    rps: requests / seconds,
    p50: mid((r) => r.p50),
    p90: mid((r) => r.p90),
    p99: mid((r) => r.p99),
    max: Math.max(...runs.map((r) => r.max)),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    errorDetail: runs.map((r) => r.errorDetail).filter((d) => d !== "").join("; "),
  };
}

interface WrkJson {
  requests: number;
  duration_us: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface WrkOptions {
  name: string;
  request: HttpRequest;
  connections: number;
  seconds: number;
  /** Per-request timeout in seconds (wrk counts slower answers as timeouts). */
  timeoutS?: number;
}

export async function runWrk(options: WrkOptions): Promise<WrkResult> {
  const file = requestFile(options.name, options.request);
  const cmd = [
    "wrk",
    "-t1",
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    `--timeout`,
    `${options.timeoutS ?? 5}s`,
    "-s",
    join(BENCH_DIR, "post.lua"),
    options.request.url,
  ];
  const proc = Bun.spawn(cmd, { env: { ...process.env, WRK_REQUEST: file }, stdout: "pipe", stderr: "pipe" });
  const killer = setTimeout(() => proc.kill("SIGKILL"), (options.seconds + 30) * 1000);
  const [stdout, stderr] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  await proc.exited;
  clearTimeout(killer);
  const line = stdout.split("\n").find((l) => l.startsWith("WRK_JSON "));
  if (!line) throw new Error(`wrk gave no summary for ${options.name}: ${(stderr || stdout).slice(-300)}`);
  const j = JSON.parse(line.slice("WRK_JSON ".length)) as WrkJson;
  const seconds = j.duration_us / 1e6;
  const errors = j.connect + j.read + j.write + j.status + j.timeout;
  const parts = Object.entries({ connect: j.connect, read: j.read, write: j.write, "non-2xx": j.status, timeout: j.timeout }).filter(([, n]) => n > 0);
  return {
    requests: j.requests,
    seconds,
    rps: j.requests / seconds,
    p50: j.p50 / 1000,
    p90: j.p90 / 1000,
    p99: j.p99 / 1000,
    max: j.max / 1000,
    errors,
    errorDetail: parts.map(([k, n]) => `${n} ${k}`).join(", "),
  };
}
