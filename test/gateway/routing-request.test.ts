import { describe, expect, test } from "bun:test";
import { type RoutingDeps, routingFor } from "../../src/gateway/routing-request.ts";
import type { RoutingStrategy } from "../../src/plugins/sdk.ts";
import { gatewayRefusal } from "../helpers/gateway-refusal.ts";

const strategy = (name: string): RoutingStrategy => ({ name, plan: (_request, candidates) => [...candidates] });

function deps(defaultStrategy: string): RoutingDeps {
  return {
    config: {
      routing: {
        default: { strategy: defaultStrategy, provider_order: ["openai", "platform"], use_byok_only: false },
        fallback_reasons: ["rate_limit", "timeout"],
      },
      providers: { openai: { adapter: "openai" } },
    } as unknown as RoutingDeps["config"],
    strategies: new Map([
      ["byok-preferred", strategy("byok-preferred")],
      ["cost", strategy("cost")],
    ]),
  };
}

const refusal = gatewayRefusal;

describe("the routing request of a call", () => {
  test("without a routing field: the config's default, its checked parts shared, the call's own parts its own", () => {
    const gateway = deps("byok-preferred");
    const first = routingFor({ endpoint: "chat", model: "gpt-4o", field: undefined, byokHeader: false }, gateway);
    const second = routingFor({ endpoint: "embeddings", model: "text-embedding-3-small", field: undefined, byokHeader: true }, gateway);
    expect(first.strategy.name).toBe("byok-preferred");
    expect(second.strategy).toBe(first.strategy);
    expect(second.fallbackReasons).toBe(first.fallbackReasons);
    expect([...first.fallbackReasons]).toEqual(["rate_limit", "timeout"]);
    expect(first.request).toEqual({
      endpoint: "chat",
      model: "gpt-4o",
      strategy: "byok-preferred",
      providerOrder: ["openai", "platform"],
      costWeights: undefined,
      weights: undefined,
      useByokOnly: false,
      fallbackToPlatform: false,
    });
    expect(second.request).toMatchObject({ endpoint: "embeddings", model: "text-embedding-3-small", useByokOnly: true });
  });

  test("a routing field is checked on every call, after calls without one", () => {
    const gateway = deps("byok-preferred");
    routingFor({ endpoint: "chat", model: "gpt-4o", field: undefined, byokHeader: false }, gateway);
    const named = routingFor({ endpoint: "chat", model: "gpt-4o", field: { strategy: "cost", fallback_reasons: ["timeout"] }, byokHeader: false }, gateway);
    expect(named.strategy.name).toBe("cost");
    expect([...named.fallbackReasons]).toEqual(["timeout"]);
    expect(named.request.strategy).toBe("cost");
    const bad = refusal(() => routingFor({ endpoint: "chat", model: "gpt-4o", field: { weights: { openai: -1 } }, byokHeader: false }, gateway));
    expect(bad.code).toBe("invalid_request");
    expect(bad.param).toBe("routing.weights");
    const unknown = refusal(() => routingFor({ endpoint: "chat", model: "gpt-4o", field: { provider_order: ["mistral"] }, byokHeader: false }, gateway));
    expect(unknown.param).toBe("routing.provider_order[0]");
  });

  test("a default strategy the gateway does not have is refused on every call, never remembered", () => {
    const gateway = deps("fastest");
    for (let call = 0; call < 2; call++) {
      const error = refusal(() => routingFor({ endpoint: "chat", model: "gpt-4o", field: undefined, byokHeader: false }, gateway));
      expect(error.message).toContain("Unknown routing strategy 'fastest'");
    }
    gateway.strategies = new Map([...gateway.strategies, ["fastest", strategy("fastest")]]);
    expect(routingFor({ endpoint: "chat", model: "gpt-4o", field: undefined, byokHeader: false }, gateway).strategy.name).toBe("fastest");
  });
});
