// Which OpenAI-format adapters serve /v1/moderations: OpenAI itself and any OpenAI-compatible adapter that names the
// endpoint (as a plugin built on openAICompatibleProvider does); the generic openai-compatible adapter does not.
import { describe, expect, test } from "bun:test";
import { providerShapeProblems } from "../../src/plugins/plugin-shape.ts";
import type { ProviderContext } from "../../src/plugins/sdk.ts";
import { openAICompatibleProvider } from "../../src/providers/openai-base.ts";
import openai from "../../src/providers/openai.ts";
import openaiCompatible from "../../src/providers/openai-compatible.ts";
import { cataloguePrice } from "../../src/usage/price-catalogue.ts";

const ctx: ProviderContext = { provider: "p", model: "omni-moderation-latest", baseUrl: "https://example.test/v1", apiKey: "sk-test-0000000000", stream: false, options: {} };

describe("moderations on OpenAI-format adapters", () => {
  test("OpenAI serves it: the body passes through to /moderations with the upstream model", () => {
    const endpoint = openai.endpoints.moderations;
    expect(endpoint).toBeDefined();
    const request = endpoint?.toUpstream({ model: "openai/omni-moderation-latest", input: ["a", "b"] }, ctx);
    expect(request?.url).toBe("https://example.test/v1/moderations");
    expect(request?.headers.authorization).toBe("Bearer sk-test-0000000000");
    expect(JSON.parse(request?.body ?? "{}")).toEqual({ model: "omni-moderation-latest", input: ["a", "b"] });
  });

  test("the generic openai-compatible adapter does not offer it; an adapter that names it does, and its shape is accepted", () => {
    expect(openaiCompatible.endpoints.moderations).toBeUndefined();
    const declared = openAICompatibleProvider({ name: "moderating-host", endpoints: ["chat", "moderations"] });
    expect(Object.keys(declared.endpoints).sort()).toEqual(["chat", "moderations"]);
    expect(providerShapeProblems(declared)).toEqual([]);
  });

  test("a plugin endpoint keyway does not know is still refused by name", () => {
    const problems = providerShapeProblems({ name: "x", otelName: "x", endpoints: { moderation: { toUpstream: () => ({}), fromUpstream: () => ({}) } } });
    expect(problems.join("\n")).toContain("'endpoints.moderation' is not an endpoint keyway knows");
  });

  test("OpenAI's moderation models are priced at zero, so platform keys may pay for them and are charged nothing", () => {
    expect(cataloguePrice(openai, "omni-moderation-latest")).toEqual({ input_per_mtok: 0, output_per_mtok: 0 });
    expect(cataloguePrice(openai, "text-moderation-stable")).toEqual({ input_per_mtok: 0, output_per_mtok: 0 });
  });
});
