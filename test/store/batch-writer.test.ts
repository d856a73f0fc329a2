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

describe("group commit", () => {
  test("commit resolves once the row's batch is written; rows committed together share one write", async () => {
    const written: number[][] = [];
    const writer = createBatchWriter<number>(async (rows) => { written.push(rows); }, createLogger("error", () => {}), { what: "numbers", intervalMs: 60_000 });
    const first = writer.commit(1);
    const second = writer.commit(2);
    expect(written).toEqual([]);
    await Promise.all([first, second]);
    expect(written).toEqual([[1, 2]]);
    await writer.close();
  });

  test("rows committed while a write is under way go in the next write, after it", async () => {
    const written: number[][] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const writer = createBatchWriter<number>(
      async (rows) => {
        if (rows[0] === 1) await gate;
        written.push(rows);
      },
      createLogger("error", () => {}),
      { what: "numbers", intervalMs: 60_000 },
    );
    const first = writer.commit(1);
    await Bun.sleep(5);
    let secondDone = false;
    const second = writer.commit(2).then(() => { secondDone = true; });
    const third = writer.commit(3);
    await Bun.sleep(5);
    expect(secondDone).toBe(false);
    release();
    await Promise.all([first, second, third]);
    expect(written).toEqual([[1], [2, 3]]);
    await writer.close();
  });

  test("a batch that cannot be written still resolves its commits, and its rows are written by the next flush", async () => {
    const written: number[][] = [];
    let fail = true;
    const lines: string[] = [];
    const writer = createBatchWriter<number>(
      async (rows) => {
        if (fail) throw new Error("database is locked");
        written.push(rows);
      },
      createLogger("error", (line) => lines.push(line)),
      { what: "numbers", intervalMs: 60_000 },
    );
    await writer.commit(7);
    expect(lines.join("")).toContain("numbers could not be written");
    fail = false;
    await writer.flush();
    expect(written).toEqual([[7]]);
    await writer.close();
  });
});
