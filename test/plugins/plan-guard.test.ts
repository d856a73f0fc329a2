// The boundary around a strategy plugin's plan(), unit by unit: any order and any subset pass; a duplicate, a changed
// key or model, a non-array, a throw and a plan that never answers are refused, logged, and planned by the fallback.
import { describe, expect, test } from "bun:test";
import { guardStrategy } from "../../src/plugin-host/guard-strategy.ts";
import type { Candidate, RoutingStrategy } from "../../src/plugins/sdk.ts";
import { builtInStrategies } from "../../src/routing/builtin.ts";
import { createLogger } from "../../src/telemetry/logger.ts";
import { candidate, ids, request } from "../routing/fixtures.ts";

const fallback = builtInStrategies.get("byok_preferred") as RoutingStrategy;
const given = () => [candidate("openai", "stored", "o1"), candidate("openai", "stored", "o2"), candidate("anthropic", "stored", "a1")];

function guarded(plan: RoutingStrategy["plan"], planTimeoutMs = 200) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger("debug", (line) => lines.push(JSON.parse(line)));
  const strategy = guardStrategy({ name: "custom", plan }, { plugin: "strategy plugin 'custom' (custom.ts)", file: "custom.ts", logger, thresholdMs: 100, fallback, planTimeoutMs });
  return { strategy, lines };
}

async function refusedWith(plan: RoutingStrategy["plan"], problem: string, planTimeoutMs?: number) {
  const { strategy, lines } = guarded(plan, planTimeoutMs);
  const candidates = given();
  const planned = await strategy.plan(request(), candidates);
  expect(ids(planned)).toEqual(ids(await fallback.plan(request(), candidates)));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ level: "error", plugin: "strategy plugin 'custom' (custom.ts)", fallback_strategy: "byok_preferred", problem });
}

describe("a strategy plugin's answer", () => {
  test("any order and any subset of the candidates it was given pass, as the originals", async () => {
    const { strategy, lines } = guarded(async (_r, candidates) => [candidates[2] as Candidate, candidates[0] as Candidate]);
    const candidates = given();
    const planned = await strategy.plan(request(), candidates);
    expect(planned).toEqual([candidates[2] as Candidate, candidates[0] as Candidate]);
    expect(planned[0]).toBe(candidates[2] as Candidate);
    expect(lines).toEqual([]);
  });

  test("a candidate with another key, or another model, was not given", async () => {
    await refusedWith((_r, c) => [{ ...(c[0] as Candidate), keyRef: "someone-elses" }], `plan() answered a candidate it was not given at [0]: { provider: "openai", model: "openai-model", keySource: "stored" }`);
    await refusedWith((_r, c) => [{ ...(c[0] as Candidate), model: "o3" }], `plan() answered a candidate it was not given at [0]: { provider: "openai", model: "o3", keySource: "stored" }`);
  });

  test("the same candidate twice, a non-array and a throw are refused", async () => {
    await refusedWith((_r, c) => [c[0] as Candidate, c[0] as Candidate], `plan() answered the same candidate twice (at [1]): { provider: "openai", model: "openai-model", keySource: "stored" }`);
    await refusedWith(() => ({ plan: [] }) as never, "plan() answered object instead of an array of the candidates it was given");
    await refusedWith(() => { throw new Error("no idea"); }, "plan() threw: no idea");
  });

  test("the candidates it sees are frozen: changing one in place throws, and is refused", async () => {
    await refusedWith((_r, c) => {
      (c[0] as Candidate).provider = "anthropic";
      return [...c];
    }, "plan() threw: Attempted to assign to readonly property.");
  });

  test("a plan that never answers is refused after the plan timeout", async () => {
    await refusedWith(() => new Promise<Candidate[]>(() => {}), "plan() did not answer within 50 ms", 50);
  });
});
