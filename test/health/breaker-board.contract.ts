// The breaker board contract: every driver (memory hub, Redis) runs this suite. Two boards stand for two replicas.
import { afterAll, describe, expect, test } from "bun:test";
import type { BreakerBoard, BreakerState } from "../../src/health/breaker-board.ts";

export interface BoardMaker {
  /** A board for a replica named `replica`, on the same backing as every other board this maker made. */
  board(replica: string): BreakerBoard;
}

async function until<T>(read: () => T, done: (value: T) => boolean, ms = 2_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (!done(read()) && Date.now() < deadline) await Bun.sleep(20);
  return read();
}

export function breakerBoardContract(name: string, make: () => BoardMaker): void {
  describe(`breaker board contract: ${name}`, () => {
    const maker = make();
    const boards: BreakerBoard[] = [];
    const board = (replica: string) => {
      const made = maker.board(replica);
      boards.push(made);
      return made;
    };
    afterAll(async () => {
      for (const b of boards) await b.close();
    });

    test("a change published by one replica reaches the other within a second, never its own publisher", async () => {
      const a = board("replica-a");
      const b = board("replica-b");
      const seenByA: [string, BreakerState][] = [];
      const seenByB: [string, BreakerState][] = [];
      a.watch((provider, state) => seenByA.push([provider, state]));
      b.watch((provider, state) => seenByB.push([provider, state]));
      const opened: BreakerState = { open: true, at: 1_000, reason: "success rate 0.0% is under the 95% threshold", nextCheckAt: 31_000, by: "replica-a" };
      const started = Date.now();
      await a.publish("openai", opened);
      const got = await until(() => seenByB, (s) => s.length > 0);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(got).toEqual([["openai", opened]]);
      const closed: BreakerState = { open: false, at: 2_000, by: "replica-b" };
      await b.publish("openai", closed);
      expect(await until(() => seenByA, (s) => s.length > 0)).toEqual([["openai", closed]]);
      await Bun.sleep(400);
      expect(seenByA).toHaveLength(1);
      expect(seenByB).toHaveLength(1);
    });

    test("an older change loses to the one already on the board", async () => {
      const a = board("replica-c");
      const b = board("replica-d");
      const seenByB: [string, BreakerState][] = [];
      b.watch((provider, state) => seenByB.push([provider, state]));
      await a.publish("anthropic", { open: true, at: 5_000, reason: "failing", nextCheckAt: 6_000, by: "replica-a" });
      await until(() => seenByB, (s) => s.some(([p]) => p === "anthropic"));
      await a.publish("anthropic", { open: false, at: 4_000, by: "replica-c" });
      await Bun.sleep(500);
      expect(seenByB.filter(([p]) => p === "anthropic").map(([, s]) => s.at)).toEqual([5_000]);
    });

    test("a replica that starts later is told of the breakers already open", async () => {
      const a = board("replica-e");
      await a.publish("cohere", { open: true, at: 9_000, reason: "failing", nextCheckAt: 10_000, by: "replica-e" });
      const late = board("replica-f");
      const seen: [string, BreakerState][] = [];
      late.watch((provider, state) => seen.push([provider, state]));
      const got = await until(() => seen, (s) => s.some(([p]) => p === "cohere"));
      expect(got.find(([p]) => p === "cohere")?.[1]).toMatchObject({ open: true, at: 9_000, by: "replica-e" });
    });
  });
}
