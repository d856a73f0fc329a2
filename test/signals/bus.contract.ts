// The signals bus contract: every driver runs this suite (in-process here, Redis pub/sub on the machine's server).
// `open` gives two handles on one medium: two replicas for Redis; for the in-process bus, the one bus twice.
import { afterAll, describe, expect, test } from "bun:test";
import type { Signal, SignalBus } from "../../src/signals/signal.ts";

export interface BusPair {
  here: SignalBus;
  there: SignalBus;
  close(): Promise<void>;
}

const DIGEST_A = "a".repeat(64);
const DIGEST_B = "0123456789abcdef".repeat(4);

/** Resolves once `received` holds `count` signals, or after `ms` (the test then sees what arrived). */
async function until(received: Signal[], count: number, ms = 1_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (received.length < count && Date.now() < deadline) await Bun.sleep(5);
}

export function signalBusContract(name: string, open: () => Promise<BusPair>): void {
  describe(`signals bus contract: ${name}`, async () => {
    const pair = await open();
    afterAll(() => pair.close());

    test("a publisher's own subscribers get the signal at once (before publish returns), exactly once", async () => {
      const got: Signal[] = [];
      const stop = pair.here.subscribe((s) => got.push(s));
      pair.here.publish({ kind: "teams" });
      expect(got).toEqual([{ kind: "teams" }]);
      await Bun.sleep(150);
      expect(got).toEqual([{ kind: "teams" }]);
      stop();
    });

    test("every kind of signal reaches the other handle's subscribers intact, within a second, exactly once each", async () => {
      const got: Signal[] = [];
      const stop = pair.there.subscribe((s) => got.push(s));
      const sent: Signal[] = [{ kind: "api_keys", digests: [DIGEST_A, DIGEST_B] }, { kind: "teams" }, { kind: "stored_keys" }, { kind: "everything" }];
      const started = Date.now();
      for (const signal of sent) pair.here.publish(signal);
      await until(got, sent.length);
      expect(Date.now() - started).toBeLessThan(1_000);
      await Bun.sleep(150);
      expect(got).toEqual(sent);
      stop();
    });

    test("an unsubscribed handler gets nothing more; the others still do", async () => {
      const kept: Signal[] = [];
      const dropped: Signal[] = [];
      const stopKept = pair.there.subscribe((s) => kept.push(s));
      const stopDropped = pair.there.subscribe((s) => dropped.push(s));
      stopDropped();
      pair.here.publish({ kind: "stored_keys" });
      await until(kept, 1);
      expect(kept).toEqual([{ kind: "stored_keys" }]);
      expect(dropped).toEqual([]);
      stopKept();
    });

    test("a subscriber that throws does not keep the signal from the others, nor fail the publisher", async () => {
      const got: Signal[] = [];
      const stopBad = pair.there.subscribe(() => {
        throw new Error("subscriber broke");
      });
      const stopGood = pair.there.subscribe((s) => got.push(s));
      expect(() => pair.here.publish({ kind: "teams" })).not.toThrow();
      await until(got, 1);
      expect(got).toEqual([{ kind: "teams" }]);
      stopBad();
      stopGood();
    });
  });
}
