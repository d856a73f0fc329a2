import { describe, expect, test } from "bun:test";
import { dayKey } from "../../src/limits/day-key.ts";
import { estimateRequest, estimateTokens, promptTokensBound } from "../../src/limits/estimate.ts";

describe("estimates and day keys", () => {
  test("reservations bound the prompt by the body's UTF-8 bytes; output is max_tokens (or the default) per choice", () => {
    const body = { model: "gpt-4o", messages: [{ role: "user", content: "x".repeat(400) }], max_tokens: 50 };
    const price = { input_per_mtok: 1, output_per_mtok: 2 };
    const estimate = estimateRequest("chat", body, price, 1000);
    expect(estimate).toEqual({ inputTokens: JSON.stringify(body).length, outputTokens: 50, listMicros: JSON.stringify(body).length + 100 });
    expect(estimateRequest("chat", { messages: [] }, price, 1000).outputTokens).toBe(1000);
    expect(estimateRequest("chat", { messages: [], max_tokens: 50, max_completion_tokens: 70 }, price, 1000).outputTokens).toBe(70);
    expect(estimateRequest("chat", { messages: [], max_tokens: 50, n: 3 }, price, 1000).outputTokens).toBe(150);
    expect(estimateRequest("completions", { prompt: "a", max_tokens: 10, n: 2, best_of: 4 }, price, 1000).outputTokens).toBe(40);
    expect(estimateRequest("chat", { messages: [], max_tokens: -5 }, price, 1000).outputTokens).toBe(1000);
    expect(estimateRequest("embeddings", { input: "abc" }, price, 1000).outputTokens).toBe(0);
  });

  test("a dense script: one token a character is within the bound (three bytes a character), and the typical count follows it", () => {
    const content = "漢字かな".repeat(50);
    const body = { messages: [{ role: "user", content }], tools: [{ type: "function", function: { name: "lookup", description: "辞書を引く" } }] };
    const characters = [...JSON.stringify(body)].length;
    expect(promptTokensBound(body)).toBe(Buffer.byteLength(JSON.stringify(body)));
    expect(promptTokensBound(body)).toBeGreaterThan(2 * characters);
    // Tools are part of the prompt too.
    expect(promptTokensBound(body)).toBeGreaterThan(promptTokensBound({ messages: body.messages }));
    const asciiPart = JSON.stringify(body.messages).length - content.length;
    expect(estimateTokens(body)).toBe(content.length + Math.ceil(asciiPart / 4));
    expect(estimateTokens({ messages: [{ role: "user", content: "x".repeat(400) }] })).toBe(Math.ceil(JSON.stringify([{ role: "user", content: "x".repeat(400) }]).length / 4));
  });

  test("the day changes at the time zone's midnight", () => {
    const at = Date.parse("2026-03-01T23:30:00Z");
    expect(dayKey("UTC", at)).toBe("2026-03-01");
    expect(dayKey("Asia/Tokyo", at)).toBe("2026-03-02");
    expect(dayKey("America/New_York", at)).toBe("2026-03-01");
  });
});
