import { describe, expect, test } from "bun:test";
import { failureFromStatus, parseRetryAfter } from "../../src/providers/failure.ts";

describe("upstream failures", () => {
  test("Retry-After as seconds, as an HTTP date, and retry-after-ms", () => {
    expect(parseRetryAfter(new Headers({ "retry-after": "12" }))).toBe(12);
    expect(parseRetryAfter(new Headers({ "retry-after-ms": "1500" }))).toBe(1.5);
    const inTen = new Date(Date.now() + 10_000).toUTCString();
    expect(parseRetryAfter(new Headers({ "retry-after": inTen }))).toBeGreaterThan(8);
    expect(parseRetryAfter(new Headers({ "retry-after": "soon" }))).toBeUndefined();
    expect(parseRetryAfter(new Headers())).toBeUndefined();
  });

  test("statuses map to failure kinds, with the provider's message", () => {
    const body = JSON.stringify({ error: { message: "The model `x` does not exist" } });
    expect(failureFromStatus(401, "{}", new Headers()).kind).toBe("auth");
    expect(failureFromStatus(403, "{}", new Headers()).kind).toBe("auth");
    expect(failureFromStatus(429, "{}", new Headers({ "retry-after": "3" }))).toMatchObject({ kind: "rate_limit", retryAfterSeconds: 3 });
    expect(failureFromStatus(404, body, new Headers())).toMatchObject({ kind: "model_not_available", message: "The model `x` does not exist" });
    expect(failureFromStatus(529, "{}", new Headers()).kind).toBe("server_error");
    expect(failureFromStatus(503, "<html>busy</html>", new Headers()).message).toBe("upstream answered 503");
    expect(failureFromStatus(400, '{"message":"bad field"}', new Headers())).toMatchObject({ kind: "bad_request", message: "bad field" });
  });
});
