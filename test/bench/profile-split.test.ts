// The bench's profile split (scenario k): which part a sample is counted in, and which samples count.
import { describe, expect, test } from "bun:test";
import { type CpuProfile, partOf, splitProfile } from "../../bench/lib/profile-split.ts";

const frame = (functionName: string, url = "") => ({ functionName, url, lineNumber: 0 });
const SRC = "/repo/src";

describe("partOf", () => {
  test("a stack without any JavaScript file is the runtime's server and event loop", () => {
    expect(partOf([frame("(anonymous)")])).toBe("runtime: HTTP server and event loop (no JavaScript on the stack)");
    expect(partOf([frame("anonymous", "node:net")])).toBe("runtime: HTTP server and event loop (no JavaScript on the stack)");
  });

  test("native code is counted by what it does, whoever called it", () => {
    expect(partOf([frame("fetch"), frame("upstreamFetch", `${SRC}/providers/upstream-fetch.ts`)])).toBe("runtime: fetch (the upstream request)");
    expect(partOf([frame("stringify"), frame("POST", "/repo/bench/contract-floor.ts")])).toBe("runtime: JSON parse and stringify");
    expect(partOf([frame("run"), frame("#run", "bun:sqlite"), frame("insertMany", `${SRC}/store/sqlite/usage-repo.ts`)])).toBe(
      "runtime: SQLite (the usage row's statements and commit)",
    );
    expect(partOf([frame("addEventListener"), frame("watchClient", `${SRC}/gateway/execute.ts`)])).toBe("runtime: timers and abort signals");
    expect(partOf([frame("cloneObject"), frame("jsonRequest", `${SRC}/providers/openai-base.ts`)])).toBe("runtime: other native and built-in functions");
  });

  test("JavaScript is counted by the folder of the innermost frame", () => {
    expect(partOf([frame("executePlan", `${SRC}/gateway/execute.ts`), frame("handle", `${SRC}/gateway/pipeline.ts`)])).toBe(
      "JavaScript: the pipeline's stages and attempt (src/gateway)",
    );
    expect(partOf([frame("rollUp", `${SRC}/store/usage-rollup.ts`)])).toBe("JavaScript: the usage row (src/store, src/usage; the floors use it too)");
    expect(partOf([frame("refs", `${SRC}/vault/stored-key-source.ts`)])).toContain("src/vault");
    expect(partOf([frame("check", "/repo/node_modules/@sinclair/typebox/build/compiler.mjs")])).toBe("libraries (TypeBox, drizzle, OpenTelemetry API, ...)");
    expect(partOf([frame("POST", "/repo/bench/contract-floor.ts")])).toBe("JavaScript: the contract floor's own (bench/)");
    expect(partOf([frame("main", `${SRC}/main.ts`)])).toBe("JavaScript: the rest of src/");
  });
});

describe("splitProfile", () => {
  // root -> handle (gateway) -> fetch (native); root -> (anonymous) native
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame("(root)"), children: [2, 4] },
      { id: 2, callFrame: frame("handle", `${SRC}/gateway/pipeline.ts`), children: [3] },
      { id: 3, callFrame: frame("fetch") },
      { id: 4, callFrame: frame("(anonymous)") },
    ],
    startTime: 1_000_000_000, // epoch µs: 1,000,000 ms
    endTime: 1_000_010_000,
    samples: [2, 3, 3, 4, 2],
    timeDeltas: [1000, 2000, 2000, 1000, 4000], // at 1,000,001 ms, 003, 005, 006, 010
  };

  test("each sample counts once in the part of its stack, however long since the one before", () => {
    const split = splitProfile(profile, [[1_000_000, 1_000_010]]);
    expect(split.get("JavaScript: the pipeline's stages and attempt (src/gateway)")).toBe(2);
    expect(split.get("runtime: fetch (the upstream request)")).toBe(2);
    expect(split.get("runtime: HTTP server and event loop (no JavaScript on the stack)")).toBe(1);
  });

  test("only samples inside a window count", () => {
    const split = splitProfile(profile, [[1_000_002, 1_000_006]]);
    expect(split.get("runtime: fetch (the upstream request)")).toBe(2);
    expect(split.get("runtime: HTTP server and event loop (no JavaScript on the stack)")).toBe(1);
    expect(split.get("JavaScript: the pipeline's stages and attempt (src/gateway)")).toBe(0);
  });
});
