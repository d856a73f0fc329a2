import { describe, expect, test } from "bun:test";
import byokPreferred from "../../src/routing/byok-preferred.ts";
import costOptimized from "../../src/routing/cost-optimized.ts";
import direct from "../../src/routing/direct.ts";
import fallbackChain from "../../src/routing/fallback-chain.ts";
import latencyOptimized from "../../src/routing/latency-optimized.ts";
import { builtInStrategies } from "../../src/routing/builtin.ts";
import { weightedStrategy } from "../../src/routing/weighted.ts";
import { candidate, ids, mixed, price, request } from "./fixtures.ts";

describe("built-in strategies", () => {
  test("all six of SPEC are registered under their names", () => {
    expect([...builtInStrategies.keys()].sort()).toEqual(["byok_preferred", "cost_optimized", "direct", "fallback_chain", "latency_optimized", "weighted"]);
  });
});

describe("direct", () => {
  test("the first target only, the caller's keys in SPEC order; platform keys are not used while own keys exist", () => {
    const [own, stored, platform, ...others] = mixed();
    const shuffled = [stored, platform, own, ...others].filter((c) => c !== undefined);
    expect(ids(direct.plan(request(), shuffled))).toEqual(["openai:request:request", "openai:stored:pk_o1"]);
  });

  test("platform keys after the caller's with fallback_to_platform; never with use_byok_only", () => {
    expect(ids(direct.plan(request({ fallbackToPlatform: true }), mixed()))).toEqual(["openai:request:request", "openai:stored:pk_o1", "openai:platform:0"]);
    expect(ids(direct.plan(request({ fallbackToPlatform: true, useByokOnly: true }), mixed()))).toEqual(["openai:request:request", "openai:stored:pk_o1"]);
  });

  test("a target where the caller has no key of its own is paid by platform keys; BYOK-only leaves nothing", () => {
    const google = mixed().filter((c) => c.provider === "google");
    expect(ids(direct.plan(request(), google))).toEqual(["google:platform:0"]);
    expect(direct.plan(request({ useByokOnly: true }), google)).toEqual([]);
    expect(direct.plan(request(), [])).toEqual([]);
  });
});

describe("byok_preferred", () => {
  test("the caller's keys on every target (request keys, then stored), then nothing more by default", () => {
    expect(ids(byokPreferred.plan(request(), mixed()))).toEqual(["openai:request:request", "openai:stored:pk_o1", "anthropic:stored:pk_a1"]);
  });

  test("platform keys follow with fallback_to_platform, in target order", () => {
    expect(ids(byokPreferred.plan(request({ fallbackToPlatform: true }), mixed()))).toEqual([
      "openai:request:request",
      "openai:stored:pk_o1",
      "anthropic:stored:pk_a1",
      "openai:platform:0",
      "anthropic:platform:0",
      "google:platform:0",
    ]);
  });

  test("a caller with no key of its own gets platform keys, unless BYOK-only", () => {
    const platformOnly = mixed().filter((c) => c.keySource === "platform");
    expect(ids(byokPreferred.plan(request(), platformOnly))).toEqual(["openai:platform:0", "anthropic:platform:0", "google:platform:0"]);
    expect(byokPreferred.plan(request({ useByokOnly: true }), platformOnly)).toEqual([]);
  });
});

describe("fallback_chain", () => {
  test("provider_order in turn, each provider with its own keys (platform only where the caller has none)", () => {
    const plan = fallbackChain.plan(request({ providerOrder: ["anthropic", "google", "openai"] }), mixed());
    expect(ids(plan)).toEqual(["anthropic:stored:pk_a1", "google:platform:0", "openai:request:request", "openai:stored:pk_o1"]);
  });

  test("without provider_order, the targets in resolution (model group) order", () => {
    expect(ids(fallbackChain.plan(request(), mixed()))).toEqual(["openai:request:request", "openai:stored:pk_o1", "anthropic:stored:pk_a1", "google:platform:0"]);
  });

  test("providers left out of provider_order are not tried", () => {
    expect(ids(fallbackChain.plan(request({ providerOrder: ["anthropic"] }), mixed()))).toEqual(["anthropic:stored:pk_a1"]);
  });

  test("`platform` as an entry: the caller's keys of the providers named, then their platform keys at that place", () => {
    const plan = fallbackChain.plan(request({ providerOrder: ["openai", "anthropic", "google", "platform"] }), mixed());
    expect(ids(plan)).toEqual([
      "openai:request:request",
      "openai:stored:pk_o1",
      "anthropic:stored:pk_a1",
      "openai:platform:0",
      "anthropic:platform:0",
      "google:platform:0",
    ]);
    const middle = fallbackChain.plan(request({ providerOrder: ["anthropic", "platform", "openai"] }), mixed());
    expect(ids(middle)).toEqual(["anthropic:stored:pk_a1", "anthropic:platform:0", "openai:platform:0", "openai:request:request", "openai:stored:pk_o1"]);
  });

  test("`platform` alone means the platform keys of every target; X-Use-BYOK drops the platform entry", () => {
    expect(ids(fallbackChain.plan(request({ providerOrder: ["platform"] }), mixed()))).toEqual(["openai:platform:0", "anthropic:platform:0", "google:platform:0"]);
    const byokOnly = fallbackChain.plan(request({ providerOrder: ["openai", "anthropic", "platform"], useByokOnly: true }), mixed());
    expect(ids(byokOnly)).toEqual(["openai:request:request", "openai:stored:pk_o1", "anthropic:stored:pk_a1"]);
  });
});

describe("cost_optimized", () => {
  test("cheapest list price first (input + output per Mtok); prices unknown last, in their order", () => {
    const candidates = [
      candidate("mystery", "stored", "m1"),
      candidate("openai", "stored", "o1", price(2.5, 10)),
      candidate("anthropic", "stored", "a1", price(3, 15)),
      candidate("google", "stored", "g1", price(1.25, 10)),
      candidate("unknown", "stored", "u1"),
    ];
    expect(ids(costOptimized.plan(request(), candidates))).toEqual(["google:stored:g1", "openai:stored:o1", "anthropic:stored:a1", "mystery:stored:m1", "unknown:stored:u1"]);
  });

  test("cost_weights weigh input against output, and a provider's name scales its score", () => {
    const candidates = [candidate("openai", "stored", "o1", price(2.5, 10)), candidate("mistral", "stored", "m1", price(4, 4))];
    expect(ids(costOptimized.plan(request(), candidates))).toEqual(["mistral:stored:m1", "openai:stored:o1"]);
    expect(ids(costOptimized.plan(request({ costWeights: { output: 0 } }), candidates))).toEqual(["openai:stored:o1", "mistral:stored:m1"]);
    expect(ids(costOptimized.plan(request({ costWeights: { mistral: 2 } }), candidates))).toEqual(["openai:stored:o1", "mistral:stored:m1"]);
  });

  test("keys within a target follow the key-source rules", () => {
    expect(ids(costOptimized.plan(request(), mixed()))).toEqual(["google:platform:0", "openai:request:request", "openai:stored:pk_o1", "anthropic:stored:pk_a1"]);
  });
});

describe("latency_optimized", () => {
  test("healthy targets by recent latency, then those not measured yet, then unhealthy ones", () => {
    const health = (latencyMs: number | undefined, healthy = true) => ({ health: { healthy, latencyMs } });
    const candidates = [
      candidate("openai", "stored", "o1", health(800)),
      candidate("mistral", "stored", "m1", health(100, false)),
      candidate("google", "stored", "g1", health(undefined)),
      candidate("anthropic", "stored", "a1", health(300)),
      candidate("cohere", "stored", "c1"),
    ];
    expect(ids(latencyOptimized.plan(request(), candidates))).toEqual(["anthropic:stored:a1", "openai:stored:o1", "google:stored:g1", "cohere:stored:c1", "mistral:stored:m1"]);
  });
});

describe("weighted", () => {
  const two = [candidate("openai", "stored", "o1"), candidate("anthropic", "stored", "a1")];

  test("a fixed draw gives a fixed order; the other targets stay behind as fallbacks", () => {
    const draws = [0.5, 0.5];
    const strategy = weightedStrategy(() => draws.shift() ?? 0.5);
    // 0.5^(1/3) = 0.79 for openai beats 0.5^(1/1) = 0.5 for anthropic.
    expect(ids(strategy.plan(request({ weights: { openai: 3, anthropic: 1 } }), two))).toEqual(["openai:stored:o1", "anthropic:stored:a1"]);
  });

  test("over many draws each target comes first in proportion to its weight; weight 0 is always last", () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const strategy = weightedStrategy(random);
    const three = [...two, candidate("google", "stored", "g1")];
    const firsts: Record<string, number> = {};
    for (let i = 0; i < 10_000; i++) {
      const plan = strategy.plan(request({ weights: { openai: 3, anthropic: 1, google: 0 } }), three);
      firsts[plan[0]?.provider ?? ""] = (firsts[plan[0]?.provider ?? ""] ?? 0) + 1;
      expect(plan.at(-1)?.provider).toBe("google");
    }
    expect((firsts.openai ?? 0) / 10_000).toBeCloseTo(0.75, 1);
    expect(firsts.google).toBeUndefined();
  });

  test("no weights: every target equally likely, all of them in the plan", () => {
    const plan = weightedStrategy(() => 0.3).plan(request(), mixed());
    expect(new Set(plan.map((c) => c.provider))).toEqual(new Set(["openai", "anthropic", "google"]));
  });
});
