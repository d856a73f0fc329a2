// Linux process inspection for tests that check what a command left running: descendants, liveness, environment.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { connect } from "node:net";

export const canInspectProcesses = existsSync("/proc/self/task");

/** Every process started under `pid` (children, their children, ...), from /proc. */
export function descendants(pid: number): number[] {
  const found: number[] = [];
  const tasks = `/proc/${pid}/task`;
  if (!existsSync(tasks)) return found;
  for (const task of readdirSync(tasks)) {
    let children = "";
    try {
      children = readFileSync(`${tasks}/${task}/children`, "utf8");
    } catch {
      continue;
    }
    for (const child of children.split(" ").filter(Boolean).map(Number)) found.push(child, ...descendants(child));
  }
  return found;
}

/** Running (not gone, not a zombie). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
  } catch {
    return false;
  }
}

/** The environment a process started with. */
export function environmentOf(pid: number): Record<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").filter(Boolean);
  return Object.fromEntries(entries.map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]));
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.on("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

/** Polls until `done` holds or `ms` pass. */
export async function waitFor(done: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !(await done())) await Bun.sleep(100);
}
