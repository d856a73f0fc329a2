// The breaker board in Redis: one hash (provider -> state as JSON) written with a compare-and-set script, so the later
// change wins whichever replica writes last, and read by every replica every 250 ms, so a provider disabled or
// re-enabled on one replica is followed by all within a second. Redis away: each replica keeps its own breakers
// (today's single-process behaviour), logs the outage once, and catches up from the hash when Redis is back.
import { redisLink } from "../redis/link.ts";
import type { Logger } from "../telemetry/logger.ts";
import type { BreakerBoard, BreakerListener, BreakerState } from "./breaker-board.ts";

const PUBLISH = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local state = cjson.decode(current)
  local at = tonumber(ARGV[3])
  if state.at > at or (state.at == at and state.by >= ARGV[4]) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`;

export interface RedisBreakerBoardOptions {
  url: string;
  /** Prefix of the board's key (counters.prefix). */
  prefix: string;
  logger?: Logger;
  /** How often the board is read. Default 250 ms. */
  pollMs?: number;
  replica?: string;
}

export function redisBreakerBoard(options: RedisBreakerBoardOptions): BreakerBoard {
  const replica = options.replica ?? crypto.randomUUID();
  const key = `${options.prefix}health:breakers`;
  const link = redisLink(options.url, {
    onChange: (up, reason) =>
      up
        ? options.logger?.info("provider health board reachable again; breakers are shared", {})
        : options.logger?.warn("provider health board unreachable; breakers are this replica's own until Redis answers", { reason }),
  });
  const listeners: BreakerListener[] = [];
  const seen = new Map<string, string>();
  let timer: ReturnType<typeof setInterval> | undefined;
  let reading = false;

  async function read(): Promise<void> {
    if (reading) return;
    reading = true;
    try {
      const fields = (await link.send("HGETALL", [key])) as Record<string, string> | null;
      for (const [provider, raw] of Object.entries(fields ?? {})) {
        if (seen.get(provider) === raw) continue;
        seen.set(provider, raw);
        let state: BreakerState;
        try {
          state = JSON.parse(raw) as BreakerState;
        } catch {
          continue;
        }
        if (state.by === replica) continue;
        for (const listener of listeners) listener(provider, state);
      }
    } catch {
      // The link logged the outage; the next read catches up.
    } finally {
      reading = false;
    }
  }

  return {
    replica,
    async publish(provider, state) {
      const raw = JSON.stringify(state);
      try {
        const written = await link.send("EVAL", [PUBLISH, "1", key, provider, raw, String(state.at), state.by]);
        if (written === 1) seen.set(provider, raw);
      } catch (error) {
        options.logger?.debug("breaker change not shared", { provider, reason: error instanceof Error ? error.message : String(error) });
      }
    },
    watch(listener) {
      listeners.push(listener);
      void read();
      timer ??= setInterval(() => void read(), options.pollMs ?? 250);
      (timer as { unref?: () => void }).unref?.();
    },
    async close() {
      if (timer) clearInterval(timer);
      link.close();
    },
  };
}

/** The board the counters settings call for: Redis when they name it (a fleet), else undefined (this process alone). */
export function breakerBoardFor(counters: { driver: string; url?: string; prefix: string }, logger?: Logger): BreakerBoard | undefined {
  if (counters.driver !== "redis" || !counters.url) return undefined;
  return redisBreakerBoard({ url: counters.url, prefix: counters.prefix, logger });
}
