import { describe, expect, test } from "bun:test";
import { knowledgeProblems } from "../../src/plugins/knowledge-shape.ts";

describe("the knowledge fields of a provider plugin are checked at load", () => {
  test("usable fields give no problem; absent fields are fine", () => {
    expect(knowledgeProblems({})).toEqual([]);
    expect(
      knowledgeProblems({
        prices: { "tiny-1": { input_per_mtok: 0.5, output_per_mtok: 1.25 } },
        modelGroups: { fast: "tiny-1" },
        keyPatterns: [/\btiny-[a-z0-9]{8,}/],
        rateLimitHeaders: { remainingRequests: ["x-left"] },
        keySettings: ["region"],
      }),
    ).toEqual([]);
  });

  test("each malformed field is named with what is wrong", () => {
    expect(knowledgeProblems({ keySettings: "region" })).toEqual(["'keySettings' must be an array of setting names"]);
    expect(knowledgeProblems({ keySettings: ["region", ""] })).toEqual(["'keySettings' must be an array of setting names"]);
    expect(knowledgeProblems({ modelGroups: { fast: "" } })).toEqual(["'modelGroups.fast' must be a model id (a non-empty string)"]);
    expect(knowledgeProblems({ keyPatterns: [/x*/] })).toEqual(["'keyPatterns[0]' must not match empty text"]);
    expect(knowledgeProblems({ rateLimitHeaders: { left: ["x"] } })).toEqual(["'rateLimitHeaders.left' is not a field keyway knows (remainingRequests, remainingTokens)"]);
    expect(knowledgeProblems({ prices: { m: { input_per_mtok: 0.1234567, output_per_mtok: 1 } } }).length).toBe(1);
  });
});
