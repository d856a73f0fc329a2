// Stored keys' round robin and cooldowns in Redis, shared by every replica: one script per request takes the turn
// and reads the cooldowns in a single round trip; a cooldown is a key that expires when it ends. Redis away: the
// replica falls back to its own memory state (stored keys need no shared counter to be safe), logs the outage
// once, and shares again when Redis answers.
import { redisLink } from "../redis/link.ts";
import type { Logger } from "../telemetry/logger.ts";
import { type KeyTurns, memoryKeyTurns } from "./key-turns.ts";

const TAKE = `
local turn = redis.call('INCR', KEYS[1]) - 1
redis.call('PEXPIRE', KEYS[1], 86400000)
local answer = {turn}
for i = 2, #KEYS do answer[i] = redis.call('EXISTS', KEYS[i]) end
return answer
`;

// A cooldown only ever grows: a shorter Retry-After seen later does not shorten one under way.
const COOL = `
local left = redis.call('PTTL', KEYS[1])
if left >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
return 1
`;

export interface RedisKeyTurnsOptions {
  url: string;
  /** Prefix of the keys (counters.prefix). */
  prefix: string;
  logger?: Logger;
}

export function redisKeyTurns(options: RedisKeyTurnsOptions): KeyTurns {
  const fallback = memoryKeyTurns();
  const link = redisLink(options.url, {
    onChange: (up, reason) =>
      up
        ? options.logger?.info("stored-key cooldowns reachable again; shared with every replica", {})
        : options.logger?.warn("stored-key cooldowns unreachable; this replica uses its own until Redis answers", { reason }),
  });
  const turnKey = (group: string) => `${options.prefix}keys:turn:${group.replaceAll("\u0000", ":")}`;
  const coolKey = (id: string) => `${options.prefix}keys:cool:${id}`;
  return {
    async take(group, keyIds) {
      try {
        const answer = (await link.send("EVAL", [TAKE, String(1 + keyIds.length), turnKey(group), ...keyIds.map(coolKey)])) as number[];
        const cooling = new Set(keyIds.filter((_, i) => Number(answer[i + 1]) === 1));
        return { turn: Number(answer[0]), cooling };
      } catch {
        return fallback.take(group, keyIds);
      }
    },
    async coolDown(keyId, until) {
      await fallback.coolDown(keyId, until);
      const ms = Math.ceil(until - Date.now());
      if (ms <= 0) return;
      try {
        await link.send("EVAL", [COOL, "1", coolKey(keyId), String(ms)]);
      } catch {
        // Kept in this replica's memory; the link logged the outage.
      }
    },
    async close() {
      link.close();
    },
  };
}

/** The driver the counters settings call for: Redis when they name it (a fleet), else this process's memory. */
export function keyTurnsFor(counters: { driver: string; url?: string; prefix: string }, logger?: Logger): KeyTurns {
  if (counters.driver !== "redis" || !counters.url) return memoryKeyTurns();
  return redisKeyTurns({ url: counters.url, prefix: counters.prefix, logger });
}
