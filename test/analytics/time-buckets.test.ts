// Time buckets of a period: local hours and days of the zone (UTC, Europe/Berlin across both clock changes,
// Asia/Kolkata's :30 offset), first and last buckets clipped to custom bounds, and the limits naming `bucket`.
import { describe, expect, test } from "bun:test";
import { GatewayError } from "../../src/core/errors.ts";
import { resolvePeriod } from "../../src/analytics/periods.ts";
import { bucketsOf, MAX_BUCKETS, parseBucket } from "../../src/analytics/time-buckets.ts";

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

function buckets(query: Parameters<typeof resolvePeriod>[0], zone: string, unit: "hour" | "day", now = "2026-05-10T12:00:00Z") {
  return bucketsOf(resolvePeriod(query, zone, at(now)), unit);
}

function refusal(run: () => unknown): { param: string | null; message: string } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return { param: (error as GatewayError).param ?? null, message: (error as GatewayError).message };
  }
  throw new Error("accepted");
}

describe("hour buckets", () => {
  test("today in UTC is 24 whole hours, back to back", () => {
    const list = buckets({ period: "today" }, "UTC", "hour");
    expect(list).toHaveLength(24);
    expect(iso(list[0]!.from)).toBe("2026-05-10T00:00:00.000Z");
    expect(iso(list.at(-1)!.to)).toBe("2026-05-11T00:00:00.000Z");
    for (let i = 0; i < list.length; i++) {
      expect(list[i]!.to - list[i]!.from).toBe(HOUR);
      if (i > 0) expect(list[i]!.from).toBe(list[i - 1]!.to);
    }
  });

  test("Berlin's autumn clock change: 25 October 2026 has 25 hour buckets, 02:00 twice", () => {
    const list = buckets({ from: "2026-10-25", to: "2026-10-25" }, "Europe/Berlin", "hour");
    expect(list).toHaveLength(25);
    expect(iso(list[0]!.from)).toBe("2026-10-24T22:00:00.000Z");
    expect(list.every((b) => b.to - b.from === HOUR)).toBe(true);
    expect(iso(list.at(-1)!.to)).toBe("2026-10-25T23:00:00.000Z");
  });

  test("Berlin's spring clock change: 29 March 2026 has 23 hour buckets", () => {
    const list = buckets({ from: "2026-03-29", to: "2026-03-29" }, "Europe/Berlin", "hour");
    expect(list).toHaveLength(23);
    expect(list.every((b) => b.to - b.from === HOUR)).toBe(true);
  });

  test("Asia/Kolkata's hours start half-way through UTC hours", () => {
    const list = buckets({ period: "today" }, "Asia/Kolkata", "hour");
    expect(list).toHaveLength(24);
    expect(iso(list[0]!.from)).toBe("2026-05-09T18:30:00.000Z");
    expect(iso(list[1]!.from)).toBe("2026-05-09T19:30:00.000Z");
    expect(list.every((b) => b.to - b.from === HOUR)).toBe(true);
  });

  test("custom bounds with minutes: the first and last buckets are clipped to them", () => {
    const list = buckets({ from: "2026-05-10T10:25:00Z", to: "2026-05-10T13:40:00Z" }, "UTC", "hour");
    expect(list.map((b) => [iso(b.from), iso(b.to)])).toEqual([
      ["2026-05-10T10:25:00.000Z", "2026-05-10T11:00:00.000Z"],
      ["2026-05-10T11:00:00.000Z", "2026-05-10T12:00:00.000Z"],
      ["2026-05-10T12:00:00.000Z", "2026-05-10T13:00:00.000Z"],
      ["2026-05-10T13:00:00.000Z", "2026-05-10T13:40:00.000Z"],
    ]);
  });

  test("a period inside one hour is one bucket", () => {
    const list = buckets({ from: "2026-05-10T10:05:00Z", to: "2026-05-10T10:15:00Z" }, "UTC", "hour");
    expect(list).toEqual([{ from: at("2026-05-10T10:05:00Z"), to: at("2026-05-10T10:15:00Z") }]);
  });

  test("a month of hours fits; a quarter is refused, naming bucket", () => {
    expect(buckets({ period: "current_month" }, "Europe/Berlin", "hour", "2026-03-15T12:00:00Z")).toHaveLength(31 * 24 - 1);
    const refused = refusal(() => buckets({ period: "last_quarter" }, "UTC", "hour"));
    expect(refused.param).toBe("bucket");
    expect(refused.message).toContain(String(MAX_BUCKETS));
  });
});

describe("day buckets", () => {
  test("last_7_days is the 7 local days, each from local midnight; the clock change day is 23 hours", () => {
    const list = buckets({ period: "last_7_days" }, "Europe/Berlin", "day", "2026-03-31T10:00:00Z");
    expect(list).toHaveLength(7);
    expect(iso(list[0]!.from)).toBe("2026-03-24T23:00:00.000Z"); // 25 March, CET
    expect(list.map((b) => (b.to - b.from) / HOUR)).toEqual([24, 24, 24, 24, 23, 24, 24]);
    expect(iso(list.at(-1)!.to)).toBe("2026-03-31T22:00:00.000Z"); // 1 April, CEST
  });

  test("current_month by day has a bucket per calendar day", () => {
    expect(buckets({ period: "current_month" }, "UTC", "day", "2026-02-10T00:00:00Z")).toHaveLength(28);
  });

  test("custom bounds with times: the first and last days are clipped", () => {
    const list = buckets({ from: "2026-05-01T18:00:00+02:00", to: "2026-05-03T06:30:00+02:00" }, "Europe/Berlin", "day");
    expect(list.map((b) => [iso(b.from), iso(b.to)])).toEqual([
      ["2026-05-01T16:00:00.000Z", "2026-05-01T22:00:00.000Z"],
      ["2026-05-01T22:00:00.000Z", "2026-05-02T22:00:00.000Z"],
      ["2026-05-02T22:00:00.000Z", "2026-05-03T04:30:00.000Z"],
    ]);
  });

  test("the longest custom range (400 days) is within the limit", () => {
    expect(buckets({ from: "2025-01-01", to: "2026-02-04" }, "UTC", "day")).toHaveLength(400);
  });
});

describe("parseBucket", () => {
  test("hour, day, or none", () => {
    expect(parseBucket("hour")).toBe("hour");
    expect(parseBucket("day")).toBe("day");
    expect(parseBucket(null)).toBeUndefined();
    expect(parseBucket("")).toBeUndefined();
  });

  test("anything else is a 400 naming bucket", () => {
    for (const raw of ["week", "HOUR", "hour,day"]) expect(refusal(() => parseBucket(raw)).param).toBe("bucket");
  });
});
