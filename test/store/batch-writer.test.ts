import { describe, expect, test } from "bun:test";
import { createBatchWriter } from "../../src/store/batch-writer.ts";
import { createLogger } from "../../src/telemetry/logger.ts";

describe("batch writer", () => {
  test("writes in slices, in order, and a failed slice is kept with the rest for the next flush", async () => {
    const written: number[][] = [];
    let failOnce = true;
    const lines: string[] = [];
    const writer = createBatchWriter<number>(
      async (rows) => {
        if (rows[0] === 8 && failOnce) {
          failOnce = false;
          throw new Error("disk full");
        }
        written.push(rows);
      },
      createLogger("error", (line) => lines.push(line)),
      { what: "numbers", intervalMs: 60_000, sliceSize: 4 },
    );
    for (let i = 0; i < 14; i++) writer.add(i);
    await writer.flush();
    expect(written).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    expect(lines.join("")).toContain("numbers could not be written");
    writer.add(14);
    await writer.close();
    expect(written.flat()).toEqual(Array.from({ length: 15 }, (_, i) => i));
  });
});
