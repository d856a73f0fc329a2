// Alert periods on the budgets.time_zone calendar: hours, days (23 and 25 hours on daylight-saving changes) and
// months, the period before, and the rollup hours covering them.
import { describe, expect, test } from "bun:test";
import { HOUR_MS, hoursOf, periodWindow, previousWindow } from "../../src/alerts/windows.ts";

const at = (iso: string) => Date.parse(iso);

describe("alert windows", () => {
  test("hourly: the clock hour holding the instant", () => {
    const w = periodWindow("hourly", "America/New_York", at("2026-03-10T14:59:59.999Z"));
    expect([w.from, w.to]).toEqual([at("2026-03-10T14:00:00Z"), at("2026-03-10T15:00:00Z")]);
    expect(w.key).toBe("hourly:2026-03-10T10:00:00.000-04:00");
  });

  test("daily in Europe/Berlin: local midnight to midnight; the spring-forward day is 23 hours, the fall-back day 25", () => {
    const spring = periodWindow("daily", "Europe/Berlin", at("2026-03-29T12:00:00Z"));
    expect([spring.from, spring.to]).toEqual([at("2026-03-28T23:00:00Z"), at("2026-03-29T22:00:00Z")]);
    expect((spring.to - spring.from) / HOUR_MS).toBe(23);
    const fall = periodWindow("daily", "Europe/Berlin", at("2026-10-25T12:00:00Z"));
    expect((fall.to - fall.from) / HOUR_MS).toBe(25);
    // 23:30 UTC on the 28th is already the 29th in Berlin.
    expect(periodWindow("daily", "Europe/Berlin", at("2026-03-28T23:30:00Z")).key).toBe(spring.key);
    expect(spring.key).toBe("daily:2026-03-29T00:00:00.000+01:00");
  });

  test("monthly: the first of the local month to the first of the next; the period before", () => {
    const march = periodWindow("monthly", "America/New_York", at("2026-03-15T00:00:00Z"));
    expect([march.from, march.to]).toEqual([at("2026-03-01T05:00:00Z"), at("2026-04-01T04:00:00Z")]);
    const feb = previousWindow("monthly", "America/New_York", march);
    expect([feb.from, feb.to]).toEqual([at("2026-02-01T05:00:00Z"), march.from]);
    const dayBefore = previousWindow("daily", "UTC", periodWindow("daily", "UTC", at("2026-01-01T05:00:00Z")));
    expect(dayBefore.key).toBe("daily:2025-12-31T00:00:00.000+00:00");
  });

  test("rollup hours: exact on hour boundaries; in a :30 zone the straddled hour goes with the window it ends in", () => {
    const day = periodWindow("daily", "UTC", at("2026-01-02T10:00:00Z"));
    expect(hoursOf(day)).toEqual({ fromHour: day.from / HOUR_MS, toHour: day.from / HOUR_MS + 24 });
    const kolkata = periodWindow("daily", "Asia/Kolkata", at("2026-01-02T10:00:00Z"));
    expect(kolkata.from).toBe(at("2026-01-01T18:30:00Z"));
    expect(hoursOf(kolkata)).toEqual({ fromHour: at("2026-01-01T19:00:00Z") / HOUR_MS, toHour: at("2026-01-02T19:00:00Z") / HOUR_MS });
  });
});
