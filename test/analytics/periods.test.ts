// Reporting periods: each named period's edges on a zone's calendar (UTC, Europe/Berlin and America/New_York
// across their daylight-saving changes, Asia/Kolkata's :30 offset), custom bounds, and bad input naming the parameter.
import { describe, expect, test } from "bun:test";
import { GatewayError } from "../../src/core/errors.ts";
import { describePeriod, resolvePeriod } from "../../src/analytics/periods.ts";

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

function edges(query: Parameters<typeof resolvePeriod>[0], zone: string, now: string) {
  const period = resolvePeriod(query, zone, at(now));
  return { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString(), hours: (period.to - period.from) / HOUR };
}

function refused(query: Parameters<typeof resolvePeriod>[0], zone = "UTC", now = "2026-05-10T12:00:00Z"): { param: string | null; message: string } {
  try {
    resolvePeriod(query, zone, at(now));
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    const e = error as GatewayError;
    expect(e.code).toBe("invalid_request");
    return { param: e.param ?? null, message: e.message };
  }
  throw new Error(`accepted ${JSON.stringify(query)}`);
}

describe("named periods", () => {
  test("no period and no range is the current month; today is the local day", () => {
    expect(edges({}, "UTC", "2026-03-15T10:20:00Z")).toEqual({ from: "2026-03-01T00:00:00.000Z", to: "2026-04-01T00:00:00.000Z", hours: 31 * 24 });
    expect(edges({ period: "today" }, "UTC", "2026-03-15T10:20:00Z")).toEqual({ from: "2026-03-15T00:00:00.000Z", to: "2026-03-16T00:00:00.000Z", hours: 24 });
  });

  test("current_month follows the zone's calendar: 22:30 UTC on 31 March is already April in Berlin", () => {
    expect(edges({ period: "current_month" }, "Europe/Berlin", "2026-03-31T22:30:00Z")).toEqual({
      from: "2026-03-31T22:00:00.000Z", // 1 April 00:00 CEST
      to: "2026-04-30T22:00:00.000Z",
      hours: 30 * 24,
    });
    // One hour earlier it is still March (31 days less the hour the clocks skipped on the 29th).
    expect(edges({ period: "current_month" }, "Europe/Berlin", "2026-03-31T21:30:00Z")).toEqual({
      from: "2026-02-28T23:00:00.000Z", // 1 March 00:00 CET
      to: "2026-03-31T22:00:00.000Z",
      hours: 31 * 24 - 1,
    });
  });

  test("today on Berlin's daylight-saving days lasts 23 and 25 hours", () => {
    expect(edges({ period: "today" }, "Europe/Berlin", "2026-03-29T12:00:00Z")).toEqual({ from: "2026-03-28T23:00:00.000Z", to: "2026-03-29T22:00:00.000Z", hours: 23 });
    expect(edges({ period: "today" }, "Europe/Berlin", "2026-10-25T12:00:00Z")).toEqual({ from: "2026-10-24T22:00:00.000Z", to: "2026-10-25T23:00:00.000Z", hours: 25 });
  });

  test("today on New York's daylight-saving days lasts 23 and 25 hours", () => {
    expect(edges({ period: "today" }, "America/New_York", "2026-03-08T15:00:00Z")).toEqual({ from: "2026-03-08T05:00:00.000Z", to: "2026-03-09T04:00:00.000Z", hours: 23 });
    expect(edges({ period: "today" }, "America/New_York", "2026-11-01T15:00:00Z")).toEqual({ from: "2026-11-01T04:00:00.000Z", to: "2026-11-02T05:00:00.000Z", hours: 25 });
  });

  test("last_7_days and last_30_days are whole local days ending with today, across the change", () => {
    expect(edges({ period: "last_7_days" }, "Europe/Berlin", "2026-03-31T12:00:00Z")).toEqual({
      from: "2026-03-24T23:00:00.000Z", // 25 March 00:00 CET
      to: "2026-03-31T22:00:00.000Z", // 1 April 00:00 CEST
      hours: 7 * 24 - 1,
    });
    expect(edges({ period: "last_30_days" }, "America/New_York", "2026-03-20T03:00:00Z")).toEqual({
      from: "2026-02-18T05:00:00.000Z", // 18 February 00:00 EST (it is still 19 March in New York)
      to: "2026-03-20T04:00:00.000Z", // 20 March 00:00 EDT
      hours: 30 * 24 - 1,
    });
  });

  test("last_quarter is the calendar quarter before the current one, across a year boundary", () => {
    expect(edges({ period: "last_quarter" }, "America/New_York", "2026-05-10T12:00:00Z")).toEqual({
      from: "2026-01-01T05:00:00.000Z",
      to: "2026-04-01T04:00:00.000Z",
      hours: (31 + 28 + 31) * 24 - 1,
    });
    expect(edges({ period: "last_quarter" }, "UTC", "2026-01-15T00:00:00Z")).toEqual({
      from: "2025-10-01T00:00:00.000Z",
      to: "2026-01-01T00:00:00.000Z",
      hours: (31 + 30 + 31) * 24,
    });
    // 1 April 00:30 in Berlin is already the second quarter: the last one is January to March.
    expect(edges({ period: "last_quarter" }, "Europe/Berlin", "2026-03-31T22:30:00Z").from).toBe("2025-12-31T23:00:00.000Z");
  });

  test("a :30 zone: Kolkata's days start at 18:30 UTC, half-way through an hour", () => {
    expect(edges({ period: "today" }, "Asia/Kolkata", "2026-03-15T10:00:00Z")).toEqual({ from: "2026-03-14T18:30:00.000Z", to: "2026-03-15T18:30:00.000Z", hours: 24 });
    const period = resolvePeriod({ period: "today" }, "Asia/Kolkata", at("2026-03-15T10:00:00Z"));
    expect(describePeriod(period)).toEqual({ from: "2026-03-15T00:00:00.000+05:30", to: "2026-03-16T00:00:00.000+05:30", time_zone: "Asia/Kolkata" });
  });

  test("the answer shows local instants with the zone's offset on each side of the change", () => {
    const period = resolvePeriod({ period: "current_month" }, "Europe/Berlin", at("2026-03-10T12:00:00Z"));
    expect(describePeriod(period)).toEqual({ from: "2026-03-01T00:00:00.000+01:00", to: "2026-04-01T00:00:00.000+02:00", time_zone: "Europe/Berlin" });
  });
});

describe("custom periods", () => {
  test("dates are whole local days, `to` included", () => {
    expect(edges({ period: "custom", from: "2026-03-01", to: "2026-03-31" }, "Europe/Berlin", "2026-05-01T00:00:00Z")).toEqual({
      from: "2026-02-28T23:00:00.000Z",
      to: "2026-03-31T22:00:00.000Z",
      hours: 31 * 24 - 1,
    });
  });

  test("date-times with an offset or Z are taken as given, minutes included; from/to alone mean custom", () => {
    expect(edges({ from: "2026-03-01T10:15:00+02:00", to: "2026-03-01T12:45:30Z" }, "UTC", "2026-05-01T00:00:00Z")).toEqual({
      from: "2026-03-01T08:15:00.000Z",
      to: "2026-03-01T12:45:30.000Z",
      hours: 4.5 + 0.5 / 60,
    });
    expect(resolvePeriod({ from: "2026-03-01", to: "2026-03-02" }, "UTC").name).toBe("custom");
  });

  test("400 days is the longest range; a day more is refused naming `to`", () => {
    expect(edges({ period: "custom", from: "2025-01-01", to: "2026-02-04" }, "UTC", "2026-05-01T00:00:00Z").hours).toBe(400 * 24);
    expect(refused({ period: "custom", from: "2025-01-01", to: "2026-02-05" }).param).toBe("to");
  });
});

describe("bad input names the parameter", () => {
  test("an unknown period", () => {
    const { param, message } = refused({ period: "yesterday" });
    expect(param).toBe("period");
    expect(message).toContain("current_month");
  });
  test("from after to, or equal", () => {
    expect(refused({ period: "custom", from: "2026-03-05", to: "2026-03-01" }).param).toBe("from");
    expect(refused({ from: "2026-03-01T10:00:00Z", to: "2026-03-01T10:00:00Z" }).param).toBe("from");
  });
  test("a custom period missing a bound", () => {
    expect(refused({ period: "custom", to: "2026-03-01" }).param).toBe("from");
    expect(refused({ period: "custom", from: "2026-03-01" }).param).toBe("to");
    expect(refused({ period: "custom" }).param).toBe("from");
  });
  test("a range beside a named period", () => {
    expect(refused({ period: "today", from: "2026-03-01" }).param).toBe("from");
    expect(refused({ period: "last_7_days", to: "2026-03-01" }).param).toBe("to");
  });
  test("malformed and impossible dates", () => {
    expect(refused({ from: "2026-02-30", to: "2026-03-02" }).param).toBe("from");
    expect(refused({ from: "2026-03-01", to: "March 2" }).param).toBe("to");
    expect(refused({ from: "2026-03-01T10:00:00", to: "2026-03-02" }).param).toBe("from"); // no offset
    expect(refused({ from: "2026-13-01T10:00:00Z", to: "2026-14-02T00:00:00Z" }).param).toBe("from");
  });
});
