import { describe, expect, test } from "bun:test";
import { GatewayError } from "../../src/core/errors.ts";
import { bindProviders } from "../../src/gateway/providers.ts";
import { resolveTargets } from "../../src/gateway/resolve.ts";
import { builtInAdapters } from "../../src/providers/builtin.ts";
import type { ProviderAdapter } from "../../src/plugins/sdk.ts";

const providers = bindProviders(
  {
    openai: { adapter: "openai" },
    local: { adapter: "openai-compatible", base_url: "http://127.0.0.1:11434/v1", models: [{ id: "llama3.1", aliases: ["llama"] }] },
  },
  (s) => builtInAdapters.get(s.adapter) as ProviderAdapter,
  [...builtInAdapters.values()],
);
const groups = { smart: { openai: "gpt-4o", local: "llama3.1" } };
const resolve = (model: string, provider?: string) =>
  resolveTargets({ model, provider }, providers, groups).map((t) => `${t.provider.name}:${t.model}`);

describe("model resolution", () => {
  test("the provider field wins, with or without its prefix on the model", () => {
    expect(resolve("gpt-4o", "local")).toEqual(["local:gpt-4o"]);
    expect(resolve("local/llama3.1", "local")).toEqual(["local:llama3.1"]);
  });

  test("provider/model splits on the first slash only", () => {
    expect(resolve("openai/gpt-4o")).toEqual(["openai:gpt-4o"]);
    expect(resolve("local/meta-llama/Llama-3-8B")).toEqual(["local:meta-llama/Llama-3-8B"]);
  });

  test("a model group stands for its member on each provider", () => {
    expect(resolve("smart")).toEqual(["openai:gpt-4o", "local:llama3.1"]);
  });

  test("the catalogue (ids and aliases), then well-known prefixes", () => {
    expect(resolve("llama")).toEqual(["local:llama3.1"]);
    expect(resolve("gpt-4o-mini")).toEqual(["openai:gpt-4o-mini"]);
    expect(resolve("o1-preview")).toEqual(["openai:o1-preview"]);
  });

  test("unknown names are model_not_found naming the configured providers", () => {
    for (const [model, provider] of [["mystery"], ["nope/x"], ["x", "nope"]] as [string, string?][]) {
      try {
        resolve(model, provider);
        throw new Error("resolved");
      } catch (error) {
        expect(error).toBeInstanceOf(GatewayError);
        expect((error as GatewayError).code).toBe("model_not_found");
        expect((error as GatewayError).message).toContain("openai, local");
      }
    }
  });
});
