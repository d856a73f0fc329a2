import { expect, test } from "bun:test";
import { memoryKeyTurns } from "../../src/vault/key-turns.ts";
import { redisKeyTurns } from "../../src/vault/redis-key-turns.ts";
import { redisBreakerBoard } from "../../src/health/redis-breaker-board.ts";
import { createLogger } from "../../src/telemetry/logger.ts";
import { keyTurnsContract } from "./key-turns.contract.ts";

const REDIS_URL = process.env.KEYWAY_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

keyTurnsContract("memory", () => {
  const one = memoryKeyTurns();
  return { replica: () => one };
});
// Redis runs on every developer and CI machine of this project (.ci/run starts it when it is down).
keyTurnsContract("redis", () => {
  const prefix = `test:${crypto.randomUUID()}:`;
  return { replica: () => redisKeyTurns({ url: REDIS_URL, prefix }) };
});

test("Redis unreachable: turns and cooldowns fall back to the replica's memory at once, the outage logged once", async () => {
  const logs: string[] = [];
  const turns = redisKeyTurns({ url: "redis://127.0.0.1:1", prefix: "test:", logger: createLogger("debug", (line) => logs.push(line)) });
  const started = Date.now();
  const g = "acc_x\u0000openai";
  expect((await turns.take(g, [])).turn).toBe(0);
  expect((await turns.take(g, [])).turn).toBe(1);
  await turns.coolDown("pk_a", Date.now() + 60_000);
  expect([...(await turns.take(g, ["pk_a", "pk_b"])).cooling]).toEqual(["pk_a"]);
  expect(Date.now() - started).toBeLessThan(3_000);
  expect(logs.filter((line) => line.includes("stored-key cooldowns unreachable"))).toHaveLength(1);
  expect(logs.join("\n")).not.toContain("redis://");
  await turns.close();
});

test("Redis unreachable: publishing a breaker change neither throws nor hangs", async () => {
  const logs: string[] = [];
  const board = redisBreakerBoard({ url: "redis://127.0.0.1:1", prefix: "test:", logger: createLogger("debug", (line) => logs.push(line)) });
  const started = Date.now();
  board.watch(() => {});
  await board.publish("openai", { open: true, at: 1, reason: "failing", nextCheckAt: 2, by: board.replica });
  await Bun.sleep(600);
  expect(Date.now() - started).toBeLessThan(2_000);
  expect(logs.filter((line) => line.includes("provider health board unreachable"))).toHaveLength(1);
  await board.close();
});
