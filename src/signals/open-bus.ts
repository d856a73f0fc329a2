// The bus a gateway uses: over Redis when counters are in Redis (many replicas), otherwise in-process.
import type { ResolvedConfig } from "../config/validate.ts";
import type { Logger } from "../telemetry/logger.ts";
import { memorySignalBus } from "./memory-bus.ts";
import { redisSignalBus } from "./redis-bus.ts";
import type { SignalBus } from "./signal.ts";

/** Opens the bus; with Redis, waits for the first subscription attempt (a Redis that is down does not stop the start). */
export async function openSignalBus(counters: ResolvedConfig["counters"], logger: Logger): Promise<SignalBus> {
  if (counters.driver !== "redis" || !counters.url) return memorySignalBus(logger);
  // The channel carries the installation's prefix, as every key does: installations sharing a Redis stay apart.
  const bus = redisSignalBus(counters.url, { logger, channel: `${counters.prefix}signals` });
  await bus.started;
  return bus;
}
