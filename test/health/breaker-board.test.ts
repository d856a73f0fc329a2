import { memoryBreakerHub } from "../../src/health/breaker-board.ts";
import { redisBreakerBoard } from "../../src/health/redis-breaker-board.ts";
import { breakerBoardContract } from "./breaker-board.contract.ts";

breakerBoardContract("memory", () => {
  const hub = memoryBreakerHub();
  return { board: (replica) => hub.board(replica) };
});
// Redis runs on every developer and CI machine of this project (.ci/run starts it when it is down).
breakerBoardContract("redis", () => {
  const prefix = `test:${crypto.randomUUID()}:`;
  return { board: (replica) => redisBreakerBoard({ url: process.env.KEYWAY_TEST_REDIS_URL ?? "redis://127.0.0.1:6379", prefix, replica, pollMs: 100 }) };
});
