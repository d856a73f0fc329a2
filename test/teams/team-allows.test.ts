// The team's model permission rule, shared by calls (allowedTargets) and the /v1/models listing.
import { describe, expect, test } from "bun:test";
import { teamAllows } from "../../src/teams/policy.ts";

describe("teamAllows", () => {
  const permissions = { providers: { openai: { models: ["gpt-4o"] }, google: { enabled: false }, mistral: { enabled: true } } };

  test("no team rules, or no rule for the provider: every model is allowed", () => {
    expect(teamAllows(undefined, "openai", "gpt-4o-mini")).toBe(true);
    expect(teamAllows({}, "openai", "gpt-4o-mini")).toBe(true);
    expect(teamAllows(permissions, "anthropic", "claude-3-5-sonnet")).toBe(true);
  });

  test("a models list allows only its models; enabled: false closes the provider; enabled: true alone opens it", () => {
    expect(teamAllows(permissions, "openai", "gpt-4o")).toBe(true);
    expect(teamAllows(permissions, "openai", "gpt-4o-mini")).toBe(false);
    expect(teamAllows(permissions, "google", "gemini-2.0-flash")).toBe(false);
    expect(teamAllows(permissions, "mistral", "mistral-large-latest")).toBe(true);
    expect(teamAllows({ providers: { openai: { enabled: false, models: ["gpt-4o"] } } }, "openai", "gpt-4o")).toBe(false);
  });
});
