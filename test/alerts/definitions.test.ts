// The shape check of POST /v1/alerts bodies: what is taken, what each refusal names, and the baseline rule.
import { describe, expect, test } from "bun:test";
import { baselineOf, mad, median, SENSITIVITY_RULES, withZeros } from "../../src/alerts/baseline.ts";
import { notifyTarget, parseAlert, parseAlertsBody } from "../../src/alerts/definitions.ts";
import { GatewayError } from "../../src/core/errors.ts";

function refusal(run: () => unknown): string | null | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error.param;
    throw error;
  }
  return undefined;
}

describe("alert definitions", () => {
  test("a threshold alert as the seed writes it: USD to micro-USD, e-mail and URL targets told apart", () => {
    const draft = parseAlert({ type: "byok_cost_threshold", provider: "openai", threshold: 100.25, period: "daily", notify: ["alerts@company.com", "https://hooks.example.com/x"] }, "alerts[0]", false);
    expect(draft).toEqual({
      type: "byok_cost_threshold", provider: "openai", teamId: null, thresholdMicros: 100_250_000, period: "daily", sensitivity: null,
      notify: [{ kind: "email", target: "alerts@company.com" }, { kind: "webhook", target: "https://hooks.example.com/x" }],
    });
  });

  test("an anomaly alert: sensitivity defaults to medium", () => {
    expect(parseAlert({ type: "byok_usage_anomaly" }, "alerts[0]", false)).toMatchObject({ sensitivity: "medium", notify: [] });
    expect(parseAlert({ type: "byok_usage_anomaly", sensitivity: "high", notify: ["security@company.com"] }, "alerts[0]", false).sensitivity).toBe("high");
  });

  test("http URLs only where allowed; credentials, other schemes, malformed addresses and duplicates are refused", () => {
    expect(refusal(() => notifyTarget("http://hooks.example.com/x", "n", false))).toBe("n");
    expect(notifyTarget("http://hooks.example.com/x", "n", true)).toEqual({ kind: "webhook", target: "http://hooks.example.com/x" });
    for (const bad of ["https://user:pw@hooks.example.com/", "mailto:ops@example.com", "javascript:alert(1)", "ops@example", "ops@ex ample.com", "a\r\nBcc: x@y.com", "", "@example.com", "ops@example.com\n"]) {
      expect(refusal(() => notifyTarget(bad, "alerts[0].notify[3]", true)), bad).toBe("alerts[0].notify[3]");
    }
    expect(refusal(() => notifyTarget(42, "p", true))).toBe("p");
    expect(refusal(() => parseAlert({ type: "byok_usage_anomaly", notify: ["a@example.com", "a@example.com"] }, "alerts[2]", false))).toBe("alerts[2].notify[1]");
    expect(refusal(() => parseAlert({ type: "byok_usage_anomaly", notify: "a@example.com" }, "alerts[0]", false))).toBe("alerts[0].notify");
  });

  test("thresholds: positive, finite, at most six decimals, at most a billion", () => {
    for (const threshold of [0, -5, Number.NaN, "5", 1e10, 0.1234567, null]) {
      expect(refusal(() => parseAlert({ type: "byok_cost_threshold", threshold, period: "daily" }, "alerts[0]", false)), String(threshold)).toBe("alerts[0].threshold");
    }
    expect(parseAlert({ type: "byok_cost_threshold", threshold: 0.000001, period: "hourly" }, "x", false).thresholdMicros).toBe(1);
  });

  test("the body: an object with a 1-50 alert list and nothing else but account_id", () => {
    expect(refusal(() => parseAlertsBody({ alerts: [{ type: "byok_usage_anomaly" }], extra: 1 }, false))).toBe("extra");
    expect(refusal(() => parseAlertsBody({ alerts: Array(51).fill({ type: "byok_usage_anomaly" }) }, false))).toBe("alerts");
    expect(parseAlertsBody({ alerts: [{ type: "byok_usage_anomaly" }], account_id: "acc_x" }, false).accountId).toBe("acc_x");
  });
});

describe("the robust baseline", () => {
  test("median and MAD, zeros included", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(mad([1, 1, 2, 2, 4, 6, 9])).toBe(1);
    expect(withZeros([{ hour: 11, v: 5 }, { hour: 13, v: 7 }], 10, 5, (r) => r.v)).toEqual([0, 5, 0, 7, 0]);
  });

  test("limit = max(median + k x 1.4826 x MAD, ratio x median, median + floor), per sensitivity", () => {
    const values = [10, 12, 8, 10, 11, 9, 10];
    // median 10, MAD 1
    const medium = baselineOf(values, SENSITIVITY_RULES.medium, 20);
    expect(medium).toEqual({ median: 10, mad: 1, limit: 30 });
    const high = baselineOf(values, SENSITIVITY_RULES.high, 10);
    expect(high.limit).toBe(20);
    const spread = baselineOf([0, 100, 0, 100, 50], SENSITIVITY_RULES.low, 50);
    expect(spread.limit).toBeCloseTo(50 + 6 * 1.4826 * 50, 6);
    expect(baselineOf([200, 200, 200], SENSITIVITY_RULES.high, 10).limit).toBe(300);
  });
});
