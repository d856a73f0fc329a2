// Export cell formatting: USD text from integer micros, and local ISO instants equal to isoInZone's.
import { describe, expect, test } from "bun:test";
import { usdNumber, usdText, zonedIsoFormatter } from "../../src/analytics/export-format.ts";
import { isoInZone } from "../../src/analytics/periods.ts";

describe("usdText", () => {
  test("six decimals, exact for any integer micros", () => {
    expect(usdText(0)).toBe("0.000000");
    expect(usdText(1)).toBe("0.000001");
    expect(usdText(999_999)).toBe("0.999999");
    expect(usdText(1_000_000)).toBe("1.000000");
    expect(usdText(123_456_789)).toBe("123.456789");
    expect(usdText(-1_500_001)).toBe("-1.500001");
    expect(usdText(Number.MAX_SAFE_INTEGER)).toBe("9007199254.740991");
  });

  test("the number form is the same value", () => {
    for (const micros of [0, 1, 70, 999_999, 123_456_789, 33_333_333]) expect(usdNumber(micros)).toBe(Number(usdText(micros)));
  });
});

describe("zonedIsoFormatter", () => {
  test("writes what isoInZone writes, across daylight-saving changes and :30/:45 zones", () => {
    for (const zone of ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Chatham", "Australia/Lord_Howe"]) {
      const iso = zonedIsoFormatter(zone);
      // Every 97 minutes (and a few ms) over 2025, both directions, so the kept offset is re-read at each change.
      const instants: number[] = [];
      for (let at = Date.UTC(2025, 0, 1); at < Date.UTC(2026, 0, 1); at += 97 * 60_000 + 7) instants.push(at);
      for (const at of [...instants, ...instants.reverse()]) expect(iso(at)).toBe(isoInZone(at, zone));
    }
  });

  test("the instant just before and after Berlin's spring change", () => {
    const iso = zonedIsoFormatter("Europe/Berlin");
    expect(iso(Date.UTC(2025, 2, 30, 0, 59, 59, 999))).toBe("2025-03-30T01:59:59.999+01:00");
    expect(iso(Date.UTC(2025, 2, 30, 1, 0, 0, 0))).toBe("2025-03-30T03:00:00.000+02:00");
  });
});
