// Times a plugin's synchronous work: a call that holds the event loop past the threshold is logged with the plugin's
// name, since every other request of the gateway waited for it.
import type { Logger } from "../telemetry/logger.ts";

/** Synchronous plugin work longer than this (ms) is reported. */
export const DEFAULT_BLOCK_WARN_MS = 100;

export interface BlockWatch {
  /** What the log names: `provider plugin 'tiny' (plugins/tiny.ts)`. */
  plugin: string;
  file: string;
  logger?: Logger;
  thresholdMs: number;
}

/** Runs `work`, and logs a warning naming the plugin and its method when it held the event loop too long. */
export function timed<T>(watch: BlockWatch, method: string, work: () => T): T {
  const started = performance.now();
  try {
    return work();
  } finally {
    const blockedMs = Math.round(performance.now() - started);
    if (blockedMs > watch.thresholdMs) {
      watch.logger?.warn(`${watch.plugin} blocked the event loop for ${blockedMs} ms in ${method}`, {
        plugin: watch.plugin,
        plugin_file: watch.file,
        method,
        blocked_ms: blockedMs,
        threshold_ms: watch.thresholdMs,
      });
    }
  }
}
