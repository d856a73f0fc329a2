// Export request checks: each bad field is a 400 naming it; a good body resolves its period on the zone given.
import { describe, expect, test } from "bun:test";
import { parseExportRequest } from "../../src/analytics/export-request.ts";
import { GatewayError } from "../../src/core/errors.ts";

const NOW = Date.UTC(2025, 10, 15, 12); // 2025-11-15

function refused(body: unknown): { param: string | null; message: string } {
  try {
    parseExportRequest(body, "Europe/Berlin", NOW);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBe(400);
    return { param: (error as GatewayError).param, message: (error as Error).message };
  }
  throw new Error(`accepted ${JSON.stringify(body)}`);
}

describe("parseExportRequest", () => {
  test("the seed's request: last quarter on the budgets zone, sections in a fixed order", () => {
    const request = parseExportRequest(
      { type: "byok_usage", period: "last_quarter", format: "csv", include: ["hourly_usage", "provider_breakdown", "model_breakdown", "team_breakdown"] },
      "Europe/Berlin",
      NOW,
    );
    expect(request.type).toBe("byok_usage");
    expect(request.format).toBe("csv");
    expect(request.include).toEqual(["provider_breakdown", "model_breakdown", "team_breakdown", "hourly_usage"]);
    // Q3 2025 in Berlin: July 1 00:00 CEST (UTC+2) to October 1 00:00 CEST.
    expect(request.period.from).toBe(Date.UTC(2025, 5, 30, 22));
    expect(request.period.to).toBe(Date.UTC(2025, 8, 30, 22));
    expect(request.accountId).toBeUndefined();
  });

  test("defaults: csv, current month, no sections; account_id kept", () => {
    const request = parseExportRequest({ type: "all_usage", account_id: "acc_1" }, "UTC", NOW);
    expect(request).toMatchObject({ format: "csv", include: [], accountId: "acc_1" });
    expect(request.period).toMatchObject({ name: "current_month", from: Date.UTC(2025, 10, 1), to: Date.UTC(2025, 11, 1) });
  });

  test("bad fields are refused naming the field", () => {
    expect(refused({ type: "byok" }).param).toBe("type");
    expect(refused({}).param).toBe("type");
    expect(refused({ type: 3 }).param).toBe("type");
    expect(refused({ type: "all_usage", format: "xlsx" }).param).toBe("format");
    expect(refused({ type: "all_usage", include: ["provider_breakdown", "cost_breakdown"] }).param).toBe("include");
    expect(refused({ type: "all_usage", include: "provider_breakdown" }).param).toBe("include");
    expect(refused({ type: "all_usage", period: "last_year" }).param).toBe("period");
    expect(refused({ type: "all_usage", period: "custom", from: "2025-03-01", to: "2025-02-01" }).param).toBe("from");
    expect(refused({ type: "all_usage", from: "2024-01-01", to: "2025-03-01" }).param).toBe("to");
    expect(refused({ type: "all_usage", from: "yesterday", to: "2025-03-01" }).param).toBe("from");
    expect(refused({ type: "all_usage", account_id: 7 }).param).toBe("account_id");
    expect(refused({ type: "all_usage", colour: "blue" }).param).toBe("colour");
    expect(refused([1]).message).toContain("JSON object");
  });
});
