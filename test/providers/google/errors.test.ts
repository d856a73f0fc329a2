// Unit tests: Google's error bodies (as the Gemini API sends them) -> keyway failure kinds.
import { describe, expect, test } from "bun:test";
import { durationSeconds, mapGoogleError } from "../../../src/providers/google/errors.ts";

const error = (code: number, status: string, message: string, details: unknown[] = []) =>
  JSON.stringify({ error: { code, message, status, details } });

describe("google mapError", () => {
  test("400 INVALID_ARGUMENT with API_KEY_INVALID is auth", () => {
    const body = error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [
      { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID", domain: "googleapis.com" },
    ]);
    expect(mapGoogleError(400, body, new Headers())).toEqual({ kind: "auth", message: "API key not valid. Please pass a valid API key." });
  });

  test("a 400 whose message is about the API key is auth even without details", () => {
    expect(mapGoogleError(400, error(400, "INVALID_ARGUMENT", "API key expired. Please renew the API key."), new Headers()).kind).toBe("auth");
  });

  test("401 UNAUTHENTICATED and 403 PERMISSION_DENIED are auth", () => {
    expect(mapGoogleError(401, error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials."), new Headers()).kind).toBe("auth");
    expect(mapGoogleError(403, error(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers."), new Headers()).kind).toBe("auth");
  });

  test("429 RESOURCE_EXHAUSTED is rate_limit, waiting what RetryInfo says before Retry-After", () => {
    const body = error(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota.", [
      { "@type": "type.googleapis.com/google.rpc.QuotaFailure", violations: [{ quotaId: "GenerateRequestsPerMinutePerProjectPerModel" }] },
      { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "32s" },
    ]);
    expect(mapGoogleError(429, body, new Headers({ "retry-after": "5" }))).toEqual({ kind: "rate_limit", message: "You exceeded your current quota.", retryAfterSeconds: 32 });
    expect(mapGoogleError(429, error(429, "RESOURCE_EXHAUSTED", "quota"), new Headers({ "retry-after": "5" })).retryAfterSeconds).toBe(5);
    expect(mapGoogleError(429, error(429, "RESOURCE_EXHAUSTED", "quota"), new Headers()).retryAfterSeconds).toBeUndefined();
  });

  test("503 UNAVAILABLE and other 5xx are server_error", () => {
    expect(mapGoogleError(503, error(503, "UNAVAILABLE", "The model is overloaded. Please try again later."), new Headers()).kind).toBe("server_error");
    expect(mapGoogleError(500, error(500, "INTERNAL", "An internal error has occurred."), new Headers()).kind).toBe("server_error");
    expect(mapGoogleError(502, "<html>Bad Gateway</html>", new Headers())).toEqual({ kind: "server_error", message: "<html>Bad Gateway</html>" });
  });

  test("404 NOT_FOUND about a model is model_not_available; other 400s are bad_request", () => {
    const notFound = error(404, "NOT_FOUND", "models/gemini-9 is not found for API version v1beta, or is not supported for generateContent.");
    expect(mapGoogleError(404, notFound, new Headers()).kind).toBe("model_not_available");
    expect(mapGoogleError(400, error(400, "INVALID_ARGUMENT", "Invalid JSON payload received. Unknown name \"foo\"."), new Headers()).kind).toBe("bad_request");
    expect(mapGoogleError(400, error(400, "FAILED_PRECONDITION", "User location is not supported for the API use."), new Headers()).kind).toBe("bad_request");
  });

  test("an error wrapped in an array is read too", () => {
    const body = JSON.stringify([{ error: { code: 429, message: "Resource has been exhausted (e.g. check quota).", status: "RESOURCE_EXHAUSTED" } }]);
    expect(mapGoogleError(429, body, new Headers())).toEqual({ kind: "rate_limit", message: "Resource has been exhausted (e.g. check quota)." });
  });

  test("durations in protobuf JSON form", () => {
    expect(durationSeconds("17s")).toBe(17);
    expect(durationSeconds("1.5s")).toBe(1.5);
    expect(durationSeconds("soon")).toBeUndefined();
  });
});
