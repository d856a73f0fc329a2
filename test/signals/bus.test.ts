// The signals bus contract on both drivers, then what only the Redis driver does: ignoring malformed messages,
// keeping requests safe when Redis is unreachable, and getting its subscription back after losing it.
import { describe, expect, test } from "bun:test";
import { RedisClient } from "bun";
import { memorySignalBus } from "../../src/signals/memory-bus.ts";
import { redisSignalBus } from "../../src/signals/redis-bus.ts";
import type { Signal } from "../../src/signals/signal.ts";
import { createLogger } from "../../src/telemetry/logger.ts";
import { signalBusContract } from "./bus.contract.ts";

const REDIS_URL = process.env.KEYWAY_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

function capturedLogger() {
  const lines: { level: string; msg: string }[] = [];
  return { lines, logger: createLogger("debug", (line) => lines.push(JSON.parse(line) as { level: string; msg: string })) };
}

/** A channel of its own per test run, so parallel runs never hear each other. */
const channelOf = (label: string) => `keyway-test:${label}:${crypto.randomUUID()}`;

async function waitFor(done: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (done()) return true;
    await Bun.sleep(10);
  }
  return done();
}

signalBusContract("in-process", async () => {
  const bus = memorySignalBus();
  return { here: bus, there: bus, close: () => bus.close() };
});

signalBusContract("redis", async () => {
  const { logger } = capturedLogger();
  const channel = channelOf("contract");
  const here = redisSignalBus(REDIS_URL, { logger, channel });
  const there = redisSignalBus(REDIS_URL, { logger, channel });
  await Promise.all([here.started, there.started]);
  return {
    here,
    there,
    async close() {
      await here.close();
      await there.close();
    },
  };
});

describe("signals over Redis", () => {
  test("malformed messages on the channel are ignored; a well-formed one after them still arrives", async () => {
    const { logger } = capturedLogger();
    const channel = channelOf("malformed");
    const bus = redisSignalBus(REDIS_URL, { logger, channel });
    await bus.started;
    const got: Signal[] = [];
    bus.subscribe((s) => got.push(s));
    const raw = new RedisClient(REDIS_URL);
    try {
      for (const message of ["not json", "{}", JSON.stringify({ origin: "x", signal: { kind: "drop_database" } }), JSON.stringify({ origin: "x", signal: { kind: "api_keys", digests: ["kw_not_a_digest"] } })]) {
        await raw.publish(channel, message);
      }
      await raw.publish(channel, JSON.stringify({ origin: "other-replica", signal: { kind: "teams" } }));
      expect(await waitFor(() => got.length > 0, 1_000)).toBe(true);
      await Bun.sleep(100);
      expect(got).toEqual([{ kind: "teams" }]);
    } finally {
      raw.close();
      await bus.close();
    }
  });

  test("Redis unreachable: publishing neither throws nor waits, local subscribers still get every signal, and the outage is logged once", async () => {
    const { lines, logger } = capturedLogger();
    const bus = redisSignalBus("redis://127.0.0.1:1", { logger, channel: channelOf("down"), reconnectMs: 50, connectTimeoutMs: 200 });
    await bus.started;
    expect(bus.listening()).toBe(false);
    const got: Signal[] = [];
    bus.subscribe((s) => got.push(s));
    const started = performance.now();
    for (let i = 0; i < 20; i++) bus.publish({ kind: "stored_keys" });
    expect(performance.now() - started).toBeLessThan(50);
    expect(got.filter((s) => s.kind === "stored_keys")).toHaveLength(20);
    await Bun.sleep(400); // several reconnect attempts and failed publishes
    // Caches keep their TTLs through the outage: not dropped again at each failed attempt.
    expect(got.filter((s) => s.kind === "everything")).toHaveLength(0);
    await bus.close();
    const lost = lines.filter((l) => l.msg.startsWith("signals: Redis subscription lost"));
    const cannotPublish = lines.filter((l) => l.msg.startsWith("signals: cannot publish"));
    expect(lost).toHaveLength(1);
    expect(lost[0]?.level).toBe("warn");
    expect(cannotPublish).toHaveLength(1);
  });

  test("a killed subscription is logged, caches are told to drop everything, and it comes back on its own", async () => {
    const { lines, logger } = capturedLogger();
    const channel = channelOf("kill");
    const here = redisSignalBus(REDIS_URL, { logger, channel, reconnectMs: 100 });
    const there = redisSignalBus(REDIS_URL, { logger, channel, reconnectMs: 100 });
    await Promise.all([here.started, there.started]);
    const got: Signal[] = [];
    there.subscribe((s) => got.push(s));
    const admin = new RedisClient(REDIS_URL);
    try {
      const clients = (await admin.send("CLIENT", ["LIST"])) as string;
      const line = clients.split("\n").find((l) => l.includes(`name=${there.connectionName} `));
      const id = /\bid=(\d+)/.exec(line ?? "")?.[1];
      expect(id).toBeDefined();
      await admin.send("CLIENT", ["KILL", "ID", id as string]);

      // Lost: logged, everything dropped at once; then restored within a few reconnect pauses, everything dropped again.
      expect(await waitFor(() => lines.some((l) => l.msg.startsWith("signals: Redis subscription lost")), 1_000)).toBe(true);
      expect(await waitFor(() => lines.some((l) => l.msg.startsWith("signals: Redis subscription restored")), 2_000)).toBe(true);
      expect(there.listening()).toBe(true);
      expect(got.filter((s) => s.kind === "everything").length).toBeGreaterThanOrEqual(2);

      got.length = 0;
      here.publish({ kind: "api_keys", digests: ["f".repeat(64)] });
      expect(await waitFor(() => got.length > 0, 1_000)).toBe(true);
      expect(got).toEqual([{ kind: "api_keys", digests: ["f".repeat(64)] }]);
    } finally {
      admin.close();
      await here.close();
      await there.close();
    }
  });
});
