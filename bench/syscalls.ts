// System calls a call costs at concurrency 1, on the server's main thread: the metering floor with and without its
// usage row, and keyway from src/, each counted by `strace -c` on its main thread while one call follows another.
// Whether keyway's row costs more I/O than the floor's (it does not: the same writes, locks and waits a call) is what
// this answers. Needs strace (`apt-get install -y strace`); Linux only.
// `bun bench/syscalls.ts [--calls 3000] [--stream [--model gpt-mock-c8-i0]]` (--stream: each call a stream, read to its end)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { flag } from "./lib/flags.ts";
import { stopAll, WORK_DIR } from "./lib/processes.ts";
import { fromSource, startBare, startKeyway, startMeteringFloor, startMock, writeKeywayConfig } from "./lib/stack.ts";
import { type HttpRequest, requestFor } from "./lib/targets.ts";

interface Side {
  name: string;
  request: HttpRequest;
  pid: number;
}

const send = async (request: HttpRequest) => (await fetch(request.url, { method: "POST", headers: request.headers, body: request.body })).text();

/** `strace -c`'s table as calls a request, by system call (those made at least once in twenty calls). */
function perCall(table: string, calls: number): [string, number][] {
  const rows: [string, number][] = [];
  for (const line of table.split("\n")) {
    const cells = line.trim().split(/\s+/);
    const name = cells.at(-1) as string;
    const count = Number(cells[3]);
    if (cells.length >= 5 && /^\d/.test(cells[0] as string) && name !== "total" && count / calls >= 0.05) rows.push([name, count / calls]);
  }
  return rows;
}

async function main(): Promise<void> {
  const calls = Number(flag("calls", "3000"));
  if (Bun.spawnSync(["strace", "-V"], { stdout: "ignore", stderr: "ignore" }).exitCode !== 0) throw new Error("strace is not installed (apt-get install -y strace)");
  const mock = await startMock("syscalls-mock");
  const bare = await startBare("syscalls-bare", mock.url);
  const floor = await startMeteringFloor("syscalls-floor", mock.url);
  const floorNoRow = await startMeteringFloor("syscalls-floor-no-row", mock.url, ["--no-row"]);
  const setup = writeKeywayConfig("syscalls-keyway", mock.url, false);
  const keyway = await startKeyway("syscalls-keyway", fromSource(), setup);
  const keywayUrl = keyway.url;
  const stream = process.argv.includes("--stream");
  const shape = { api: "openai", model: flag("model", stream ? "gpt-mock-c8-i0" : "gpt-mock"), stream } as const;
  const stack = { mockUrl: mock.url, bareUrl: bare.url, keywayUrl, keywayAnthropic: "not used", storedKey: "not used" };
  const bareRequest = requestFor("bare", stack, shape);
  const keywayRequest = requestFor("keyway", stack, shape);
  if (typeof bareRequest === "string" || typeof keywayRequest === "string") throw new Error("no request for a side");
  const sides: Side[] = [
    { name: "metering floor", request: { ...bareRequest, url: bareRequest.url.replace(bare.url, floor.url) }, pid: floor.started.pid },
    { name: "metering floor without its row", request: { ...bareRequest, url: bareRequest.url.replace(bare.url, floorNoRow.url) }, pid: floorNoRow.started.pid },
    { name: "keyway", request: keywayRequest, pid: keyway.started.pid },
  ];
  const tables: [string, [string, number][]][] = [];
  for (const side of sides) {
    for (let i = 0; i < 500; i++) await send(side.request);
    const out = join(WORK_DIR, `syscalls-${side.pid}.txt`);
    // -p on the process's id traces its main thread only (the thread whose id is the process's).
    const tracer = Bun.spawn(["strace", "-c", "-o", out, "-p", String(side.pid)], { stdout: "ignore", stderr: "ignore" });
    await Bun.sleep(300);
    for (let i = 0; i < calls; i++) await send(side.request);
    tracer.kill("SIGINT");
    await tracer.exited;
    tables.push([side.name, perCall(readFileSync(out, "utf8"), calls)]);
  }
  console.log(`\nsystem calls a call on the main thread, ${calls} ${stream ? `streams of ${shape.model}` : "calls"} one after another\n`);
  const names = [...new Set(tables.flatMap(([, rows]) => rows.map(([name]) => name)))].sort();
  console.log(`${"".padEnd(16)}${tables.map(([name]) => name.padStart(32)).join("")}`);
  for (const name of names) {
    const cells = tables.map(([, rows]) => (rows.find(([n]) => n === name)?.[1] ?? 0).toFixed(2).padStart(32));
    console.log(`${name.padEnd(16)}${cells.join("")}`);
  }
}

try {
  await main();
} finally {
  await stopAll();
}
