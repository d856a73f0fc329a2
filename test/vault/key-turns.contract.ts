// The stored keys' turn-and-cooldown contract: every driver (memory, Redis) runs this suite. Two instances made by
// one maker stand for two replicas; the memory driver's replicas are one process (the same instance).
import { afterAll, describe, expect, test } from "bun:test";
import type { KeyTurns } from "../../src/vault/key-turns.ts";

export function keyTurnsContract(name: string, make: () => { replica(): KeyTurns }): void {
  describe(`key turns contract: ${name}`, () => {
    const maker = make();
    const made: KeyTurns[] = [];
    const replica = () => {
      const turns = maker.replica();
      made.push(turns);
      return turns;
    };
    afterAll(async () => {
      for (const turns of made) await turns.close();
    });
    const group = () => `acc_${crypto.randomUUID()}\u0000openai`;

    test("turns count up per group, across replicas, and each group has its own", async () => {
      const [a, b] = [replica(), replica()];
      const [g1, g2] = [group(), group()];
      const taken = [];
      for (let i = 0; i < 3; i++) {
        taken.push((await a.take(g1, [])).turn);
        taken.push((await b.take(g1, [])).turn);
      }
      expect(taken).toEqual([0, 1, 2, 3, 4, 5]);
      expect((await b.take(g2, [])).turn).toBe(0);
    });

    test("100 concurrent takes over two replicas hand out 100 distinct turns", async () => {
      const [a, b] = [replica(), replica()];
      const g = group();
      const turns = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? a : b).take(g, [])));
      expect(new Set(turns.map((t) => t.turn)).size).toBe(100);
    });

    test("a key cooled down on one replica is cooling on the other, until its cooldown ends", async () => {
      const [a, b] = [replica(), replica()];
      const [hot, cold] = [`pk_${crypto.randomUUID()}`, `pk_${crypto.randomUUID()}`];
      await a.coolDown(hot, Date.now() + 400);
      expect([...(await b.take(group(), [hot, cold])).cooling]).toEqual([hot]);
      expect([...(await a.take(group(), [cold])).cooling]).toEqual([]);
      await Bun.sleep(550);
      expect([...(await b.take(group(), [hot, cold])).cooling]).toEqual([]);
    });

    test("a shorter cooldown seen later does not shorten one under way", async () => {
      const [a, b] = [replica(), replica()];
      const key = `pk_${crypto.randomUUID()}`;
      await a.coolDown(key, Date.now() + 1_500);
      await b.coolDown(key, Date.now() + 100);
      await Bun.sleep(300);
      expect([...(await a.take(group(), [key])).cooling]).toEqual([key]);
    });
  });
}
