// JavaScript heap allocated a request: keyway (from a source tree), the contract floor, the metering floor and the bare
// proxy, each under wrk in turns at a zero-delay upstream, read from JavaScriptCore's GC log (BUN_JSC_logGC=1: each
// collection says how many bytes were allocated since the one before; their sum over a round, divided by the round's
// requests). Allocation is what the main thread's allocator and collections, and the collector's own threads
// (JSCWarmUp, HeapHelper), spend CPU on beside the code itself. Only a collection the allocator asks for logs its
// bytes, so the sum leaves some out, more or less by side and run: compare sides measured in turns (bench/README).
// `bun bench/alloc.ts [--tree PATH] [--connections 32] [--seconds 4] [--rounds 2] [--warmup 6] [--stream]`
// (--stream: short zero-delay streams; the contract floor, which answers plain chat only, is left out.)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { flag } from "./lib/flags.ts";
import { LOG_DIR, stopAll } from "./lib/processes.ts";
import { ensureWrk, REPO_DIR } from "./lib/setup.ts";
import { fromSource, startBare, startContractFloor, startKeyway, startMeteringFloor, startMock, writeKeywayConfig } from "./lib/stack.ts";
import { type HttpRequest, requestFor, sentTo, type Stack } from "./lib/targets.ts";
import { runWrk } from "./lib/wrk.ts";

/** Bytes the GC log of a side's process has reported allocated so far. */
function allocatedBytes(name: string): number {
  let sum = 0;
  for (const match of readFileSync(join(LOG_DIR, `${name}.log`), "utf8").matchAll(/bytes allocated this cycle: (\d+)/g)) sum += Number(match[1]);
  return sum;
}

async function main(): Promise<void> {
  ensureWrk();
  const streaming = process.argv.includes("--stream");
  const mock = await startMock("alloc-mock");
  // Every side started from here on logs its collections (the mock, started before, does not).
  process.env.BUN_JSC_logGC = "1";
  const setup = writeKeywayConfig("alloc-keyway", mock.url, false);
  const keyway = await startKeyway("alloc-keyway", fromSource(flag("tree", REPO_DIR)), setup);
  const bare = await startBare("alloc-bare", mock.url);
  const floor = await startMeteringFloor("alloc-floor", mock.url);
  const stack: Stack = { mockUrl: mock.url, bareUrl: bare.url, keywayUrl: keyway.url, keywayAnthropic: "not used", storedKey: "not used" };
  const shape = { api: "openai", model: flag("model", streaming ? "gpt-mock-c8-i0" : "gpt-mock"), stream: streaming } as const;
  const toKeyway = requestFor("keyway", stack, shape);
  const toBare = requestFor("bare", stack, shape);
  if (typeof toKeyway === "string" || typeof toBare === "string") throw new Error(String(typeof toKeyway === "string" ? toKeyway : toBare));
  const sides: [string, HttpRequest][] = [["alloc-keyway", toKeyway]];
  if (!streaming) sides.push(["alloc-contract", sentTo(toKeyway, (await startContractFloor("alloc-contract", mock.url)).url)]);
  sides.push(["alloc-floor", sentTo(toBare, floor.url)], ["alloc-bare", toBare]);
  const connections = Number(flag("connections", "32"));
  for (const [name, request] of sides) await runWrk({ name: `${name}-warmup`, request, connections, seconds: Number(flag("warmup", "6")) });
  const perRequest = new Map<string, number[]>(sides.map(([name]) => [name, []]));
  for (let round = 0; round < Number(flag("rounds", "2")); round++) {
    for (const [name, request] of sides) {
      const before = allocatedBytes(name);
      const result = await runWrk({ name, request, connections, seconds: Number(flag("seconds", "4")) });
      // The collections that end the round are logged a moment after wrk stops.
      await Bun.sleep(300);
      perRequest.get(name)?.push((allocatedBytes(name) - before) / result.requests / 1024);
    }
  }
  console.log(`JavaScript heap allocated a request at ${connections} connections${streaming ? " (streams)" : ""}, KB (each round):`);
  for (const [name, rounds] of perRequest) console.log(`  ${name.replace("alloc-", "").padEnd(9)} ${rounds.map((kb) => kb.toFixed(2)).join("  ")}`);
}

try {
  await main();
} finally {
  await stopAll();
}
