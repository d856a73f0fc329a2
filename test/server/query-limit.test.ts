// The one parser of the `limit` query parameter: default, bounds, and a 400 naming `limit` for anything else.
import { describe, expect, test } from "bun:test";
import { GatewayError } from "../../src/core/errors.ts";
import { DEFAULT_LIMIT, limitParam, MAX_LIMIT } from "../../src/server/query-limit.ts";

const parse = (search: string) => limitParam(new URLSearchParams(search));

describe("limitParam", () => {
  test("absent is the default; whole numbers from 1 to the maximum pass", () => {
    expect(parse("")).toBe(DEFAULT_LIMIT);
    expect(DEFAULT_LIMIT).toBe(100);
    expect(MAX_LIMIT).toBe(1000);
    expect(parse("limit=1")).toBe(1);
    expect(parse("limit=250")).toBe(250);
    expect(parse("limit=1000")).toBe(1000);
    expect(parse("limit=0007")).toBe(7);
  });

  for (const bad of ["", "0", "1001", "99999", "-1", "2.5", "1e2", "0x10", " 5", "+5", "ten", "Infinity"]) {
    test(`limit=${JSON.stringify(bad)} is invalid_request naming limit`, () => {
      const error = (() => {
        try {
          parse(`limit=${encodeURIComponent(bad)}`);
        } catch (thrown) {
          return thrown;
        }
      })();
      expect(error).toBeInstanceOf(GatewayError);
      expect(error).toMatchObject({ code: "invalid_request", param: "limit", status: 400 });
      expect((error as Error).message).toBe("'limit' takes a whole number from 1 to 1000 (default 100).");
    });
  }
});
