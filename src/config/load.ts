// Finds, reads and parses the config file (YAML or JSON), interpolates the environment, then validates it.
// No file: built-in defaults. `serve`, `check` and every other command load through here.
import { existsSync, readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "./errors.ts";
import { type Env, interpolateConfig } from "./interpolate.ts";
import { type KnownNames, type ResolvedConfig, validateConfig } from "./validate.ts";

export const DISCOVERY_ORDER = ["./keyway.yaml", "./keyway.yml", "./keyway.json", "./config/keyway.yaml"];

export interface LoadedConfig {
  config: ResolvedConfig;
  /** The file it came from, or `built-in defaults`. */
  source: string;
}

/** `--config`, then KEYWAY_CONFIG, then the discovery order; undefined means built-in defaults. */
export function findConfigFile(explicit: string | undefined, env: Env, cwd = process.cwd()): string | undefined {
  const named = explicit ?? env.KEYWAY_CONFIG;
  if (named !== undefined && named !== "") {
    if (!existsSync(named)) throw new ConfigError(named, [{ path: "", message: "config file not found" }]);
    return named;
  }
  for (const candidate of DISCOVERY_ORDER) {
    const path = `${cwd}/${candidate.slice(2)}`;
    if (existsSync(path)) return path;
  }
  return undefined;
}

export function parseConfigText(text: string, source: string): unknown {
  try {
    return source.endsWith(".json") ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new ConfigError(source, [{ path: "", message: `not valid ${source.endsWith(".json") ? "JSON" : "YAML"}: ${message}` }]);
  }
}

export function loadConfigFrom(raw: unknown, source: string, env: Env, known: KnownNames): LoadedConfig {
  const interpolated = interpolateConfig(raw, env);
  const { config, issues } = validateConfig(interpolated.value, known, interpolated);
  if (!config) throw new ConfigError(source, issues);
  return { config, source };
}

export function loadConfig(explicit: string | undefined, env: Env, known: KnownNames): LoadedConfig {
  const file = findConfigFile(explicit, env);
  if (file === undefined) return loadConfigFrom({}, "built-in defaults", env, known);
  return loadConfigFrom(parseConfigText(readFileSync(file, "utf8"), file), file, env, known);
}
