// Stage "plan" with fake key sources: candidates of every source for the resolved targets, in the strategy's
// order; the stored default model; the routing rules shared with the config.
import { describe, expect, test } from "bun:test";
import { GatewayError } from "../../../src/core/errors.ts";
import type { KeySourceDriver } from "../../../src/core/key-source.ts";
import type { Target } from "../../../src/core/provider-set.ts";
import { buildCandidates } from "../../../src/gateway/candidates.ts";
import type { Candidate, KeySource } from "../../../src/plugins/sdk.ts";
import { planCandidates, type PlanDeps } from "../../../src/gateway/stages/plan.ts";
import type { PolicedContext } from "../../../src/gateway/stages/context.ts";
import { applyPolicy } from "../../../src/gateway/stages/policy.ts";
import { readCall } from "../../../src/gateway/stages/read-call.ts";
import { builtInStrategies } from "../../../src/routing/builtin.ts";
import { contextOf, fakeSource, testCall, testConfig, testProviders } from "./fakes.ts";

const config = testConfig();
const stored = fakeSource("stored", { openai: ["sk-stored-1", "sk-stored-2"], anthropic: ["sk-ant-stored"] });
const platform = fakeSource("platform", { openai: ["sk-platform"] });

function deps(extra: Partial<PlanDeps> = {}): PlanDeps {
  return { config, providers: testProviders(config), strategies: builtInStrategies, sources: [stored.driver, platform.driver], defaultModel: async () => undefined, ...extra };
}

async function policed(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<PolicedContext> {
  return applyPolicy(readCall(contextOf(testCall(body, headers)), { config }), { policy: async () => ({ storedKeysAllowed: true }) });
}

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe("planCandidates", () => {
  test("byok_preferred: the caller's stored keys, platform keys only when it has none", async () => {
    const planned = await planCandidates(await policed({ model: "openai/gpt-4o" }), deps());
    expect(planned.plan.map((c) => `${c.provider}:${c.keySource}:${c.keyRef}:${c.model}`)).toEqual(["openai:stored:openai#0:gpt-4o", "openai:stored:openai#1:gpt-4o"]);
    expect(planned.keys).toMatchObject({ byokOnly: false, teamId: null, storedKeysAllowed: true });
    expect(planned.routing.request.strategy).toBe("byok_preferred");
  });

  test("a request naming no model takes the stored default of its provider, written into the body", async () => {
    const ctx = await policed({ provider: "anthropic" });
    const planned = await planCandidates(ctx, deps({ defaultModel: async (account, provider) => (account === "acct_1" && provider === "anthropic" ? "claude-x" : undefined) }));
    expect(planned.call.body.model).toBe("claude-x");
    expect(planned.plan.map((c) => `${c.provider}:${c.model}`)).toEqual(["anthropic:claude-x"]);
  });

  test("without a model or a stored default: invalid_request naming model", async () => {
    const error = await refusal(planCandidates(await policed({ provider: "openai" }), deps()));
    expect([error.code, error.param]).toEqual(["invalid_request", "model"]);
  });

  test("X-Use-BYOK leaves platform keys out; no key left is no_provider_key", async () => {
    const only = fakeSource("platform", { openai: ["sk-platform"] });
    const error = await refusal(planCandidates(await policed({ model: "openai/gpt-4o" }, { "x-use-byok": "yes" }), deps({ sources: [only.driver] })));
    expect(error.code).toBe("no_provider_key");
  });

  test("a request's provider_order naming an unconfigured provider is refused by the same rule the config load uses", async () => {
    const error = await refusal(planCandidates(await policed({ model: "openai/gpt-4o", routing: { provider_order: ["openai", "nope"] } }), deps()));
    expect(error.param).toBe("routing.provider_order[1]");
    expect(error.message).toContain("no provider named 'nope' is configured ('platform' stands for the platform keys)");
    const names = await refusal(planCandidates(await policed({ model: "openai/gpt-4o", routing: { provider_order: ["toString"] } }), deps()));
    expect(names.param).toBe("routing.provider_order[0]");
  });

  test("an unknown fallback reason is refused, listing the reasons the config schema allows", async () => {
    const error = await refusal(planCandidates(await policed({ model: "openai/gpt-4o", routing: { fallback_reasons: ["bogus"] } }), deps()));
    expect(error.param).toBe("routing.fallback_reasons");
    expect(error.message).toContain("rate_limit, timeout, server_error, model_not_available");
  });
});

describe("buildCandidates", () => {
  const providerSet = testProviders(config);
  const targets = [
    { provider: providerSet.get("openai"), model: "gpt-4o" },
    { provider: providerSet.get("anthropic"), model: "claude-x" },
  ] as Target[];
  const keys = { principal: testCall({}).principal, requestKey: undefined, byokOnly: false, teamId: null, storedKeysAllowed: true };
  const atOnce = (source: KeySource, refs: string[]): KeySourceDriver => ({ source, refs: () => refs, secret: async () => "" });
  const later = (source: KeySource, refs: string[]): KeySourceDriver => ({ source, refs: async () => refs, secret: async () => "" });
  const listed = (candidates: Candidate[]) => candidates.map((c) => `${c.provider}:${c.keySource}:${c.keyRef}`);

  test("sources answering at once give the candidates at once, in target then source order", () => {
    const found = buildCandidates(targets, [atOnce("stored", ["s1", "s2"]), atOnce("platform", ["p1"])], keys, providerSet);
    expect(found).not.toBeInstanceOf(Promise);
    expect(listed(found as Candidate[])).toEqual(["openai:stored:s1", "openai:stored:s2", "openai:platform:p1", "anthropic:stored:s1", "anthropic:stored:s2", "anthropic:platform:p1"]);
  });

  test("a source answering later keeps the order: the pairs after it are collected once it has answered", async () => {
    const found = buildCandidates(targets, [atOnce("request", ["r"]), later("stored", ["s1"]), atOnce("platform", ["p1"])], keys, providerSet);
    expect(found).toBeInstanceOf(Promise);
    expect(listed(await found)).toEqual(["openai:request:r", "openai:stored:s1", "openai:platform:p1", "anthropic:request:r", "anthropic:stored:s1", "anthropic:platform:p1"]);
  });
});
