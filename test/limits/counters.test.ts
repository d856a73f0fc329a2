import { memoryCounters } from "../../src/limits/memory-counters.ts";
import { redisCounters } from "../../src/limits/redis-counters.ts";
import { countersContract } from "./counters.contract.ts";

countersContract("memory", memoryCounters);
// Redis runs on every developer and CI machine of this project (.ci/run starts it when it is down).
countersContract("redis", () => redisCounters(process.env.KEYWAY_TEST_REDIS_URL ?? "redis://127.0.0.1:6379"));
