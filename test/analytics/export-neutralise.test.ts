// Formula-injection neutralising of CSV text cells.
import { describe, expect, test } from "bun:test";
import { neutraliseCell } from "../../src/analytics/export-neutralise.ts";

describe("neutraliseCell", () => {
  test("cells a spreadsheet would read as formulas get a leading single quote", () => {
    for (const cell of ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "\uFF1D1+1", "\uFF0B1", "\uFF0D1", "\uFF20x"]) {
      expect(neutraliseCell(cell)).toBe(`'${cell}`);
    }
  });

  test("other cells are left as they are", () => {
    for (const cell of ["", "team one", "a=b", " =1", "'=already", "1.5", "gpt-4o", "req-=1", "\n=1"]) {
      expect(neutraliseCell(cell)).toBe(cell);
    }
  });
});
