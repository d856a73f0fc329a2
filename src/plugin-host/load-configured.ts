// Loads every plugin the config names (provider adapters by path, routing strategies) next to the built-ins, each
// behind its boundary (guard-provider.ts, guard-strategy.ts), and registers every adapter's key shapes with the redactor.
import { dirname } from "node:path";
import type { ResolvedConfig } from "../config/validate.ts";
import { builtInAdapters } from "../providers/builtin.ts";
import { builtInStrategies } from "../routing/builtin.ts";
import type { Logger } from "../telemetry/logger.ts";
import { registerKeyPatterns } from "../telemetry/redact.ts";
import { DEFAULT_BLOCK_WARN_MS } from "./blocking.ts";
import { guardProvider } from "./guard-provider.ts";
import { DEFAULT_PLAN_TIMEOUT_MS, guardStrategy } from "./guard-strategy.ts";
import { loadProviderPlugin, loadStrategyPlugin } from "./loader.ts";
import type { ProviderAdapter, RoutingStrategy } from "../plugins/sdk.ts";

export interface PluginHostOptions {
  /** Where plugin faults, refused plans and event-loop blocking are reported. */
  logger?: Logger;
  /** Synchronous plugin work longer than this is logged (ms). Default 100. */
  blockWarnMs?: number;
  /** How long a plugin module may take to load (ms). Default 10 s. */
  loadTimeoutMs?: number;
  /** How long an async `plan` may take (ms). Default 2 s. */
  planTimeoutMs?: number;
}

/** The strategy that plans a request whose plugin strategy's answer was refused: the configured default when built in. */
function fallbackStrategy(config: ResolvedConfig): RoutingStrategy {
  const named = builtInStrategies.get(config.routing.default.strategy);
  return named ?? (builtInStrategies.get("byok_preferred") as RoutingStrategy);
}

/** Makes the redactor find the keys of these adapters (their `keyPatterns`) in every text it cleans from now on. */
export function registerAdapterKeyPatterns(adapters: Iterable<ProviderAdapter>): void {
  registerKeyPatterns([...adapters].flatMap((adapter) => adapter.keyPatterns ?? []));
}

export async function loadConfiguredPlugins(config: ResolvedConfig, baseDir: string, options: PluginHostOptions = {}) {
  // KEYWAY_PLUGIN_LOAD_TIMEOUT_MS is internal: tests of `serve` and `check` shorten the 10 s with it.
  const load = { timeoutMs: options.loadTimeoutMs ?? (Number(process.env.KEYWAY_PLUGIN_LOAD_TIMEOUT_MS) || undefined) };
  const watch = (kind: string, name: string, file: string) => ({
    plugin: `${kind} plugin '${name}' (${file})`,
    file,
    logger: options.logger,
    thresholdMs: options.blockWarnMs ?? DEFAULT_BLOCK_WARN_MS,
  });
  const adapters = new Map<string, ProviderAdapter>(builtInAdapters);
  for (const settings of Object.values(config.providers)) {
    if (adapters.has(settings.adapter)) continue;
    const adapter = await loadProviderPlugin(settings.adapter, baseDir, load);
    adapters.set(settings.adapter, guardProvider(adapter, watch("provider", adapter.name, settings.adapter)));
  }
  registerAdapterKeyPatterns(adapters.values());
  const strategies = new Map<string, RoutingStrategy>(builtInStrategies);
  const fallback = fallbackStrategy(config);
  for (const [name, file] of Object.entries(config.routing.strategies)) {
    const strategy = await loadStrategyPlugin(file, baseDir, load);
    strategies.set(name, guardStrategy(strategy, { ...watch("strategy", name, file), fallback, planTimeoutMs: options.planTimeoutMs ?? DEFAULT_PLAN_TIMEOUT_MS }));
  }
  return { adapters, strategies };
}

/** Plugin paths are relative to the config file's folder (the working directory with no file). */
export function pluginBaseDir(source: string): string {
  return source === "built-in defaults" ? process.cwd() : dirname(source);
}
