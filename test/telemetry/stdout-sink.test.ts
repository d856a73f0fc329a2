import { describe, expect, test } from "bun:test";
import { bufferedSink } from "../../src/telemetry/stdout-sink.ts";

function captured(options: { flushMs?: number; maxChars?: number } = {}) {
  const writes: string[] = [];
  const out = bufferedSink({ ...options, write: (text) => writes.push(text) });
  return { writes, ...out };
}

describe("buffered stdout sink", () => {
  test("lines wait for the timer, then go out in one write, in order", async () => {
    const { writes, sink } = captured({ flushMs: 10 });
    sink("one");
    sink("two");
    sink("three");
    expect(writes).toEqual([]);
    await Bun.sleep(40);
    expect(writes).toEqual(["one\ntwo\nthree\n"]);
  });

  test("a full buffer is written at once, without waiting", () => {
    const { writes, sink } = captured({ flushMs: 60_000, maxChars: 10 });
    sink("12345");
    expect(writes).toEqual([]);
    sink("67890");
    expect(writes).toEqual(["12345\n67890\n"]);
  });

  test("flush writes what is left and nothing twice; later lines start a new batch", async () => {
    const { writes, sink, flush } = captured({ flushMs: 10 });
    sink("a");
    flush();
    flush();
    expect(writes).toEqual(["a\n"]);
    sink("b");
    await Bun.sleep(40);
    expect(writes).toEqual(["a\n", "b\n"]);
  });

  test("a process that exits writes its buffered lines first", () => {
    const script = `import { bufferedSink } from ${JSON.stringify(`${import.meta.dir}/../../src/telemetry/stdout-sink.ts`)};
const { sink } = bufferedSink({ flushMs: 60_000 });
for (let i = 0; i < 1000; i++) sink("line " + i);
process.exit(0);`;
    const run = Bun.spawnSync([process.execPath, "-e", script], { stdout: "pipe", stderr: "pipe" });
    const lines = run.stdout.toString().trim().split("\n");
    expect(lines).toHaveLength(1000);
    expect(lines[0]).toBe("line 0");
    expect(lines[999]).toBe("line 999");
  });
});
