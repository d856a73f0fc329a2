// Loads every plugin the config names (provider adapters by path, routing strategies) next to the built-ins, and
// registers every loaded adapter's key shapes with the redactor.
import { dirname } from "node:path";
import type { ResolvedConfig } from "../config/validate.ts";
import { builtInAdapters } from "../providers/builtin.ts";
import { builtInStrategies } from "../routing/builtin.ts";
import { registerKeyPatterns } from "../telemetry/redact.ts";
import { loadProviderPlugin, loadStrategyPlugin } from "./loader.ts";
import type { ProviderAdapter, RoutingStrategy } from "../plugins/sdk.ts";

/** Makes the redactor find the keys of these adapters (their `keyPatterns`) in every text it cleans from now on. */
export function registerAdapterKeyPatterns(adapters: Iterable<ProviderAdapter>): void {
  registerKeyPatterns([...adapters].flatMap((adapter) => adapter.keyPatterns ?? []));
}

export async function loadConfiguredPlugins(config: ResolvedConfig, baseDir: string) {
  const adapters = new Map<string, ProviderAdapter>(builtInAdapters);
  for (const settings of Object.values(config.providers)) {
    if (!adapters.has(settings.adapter)) adapters.set(settings.adapter, await loadProviderPlugin(settings.adapter, baseDir));
  }
  registerAdapterKeyPatterns(adapters.values());
  const strategies = new Map<string, RoutingStrategy>(builtInStrategies);
  for (const [name, file] of Object.entries(config.routing.strategies)) {
    strategies.set(name, await loadStrategyPlugin(file, baseDir));
  }
  return { adapters, strategies };
}

/** Plugin paths are relative to the config file's folder (the working directory with no file). */
export function pluginBaseDir(source: string): string {
  return source === "built-in defaults" ? process.cwd() : dirname(source);
}
