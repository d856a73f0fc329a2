// The analytics query parameters: group_by lists and filters, bad values refused with the parameter named.
import { describe, expect, test } from "bun:test";
import { GatewayError } from "../../src/core/errors.ts";
import { GROUP_NAMES, parseFilters, parseGroupBy } from "../../src/analytics/analytics-params.ts";

const paramOf = (run: () => unknown): string | null => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return (error as GatewayError).param ?? null;
  }
  throw new Error("accepted");
};

describe("group_by", () => {
  test("absent or blank is the fallback; a list keeps its order, each group once, spaces ignored", () => {
    expect(parseGroupBy(null, GROUP_NAMES, ["provider"])).toEqual(["provider"]);
    expect(parseGroupBy(" ", GROUP_NAMES, ["provider"])).toEqual(["provider"]);
    expect(parseGroupBy("team, model,team", GROUP_NAMES, [])).toEqual(["team", "model"]);
  });
  test("an unknown or disallowed group is a 400 naming group_by", () => {
    expect(paramOf(() => parseGroupBy("provider,colour", GROUP_NAMES, []))).toBe("group_by");
    expect(paramOf(() => parseGroupBy("key_source", ["provider", "model"], []))).toBe("group_by");
    expect(paramOf(() => parseGroupBy("provider,", GROUP_NAMES, []))).toBe("group_by");
  });
});

describe("filters", () => {
  const q = (s: string) => new URLSearchParams(s);
  test("provider, team_id, project and key_source are taken; empty ones are absent", () => {
    expect(parseFilters(q("provider=openai&team_id=team_1&project=a%20b&key_source=stored"), true)).toEqual({ provider: "openai", teamId: "team_1", project: "a b", keySource: "stored" });
    expect(parseFilters(q("provider=&project="), false)).toEqual({});
  });
  test("bad values name their parameter", () => {
    expect(paramOf(() => parseFilters(q("provider=Open AI"), false))).toBe("provider");
    expect(paramOf(() => parseFilters(q(`project=${"x".repeat(201)}`), false))).toBe("project");
    expect(paramOf(() => parseFilters(q("key_source=stored"), false))).toBe("key_source");
    expect(paramOf(() => parseFilters(q("key_source=borrowed"), true))).toBe("key_source");
  });
});
