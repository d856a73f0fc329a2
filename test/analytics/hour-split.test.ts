// Splitting a period into whole UTC hours (rollups) and the pieces of hours partly inside it (raw rows).
import { describe, expect, test } from "bun:test";
import { splitIntoHours } from "../../src/analytics/hour-split.ts";

const HOUR = 3_600_000;
const H = 500_000; // an epoch hour

describe("splitIntoHours", () => {
  test("a period on hour boundaries is whole hours only", () => {
    expect(splitIntoHours(H * HOUR, (H + 24) * HOUR)).toEqual({ wholeHours: { fromHour: H, toHour: H + 24 }, partial: [] });
  });

  test("a :30 zone's day (Asia/Kolkata) has a half hour at each end", () => {
    const from = H * HOUR + 30 * 60_000;
    const to = (H + 24) * HOUR + 30 * 60_000;
    expect(splitIntoHours(from, to)).toEqual({
      wholeHours: { fromHour: H + 1, toHour: H + 24 },
      partial: [{ from, to: (H + 1) * HOUR }, { from: (H + 24) * HOUR, to }],
    });
  });

  test("bounds with minutes on one side only", () => {
    expect(splitIntoHours(H * HOUR, (H + 3) * HOUR + 1)).toEqual({ wholeHours: { fromHour: H, toHour: H + 3 }, partial: [{ from: (H + 3) * HOUR, to: (H + 3) * HOUR + 1 }] });
    expect(splitIntoHours(H * HOUR - 1, (H + 3) * HOUR)).toEqual({ wholeHours: { fromHour: H, toHour: H + 3 }, partial: [{ from: H * HOUR - 1, to: H * HOUR }] });
  });

  test("within one hour, or across one boundary without a whole hour, it is all raw", () => {
    expect(splitIntoHours(H * HOUR + 10, H * HOUR + 20)).toEqual({ partial: [{ from: H * HOUR + 10, to: H * HOUR + 20 }] });
    expect(splitIntoHours(H * HOUR + 10, (H + 1) * HOUR + 20)).toEqual({ partial: [{ from: H * HOUR + 10, to: (H + 1) * HOUR + 20 }] });
  });

  test("an empty or reversed period reads nothing", () => {
    expect(splitIntoHours(H * HOUR, H * HOUR)).toEqual({ partial: [] });
    expect(splitIntoHours(H * HOUR + 5, H * HOUR)).toEqual({ partial: [] });
  });
});
