import { describe, expect, test } from "bun:test";
import { dayKey } from "../../src/limits/day-key.ts";
import { estimateRequest, estimateTokens } from "../../src/limits/estimate.ts";

describe("estimates and day keys", () => {
  test("tokens are about four characters each; output is max_tokens or the default", () => {
    const body = { messages: [{ role: "user", content: "x".repeat(400) }], max_tokens: 50 };
    expect(estimateTokens(body)).toBe(Math.ceil(JSON.stringify(body.messages).length / 4));
    const price = { input_per_mtok: 1, output_per_mtok: 2 };
    expect(estimateRequest("chat", body, price, 1000).outputTokens).toBe(50);
    expect(estimateRequest("chat", { messages: [] }, price, 1000).outputTokens).toBe(1000);
    expect(estimateRequest("embeddings", { input: "abc" }, price, 1000).outputTokens).toBe(0);
    const estimate = estimateRequest("chat", body, price, 1000);
    expect(estimate.listMicros).toBe(estimate.inputTokens * 1 + 50 * 2);
  });

  test("the day changes at the time zone's midnight", () => {
    const at = Date.parse("2026-03-01T23:30:00Z");
    expect(dayKey("UTC", at)).toBe("2026-03-01");
    expect(dayKey("Asia/Tokyo", at)).toBe("2026-03-02");
    expect(dayKey("America/New_York", at)).toBe("2026-03-01");
  });
});
