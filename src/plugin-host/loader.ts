// Loads provider and strategy plugins from .ts files named in the config; plugins import only `keyway/plugin` (or
// `@keyway/plugin`, the kit's package name). A syntax error is reported with its file, line and column; a module that
// does not finish loading (a top-level await that never settles) in time is refused, naming the file.
import { isAbsolute, resolve } from "node:path";
import { defineProvider, defineStrategy, type ProviderAdapter, type RoutingStrategy } from "../plugins/sdk.ts";
import * as publicModule from "./public-module.ts";

let registered = false;

/** How long a plugin module may take to load (ms). */
export const DEFAULT_LOAD_TIMEOUT_MS = 10_000;

/** Makes `import ... from "keyway/plugin"` resolve to the contract and helpers, in source runs and in the compiled binary. */
export function registerPluginModule(): void {
  if (registered) return;
  registered = true;
  Bun.plugin({
    name: "keyway-plugin-sdk",
    setup(build) {
      for (const name of ["keyway/plugin", "@keyway/plugin"]) build.module(name, () => ({ exports: { ...publicModule }, loader: "object" }));
    },
  });
}

export class PluginError extends Error {
  constructor(file: string, problem: string) {
    super(`plugin ${file}: ${problem}`);
    this.name = "PluginError";
  }
}

interface BuildPosition {
  file: string;
  line: number;
  column: number;
}

/** The first error of a failed build with its place (`file:line:column: message`), when the runtime gave one. */
function syntaxError(error: unknown): string | undefined {
  const many = (error as { errors?: unknown } | null)?.errors;
  const errors: unknown[] = Array.isArray(many) ? many : [error];
  const located = errors.filter((e): e is { message: string; position: BuildPosition } => typeof (e as { position?: BuildPosition })?.position?.line === "number");
  const [first] = located;
  if (!first) return undefined;
  const { file, line, column } = first.position;
  const more = located.length > 1 ? ` (and ${located.length - 1} more)` : "";
  return `syntax error at ${file}:${line}:${column}: ${first.message}${more}`;
}

function loadedWithin<T>(loading: Promise<T>, file: string, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new PluginError(file, `did not finish loading within ${timeoutMs / 1000} s (a top-level await that never settles?)`));
    }, timeoutMs);
  });
  return Promise.race([loading, late]).finally(() => clearTimeout(timer));
}

export interface LoadOptions {
  /** How long the module may take to load (ms). Default 10 s. */
  timeoutMs?: number;
}

async function importDefault(file: string, baseDir: string, options: LoadOptions = {}): Promise<{ path: string; value: unknown }> {
  registerPluginModule();
  const path = isAbsolute(file) ? file : resolve(baseDir, file);
  let module: { default?: unknown };
  try {
    module = await loadedWithin(import(path) as Promise<{ default?: unknown }>, file, options.timeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS);
  } catch (error) {
    if (error instanceof PluginError) throw error;
    const located = syntaxError(error);
    if (located) throw new PluginError(file, located);
    const reason = error instanceof Error ? error.message : String(error);
    throw new PluginError(file, `failed to load: ${reason}`);
  }
  if (module.default === undefined) throw new PluginError(file, "has no default export (export default defineProvider(...) or defineStrategy(...))");
  return { path, value: module.default };
}

export async function loadProviderPlugin(file: string, baseDir: string, options?: LoadOptions): Promise<ProviderAdapter> {
  const { value } = await importDefault(file, baseDir, options);
  try {
    return defineProvider(value as ProviderAdapter);
  } catch (error) {
    throw new PluginError(file, error instanceof Error ? error.message : String(error));
  }
}

export async function loadStrategyPlugin(file: string, baseDir: string, options?: LoadOptions): Promise<RoutingStrategy> {
  const { value } = await importDefault(file, baseDir, options);
  try {
    return defineStrategy(value as RoutingStrategy);
  } catch (error) {
    throw new PluginError(file, error instanceof Error ? error.message : String(error));
  }
}
