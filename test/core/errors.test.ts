// The typed error every layer throws: text rewriting (redaction) and the mapping of unknown values.
import { describe, expect, test } from "bun:test";
import { GatewayError, asGatewayError } from "../../src/core/errors.ts";

describe("GatewayError", () => {
  test("withText rewrites the message and every attempt's reason, and keeps code, status, param, retry and extra", () => {
    const error = new GatewayError("upstream_rate_limited", "key secret-123 refused", {
      param: "model",
      retryAfterSeconds: 7,
      attempts: [{ provider: "openai", model: "gpt-4o", key_source: "request", status: 429, reason: "secret-123 limited" }],
      extra: { approval_id: "ap_1" },
      cause: new Error("secret-123"),
    });
    const copy = error.withText((text) => text.replaceAll("secret-123", "[redacted]"));
    expect(copy).toBeInstanceOf(GatewayError);
    expect(copy.message).toBe("key [redacted] refused");
    expect(copy.attempts).toEqual([{ provider: "openai", model: "gpt-4o", key_source: "request", status: 429, reason: "[redacted] limited" }]);
    expect([copy.code, copy.status, copy.param, copy.retryAfterSeconds]).toEqual(["upstream_rate_limited", 429, "model", 7]);
    expect(copy.extra).toEqual({ approval_id: "ap_1" });
    expect(copy.cause).toBeUndefined();
    expect(error.message).toBe("key secret-123 refused");
  });

  test("asGatewayError keeps a GatewayError and turns anything else into a bare internal_error, handing the cause over", () => {
    const known = new GatewayError("model_not_found", "no such model");
    const seen: unknown[] = [];
    expect(asGatewayError(known, (e) => seen.push(e))).toBe(known);
    const unknown = new TypeError("boom at /srv/secret/path");
    const mapped = asGatewayError(unknown, (e) => seen.push(e));
    expect([mapped.code, mapped.status, mapped.message]).toEqual(["internal_error", 500, "keyway hit an unexpected error; it has been logged"]);
    expect(seen).toEqual([unknown]);
  });
});
