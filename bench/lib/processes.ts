// Every process the bench starts: spawned here, logged to bench/.work/logs, and all stopped on exit, even on failure.
import { mkdirSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";

export const BENCH_DIR = import.meta.dir.replace(/\/lib$/, "");
export const WORK_DIR = join(BENCH_DIR, ".work");
export const LOG_DIR = join(WORK_DIR, "logs");
export const BUN = process.execPath;

export interface Started {
  name: string;
  proc: Subprocess<"ignore" | "pipe", "pipe" | number, number>;
  pid: number;
  startedAt: number;
}

const running = new Map<number, Started>();

export interface SpawnOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Read stdout (e.g. a {"port":N} line); otherwise it goes to the log file. */
  pipeStdout?: boolean;
  stdin?: "ignore" | "pipe";
}

export function spawnTracked(name: string, cmd: string[], options: SpawnOptions = {}): Started {
  mkdirSync(LOG_DIR, { recursive: true });
  const log = openSync(join(LOG_DIR, `${name}.log`), "w");
  const proc = Bun.spawn(cmd, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdin: options.stdin ?? "ignore",
    stdout: options.pipeStdout ? "pipe" : log,
    stderr: log,
  });
  const started: Started = { name, proc, pid: proc.pid, startedAt: performance.now() };
  running.set(proc.pid, started);
  void proc.exited.then(() => running.delete(proc.pid));
  return started;
}

/** The first stdout line that parses as JSON with a `port` (mock, bare proxy). */
export async function readPort(started: Started, timeoutMs = 10_000): Promise<number> {
  const stdout = started.proc.stdout;
  if (!stdout || typeof stdout === "number") throw new Error(`${started.name}: stdout is not piped`);
  const reader = stdout.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { value, done } = await Promise.race([reader.read(), Bun.sleep(deadline - Date.now()).then(() => ({ value: undefined, done: true }))]);
    if (done) break;
    text += decoder.decode(value, { stream: true });
    const match = /\{"port":(\d+)\}/.exec(text);
    if (match) {
      reader.releaseLock();
      return Number(match[1]);
    }
  }
  throw new Error(`${started.name} did not report its port (see ${join(LOG_DIR, `${started.name}.log`)}): ${text.slice(0, 300)}`);
}

/** Polls `url` until it answers at all (any status), or fails with the process's log tail. */
export async function waitForHttp(started: Started, url: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started.proc.exitCode !== null) break;
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await Bun.sleep(20);
    }
  }
  throw new Error(`${started.name} did not start listening at ${url}: ${logTail(started.name)}`);
}

export function logTail(name: string, chars = 600): string {
  try {
    return readFileSync(join(LOG_DIR, `${name}.log`), "utf8").slice(-chars).trim() || "(empty log)";
  } catch {
    return "(no log)";
  }
}

/** Resident set size of a process in MB, from /proc; undefined once it has exited. */
export function rssMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/**
 * A process's resident memory split in MB: `anon`, its own (heap, stacks, malloc); `file`, pages mapped from files (the
 * executable's code and embedded modules, shared libraries), shared with other processes and reclaimable.
 */
export function rssPartsMb(pid: number): { anon: number; file: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const anon = /RssAnon:\s+(\d+) kB/.exec(status)?.[1];
    const file = /RssFile:\s+(\d+) kB/.exec(status)?.[1];
    return anon === undefined || file === undefined ? undefined : { anon: Number(anon) / 1024, file: Number(file) / 1024 };
  } catch {
    return undefined;
  }
}

export async function stop(started: Started, graceMs = 2000): Promise<void> {
  if (started.proc.exitCode !== null || started.proc.signalCode !== null) return;
  started.proc.kill("SIGTERM");
  const exited = await Promise.race([started.proc.exited.then(() => true), Bun.sleep(graceMs).then(() => false)]);
  if (!exited) {
    started.proc.kill("SIGKILL");
    await started.proc.exited;
  }
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running.values()].map((started) => stop(started)));
}

/** Kills what is left synchronously (for process exit handlers, where nothing can be awaited). */
export function killAllNow(): void {
  for (const started of running.values()) {
    try {
      started.proc.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** A port that was free a moment ago (for servers that must be told their port). */
export function freePort(): number {
  const socket = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = socket.port;
  socket.stop(true);
  return port;
}
