// Loads provider and strategy plugins from .ts files named in the config; plugins import only `keyway/plugin`.
import { isAbsolute, resolve } from "node:path";
import { defineProvider, defineStrategy, type ProviderAdapter, type RoutingStrategy } from "../plugins/sdk.ts";
import * as publicModule from "./public-module.ts";

let registered = false;

/** Makes `import ... from "keyway/plugin"` resolve to the contract and helpers, in source runs and in the compiled binary. */
export function registerPluginModule(): void {
  if (registered) return;
  registered = true;
  Bun.plugin({
    name: "keyway-plugin-sdk",
    setup(build) {
      build.module("keyway/plugin", () => ({ exports: { ...publicModule }, loader: "object" }));
    },
  });
}

export class PluginError extends Error {
  constructor(file: string, problem: string) {
    super(`plugin ${file}: ${problem}`);
    this.name = "PluginError";
  }
}

async function importDefault(file: string, baseDir: string): Promise<{ path: string; value: unknown }> {
  registerPluginModule();
  const path = isAbsolute(file) ? file : resolve(baseDir, file);
  let module: { default?: unknown };
  try {
    module = await import(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PluginError(file, `failed to load: ${reason}`);
  }
  if (module.default === undefined) throw new PluginError(file, "has no default export (export default defineProvider(...) or defineStrategy(...))");
  return { path, value: module.default };
}

export async function loadProviderPlugin(file: string, baseDir: string): Promise<ProviderAdapter> {
  const { value } = await importDefault(file, baseDir);
  try {
    return defineProvider(value as ProviderAdapter);
  } catch (error) {
    throw new PluginError(file, error instanceof Error ? error.message : String(error));
  }
}

export async function loadStrategyPlugin(file: string, baseDir: string): Promise<RoutingStrategy> {
  const { value } = await importDefault(file, baseDir);
  try {
    return defineStrategy(value as RoutingStrategy);
  } catch (error) {
    throw new PluginError(file, error instanceof Error ? error.message : String(error));
  }
}
