// The in-process signals bus: one gateway, so publishing is delivering to its own subscribers.
import type { Logger } from "../telemetry/logger.ts";
import { describeError } from "../telemetry/logger.ts";
import { localDelivery } from "./local-delivery.ts";
import type { SignalBus } from "./signal.ts";

export function memorySignalBus(logger?: Logger): SignalBus {
  const local = localDelivery((error) => logger?.error("signal subscriber failed", describeError(error)));
  return {
    publish: (signal) => local.deliver(signal),
    subscribe: (handler) => local.subscribe(handler),
    async close() {
      local.clear();
    },
  };
}
