// The counters' Redis connection (src/redis/link.ts) and what keyway does about its reachability: while Redis is
// down a call that needs counters fails fast with a 503 `limits_unavailable` (nothing runs on unchecked limits),
// the outage and the recovery are logged once each, and a probe every second makes recovery show without traffic.
import type { RedisClient } from "bun";
import { GatewayError } from "../core/errors.ts";
import { describeRedisUrl, redisLink, RedisUnreachable } from "../redis/link.ts";
import type { Logger } from "../telemetry/logger.ts";
import type { CountersReachability } from "./counters.ts";

export interface RedisLinkOptions {
  logger?: Logger;
  /** How long a connection attempt or a command may take before Redis counts as down. Default 2 s. */
  timeoutMs?: number;
  /** How often a down Redis is probed. Default 1 s. */
  probeMs?: number;
}

export interface RedisLink {
  /** Runs a command on the connection; while Redis cannot be reached, a 503 `limits_unavailable` instead. */
  run<T>(command: (client: RedisClient) => Promise<T>): Promise<T>;
  /** Sends a PING now: whether Redis answers, and why not. */
  check(): Promise<CountersReachability>;
  close(): void;
}

export function openRedisLink(url: string, options: RedisLinkOptions = {}): RedisLink {
  const where = describeRedisUrl(url);
  let downSince = 0;
  const link = redisLink(url, {
    timeoutMs: options.timeoutMs ?? 2_000,
    probeMs: options.probeMs ?? 1_000,
    onChange(up, reason) {
      if (!up) {
        downSince = Date.now();
        options.logger?.error("redis unreachable: calls that need counters are refused until it is back", { redis: where, reason });
      } else {
        options.logger?.info("redis reachable again: counters are back", { redis: where, down_ms: Date.now() - downSince });
      }
    },
  });
  return {
    async run(command) {
      try {
        return await link.run(command);
      } catch (error) {
        if (!(error instanceof RedisUnreachable)) throw error;
        throw new GatewayError(
          "limits_unavailable",
          "keyway cannot reach the store of its rate limits and budgets (Redis), so calls that need them are refused for now rather than run unchecked. Retry shortly, or send your own provider key.",
          { retryAfterSeconds: 1, cause: error },
        );
      }
    },
    async check() {
      try {
        const answer = await link.send("PING", []);
        if (answer !== "PONG") return { reachable: false, reason: `answered PING with ${JSON.stringify(answer)}` };
        return { reachable: true };
      } catch (error) {
        const outage = link.outage();
        return { reachable: false, reason: outage?.reason ?? (error instanceof Error ? error.message : String(error)), since: outage?.since.toISOString() };
      }
    },
    close: () => link.close(),
  };
}
