import { describe, expect, test } from "bun:test";
import { bindProviders } from "../../src/gateway/providers.ts";
import { resolveTargets } from "../../src/gateway/resolve.ts";
import type { ProviderAdapter } from "../../src/plugins/sdk.ts";
import { builtInAdapters } from "../../src/providers/builtin.ts";
import { DEFAULT_MODEL_GROUPS, withDefaultModelGroups } from "../../src/routing/default-model-groups.ts";

describe("default model groups", () => {
  test("ship the common model classes, each with members on several seed providers", () => {
    for (const group of ["flagship", "gpt-4", "fast", "reasoning", "embedding"]) {
      expect(Object.keys(DEFAULT_MODEL_GROUPS[group] ?? {}).length).toBeGreaterThanOrEqual(4);
    }
    for (const members of Object.values(DEFAULT_MODEL_GROUPS)) {
      for (const adapter of Object.keys(members)) expect(builtInAdapters.has(adapter)).toBe(true);
    }
  });

  test("a member is kept only for configured providers, under every provider name using its adapter", () => {
    const merged = withDefaultModelGroups({}, { openai: { adapter: "openai" }, backup: { adapter: "openai" }, claude: { adapter: "anthropic" }, local: { adapter: "openai-compatible" } });
    expect(merged.fast).toEqual({ openai: "gpt-4o-mini", backup: "gpt-4o-mini", claude: "claude-haiku-4-5-20251001" });
    expect(merged.embedding).toEqual({ openai: "text-embedding-3-small", backup: "text-embedding-3-small" });
    expect(Object.values(merged).every((group) => !("local" in group) && !("google" in group))).toBe(true);
  });

  test("a group with no configured member is left out", () => {
    expect(withDefaultModelGroups({}, { local: { adapter: "openai-compatible" } })).toEqual({});
  });

  test("the config adds groups and replaces a default group of the same name entirely", () => {
    const merged = withDefaultModelGroups(
      { fast: { local: "llama3.1" }, smart: { openai: "gpt-4.1" } },
      { openai: { adapter: "openai" }, local: { adapter: "openai-compatible" } },
    );
    expect(merged.fast).toEqual({ local: "llama3.1" });
    expect(merged.smart).toEqual({ openai: "gpt-4.1" });
    expect(merged.flagship).toEqual({ openai: "gpt-4.1" });
  });

  test("resolution of a group name gives one target per configured member, in group order", () => {
    const configured = { anthropic: { adapter: "anthropic" }, openai: { adapter: "openai" }, mistral: { adapter: "mistral" } };
    const providers = bindProviders(configured, (s) => builtInAdapters.get(s.adapter) as ProviderAdapter, [...builtInAdapters.values()]);
    const targets = resolveTargets({ model: "gpt-4" }, providers, withDefaultModelGroups({}, configured));
    expect(targets.map((t) => `${t.provider.name}:${t.model}`)).toEqual(["openai:gpt-4o", "anthropic:claude-sonnet-4-5-20250929", "mistral:mistral-large-latest"]);
  });
});
