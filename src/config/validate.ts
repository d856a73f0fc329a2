// Turns a parsed, interpolated config tree into a typed config, or every problem with its path.
import { Value } from "@sinclair/typebox/value";
import { defaultProviders } from "./defaults.ts";
import { describeValueError } from "../schema-errors.ts";
import { type ConfigIssue, dottedPath } from "./errors.ts";
import { ConfigSchema, type KeywayConfig, type ProviderSettings } from "./schema.ts";

export interface ResolvedConfig extends KeywayConfig {
  providers: Record<string, ProviderSettings>;
}

export interface KnownNames {
  adapters: ReadonlySet<string>;
  strategies: ReadonlySet<string>;
}

function schemaIssues(value: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const error of Value.Errors(ConfigSchema, value)) {
    const path = dottedPath(error.path);
    const message = error.message.includes("Unexpected property")
      ? "unknown key (check its spelling; see config/keyway.schema.json)"
      : describeValueError(error);
    if (seen.has(path)) continue;
    seen.add(path);
    issues.push({ path, message });
  }
  return issues;
}

function isPluginPath(adapter: string): boolean {
  return /\.(ts|js|mjs)$/.test(adapter);
}

function semanticIssues(config: ResolvedConfig, known: KnownNames): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (config.storage.driver === "postgres") {
    issues.push({ path: "storage.driver", message: "postgres storage is not available in this version; use sqlite" });
  }
  if (config.counters.driver === "redis" && !config.counters.url) {
    issues.push({ path: "counters.url", message: "required with driver redis (redis://host:6379)" });
  }
  try {
    new Intl.DateTimeFormat("en-CA", { timeZone: config.budgets.time_zone });
  } catch {
    issues.push({ path: "budgets.time_zone", message: `'${config.budgets.time_zone}' is not an IANA time zone (like UTC or Europe/Paris)` });
  }
  for (const [name, provider] of Object.entries(config.providers)) {
    if (!known.adapters.has(provider.adapter) && !isPluginPath(provider.adapter)) {
      issues.push({
        path: `providers.${name}.adapter`,
        message: `unknown adapter '${provider.adapter}'; expected one of ${[...known.adapters].join(", ")} or a .ts plugin path`,
      });
    }
    if (provider.adapter === "openai-compatible" && provider.base_url === undefined) {
      issues.push({ path: `providers.${name}.base_url`, message: "required for adapter openai-compatible" });
    }
  }
  const strategy = config.routing.default.strategy;
  if (!known.strategies.has(strategy) && !(strategy in config.routing.strategies)) {
    issues.push({
      path: "routing.default.strategy",
      message: `unknown strategy '${strategy}'; expected one of ${[...known.strategies, ...Object.keys(config.routing.strategies)].join(", ")}`,
    });
  }
  for (const [group, members] of Object.entries(config.model_groups)) {
    for (const provider of Object.keys(members)) {
      if (!(provider in config.providers)) {
        issues.push({ path: `model_groups.${group}.${provider}`, message: `no provider named '${provider}' is configured` });
      }
    }
  }
  for (const [index, provider] of (config.routing.default.provider_order ?? []).entries()) {
    if (provider !== "platform" && !(provider in config.providers)) {
      issues.push({ path: `routing.default.provider_order[${index}]`, message: `no provider named '${provider}' is configured` });
    }
  }
  return issues;
}

export function validateConfig(raw: unknown, known: KnownNames): { config?: ResolvedConfig; issues: ConfigIssue[] } {
  const tree = raw === undefined || raw === null ? {} : raw;
  if (typeof tree !== "object" || Array.isArray(tree)) {
    return { issues: [{ path: "", message: "expected a mapping of settings at the top level" }] };
  }
  const withDefaults = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, structuredClone(tree)));
  const issues = schemaIssues(withDefaults);
  if (issues.length > 0) return { issues };
  const typed = withDefaults as KeywayConfig;
  const config: ResolvedConfig = { ...typed, providers: typed.providers ?? defaultProviders() };
  const semantic = semanticIssues(config, known);
  return semantic.length > 0 ? { issues: semantic } : { config, issues: [] };
}
