// The compiled binary's `serve` runs itself again with BUN_CONFIG_MAX_HTTP_REQUESTS in its environment:
// Bun reads that variable only at process start, and without it fetch queues past 256 upstream requests.
// This process stays as a thin parent: same argv and stdio, signals handed on, the child's exit passed back.

export const HTTP_REQUESTS_VARIABLE = "BUN_CONFIG_MAX_HTTP_REQUESTS";
/** The most Bun allows. */
export const HTTP_REQUESTS_LIMIT = "65535";
/** Set in the child: the parent's pid, so the child stops when the parent is gone (killed with SIGKILL). */
export const PARENT_VARIABLE = "KEYWAY_PARENT_PID";

const FORWARDED: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** True when this process should serve through a child that has the variable: the binary, without it set. */
export function needsRelaunch(env: Record<string, string | undefined>): boolean {
  return Bun.isStandaloneExecutable && !env[HTTP_REQUESTS_VARIABLE];
}

/** Runs `argv` in a child with the variable set; resolves with its exit code, or ends this process by its signal. */
export async function relaunch(argv: string[]): Promise<number> {
  const child = Bun.spawn([process.execPath, ...argv], {
    env: { ...process.env, [HTTP_REQUESTS_VARIABLE]: HTTP_REQUESTS_LIMIT, [PARENT_VARIABLE]: String(process.pid) },
    stdio: ["inherit", "inherit", "inherit"],
  });
  const handOn = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of FORWARDED) process.on(signal, handOn);
  const code = await child.exited;
  for (const signal of FORWARDED) process.off(signal, handOn);
  if (child.signalCode) {
    // End the same way, so whoever started keyway sees the signal, not a made-up exit code.
    process.kill(process.pid, child.signalCode);
    await Bun.sleep(1000);
  }
  return code;
}

/** In a relaunched child: calls `stop` once the parent is gone (it never outlives its parent holding the port). */
export function stopWithParent(env: Record<string, string | undefined>, stop: () => void): void {
  const parent = Number(env[PARENT_VARIABLE]);
  if (!Number.isInteger(parent) || parent <= 1) return;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      stop();
    }
  }, 1000);
  timer.unref();
}
