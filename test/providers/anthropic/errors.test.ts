import { describe, expect, test } from "bun:test";
import anthropic from "../../../src/providers/anthropic/index.ts";
import { mapAnthropicError } from "../../../src/providers/anthropic/errors.ts";

const body = (type: string, message: string) => JSON.stringify({ type: "error", error: { type, message }, request_id: "req_011CSHoEeqs5C35K2UUqR7Fy" });
const none = new Headers();

describe("Anthropic errors -> failure kinds", () => {
  test("401 authentication_error and 403 permission_error are auth, with the provider's message", () => {
    expect(mapAnthropicError(401, body("authentication_error", "invalid x-api-key"), none)).toEqual({ kind: "auth", message: "invalid x-api-key" });
    expect(mapAnthropicError(403, body("permission_error", "Your API key does not have permission"), none).kind).toBe("auth");
  });

  test("429 rate_limit_error is rate_limit with its Retry-After", () => {
    const failure = mapAnthropicError(429, body("rate_limit_error", "Number of requests has exceeded your rate limit"), new Headers({ "retry-after": "17" }));
    expect(failure).toEqual({ kind: "rate_limit", message: "Number of requests has exceeded your rate limit", retryAfterSeconds: 17 });
  });

  test("529 overloaded_error and 500 api_error are server_error", () => {
    expect(mapAnthropicError(529, body("overloaded_error", "Overloaded"), none)).toEqual({ kind: "server_error", message: "Overloaded" });
    expect(mapAnthropicError(500, body("api_error", "Internal server error"), none).kind).toBe("server_error");
    expect(mapAnthropicError(503, "<html>upstream connect error</html>", none).kind).toBe("server_error");
  });

  test("404 not_found_error about a model is model_not_available; other 404s are bad_request", () => {
    expect(mapAnthropicError(404, body("not_found_error", "model: claude-nope"), none)).toEqual({ kind: "model_not_available", message: "model: claude-nope" });
    expect(mapAnthropicError(404, body("not_found_error", "Not Found"), none).kind).toBe("bad_request");
  });

  test("400 invalid_request_error and 413 request_too_large are bad_request", () => {
    const failure = mapAnthropicError(400, body("invalid_request_error", "max_tokens: Field required"), none);
    expect(failure).toEqual({ kind: "bad_request", message: "max_tokens: Field required" });
    expect(mapAnthropicError(413, body("request_too_large", "Request exceeds the maximum allowed number of bytes."), none).kind).toBe("bad_request");
  });

  test("a body that is not Anthropic's shape still gives a message and a kind by status", () => {
    expect(mapAnthropicError(502, "", none)).toEqual({ kind: "server_error", message: "Anthropic answered 502" });
    expect(mapAnthropicError(401, "nope", none)).toEqual({ kind: "auth", message: "nope" });
  });

  test("the adapter uses this mapping", () => {
    expect(anthropic.mapError?.(529, body("overloaded_error", "Overloaded"), none).kind).toBe("server_error");
  });
});

describe("the adapter's identity", () => {
  test("name, otelName, key pattern, model prefixes, default base URL, chat only", () => {
    expect(anthropic.name).toBe("anthropic");
    expect(anthropic.otelName).toBe("anthropic");
    expect(anthropic.keyPattern?.test("sk-ant-api03-abc")).toBe(true);
    expect(anthropic.keyPattern?.test("sk-proj-abc")).toBe(false);
    expect(anthropic.modelPrefixes).toEqual(["claude-"]);
    expect(anthropic.defaultBaseUrl).toBe("https://api.anthropic.com");
    expect(Object.keys(anthropic.endpoints)).toEqual(["chat", "native"]);
    expect(Object.keys(anthropic.endpoints.native ?? {})).toEqual(["anthropic-messages", "anthropic-count-tokens"]);
  });

  test("checkKey is GET /v1/models with x-api-key and anthropic-version", () => {
    const ctx = { provider: "anthropic", model: "", baseUrl: "https://api.anthropic.com", apiKey: "sk-ant-x", stream: false, options: {} };
    expect(anthropic.checkKey?.(ctx)).toEqual({
      url: "https://api.anthropic.com/v1/models",
      method: "GET",
      headers: { "x-api-key": "sk-ant-x", "anthropic-version": "2023-06-01" },
    });
  });
});
