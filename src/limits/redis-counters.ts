// Counters in Redis, shared by every keyway instance: check-and-increment is one Lua script, so it is atomic.
// While Redis cannot be reached every call fails fast with a 503 `limits_unavailable` (see redis-link.ts).
import type { Counters, Reservation } from "./counters.ts";
import { openRedisLink, type RedisLinkOptions } from "./redis-link.ts";

const RESERVE = `
local value = tonumber(redis.call('GET', KEYS[1]) or '0')
local amount = tonumber(ARGV[1])
if value + amount > tonumber(ARGV[2]) then
  return {0, value, redis.call('PTTL', KEYS[1])}
end
value = redis.call('INCRBY', KEYS[1], amount)
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return {1, value, redis.call('PTTL', KEYS[1])}
`;

const ADD = `
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value
`;

export function redisCounters(url: string, prefix = "keyway:", options: RedisLinkOptions = {}): Counters {
  const link = openRedisLink(url, options);
  const int = (value: number) => String(Math.round(value));
  return {
    async reserve(key, amount, limit, ttlMs): Promise<Reservation> {
      const [granted, value, ttl] = (await link.run((client) => client.send("EVAL", [RESERVE, "1", prefix + key, int(amount), int(limit), int(ttlMs)]))) as number[];
      return { granted: granted === 1, value: Number(value), ttlMs: Math.max(0, Number(ttl)) };
    },
    async add(key, amount, ttlMs) {
      return Number(await link.run((client) => client.send("EVAL", [ADD, "1", prefix + key, int(amount), int(ttlMs)])));
    },
    async get(key) {
      return Number((await link.run((client) => client.get(prefix + key))) ?? 0);
    },
    check: () => link.check(),
    async close() {
      link.close();
    },
  };
}
