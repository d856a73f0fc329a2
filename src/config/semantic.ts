// Checks the schema cannot express (known adapters and strategies, references between sections, URLs that
// parse, time zones, folders that exist for the files keyway creates). They read the tree defensively, so they run even when the schema found problems elsewhere
// and every problem is reported in one pass.
import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { ConfigIssue } from "./errors.ts";
import { moneyPrecisionIssues } from "./money-precision.ts";
import { unknownProvidersInOrder } from "./routing-rules.ts";

export interface KnownNames {
  adapters: ReadonlySet<string>;
  strategies: ReadonlySet<string>;
}

type Tree = Record<string, unknown>;

const mapping = (value: unknown): Tree | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Tree) : undefined;
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

function isPluginPath(adapter: string): boolean {
  return /\.(ts|js|mjs)$/.test(adapter);
}

/** A URL keyway will really connect to: it parses, has one of the schemes, and names a host. */
function urlProblem(value: string, schemes: readonly string[]): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `'${value}' is not a valid URL`;
  }
  if (!schemes.includes(url.protocol)) return `'${value}' must start with ${schemes.map((s) => `${s}//`).join(" or ")}`;
  if (url.hostname === "" && !url.protocol.includes("unix")) return `'${value}' names no host`;
  return undefined;
}

const HTTP = ["http:", "https:"] as const;
const REDIS = ["redis:", "rediss:", "redis+tls:", "redis+unix:", "redis+tls+unix:"] as const;

function checkUrl(issues: ConfigIssue[], path: string, value: unknown, schemes: readonly string[]): void {
  const url = text(value);
  if (url === undefined) return;
  const problem = urlProblem(url, schemes);
  if (problem) issues.push({ path, message: problem });
}

/** A file keyway creates at start-up (database, master key) needs its folder to exist. */
function checkFolder(issues: ConfigIssue[], path: string, value: unknown): void {
  const file = text(value);
  if (file === undefined || file === "" || file === ":memory:" || file.startsWith("file:")) return;
  const folder = dirname(resolve(file));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) issues.push({ path, message: `folder ${folder} does not exist; create it or choose another path` });
}

function providerIssues(name: string, provider: Tree, known: KnownNames): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const adapter = text(provider.adapter);
  if (adapter !== undefined && !known.adapters.has(adapter) && !isPluginPath(adapter)) {
    issues.push({
      path: `providers.${name}.adapter`,
      message: `unknown adapter '${adapter}'; expected one of ${[...known.adapters].join(", ")} or a .ts plugin path`,
    });
  }
  if (adapter === "openai-compatible" && provider.base_url === undefined) {
    issues.push({ path: `providers.${name}.base_url`, message: "required for adapter openai-compatible" });
  }
  checkUrl(issues, `providers.${name}.base_url`, provider.base_url, HTTP);
  return issues;
}

/** A Standard Webhooks secret: `whsec_` and the standard base64 of 24 to 64 bytes. */
function isStandardWebhookSecret(secret: string): boolean {
  const encoded = secret.slice("whsec_".length);
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(encoded)) return false;
  const bytes = Buffer.from(encoded, "base64").length;
  return bytes >= 24 && bytes <= 64;
}

const POSTGRES = ["postgres:", "postgresql:"] as const;
const SQLITE_ONLY = ["path"] as const;
const POSTGRES_ONLY = ["url", "pool_size", "migrate"] as const;

/** A Postgres URL, judged without ever repeating it: it usually carries a password. */
function postgresUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "is not a valid URL; expected postgres://user:password@host:5432/database";
  }
  if (!(POSTGRES as readonly string[]).includes(url.protocol)) return `must start with postgres:// or postgresql://, not ${url.protocol}//`;
  if (url.hostname === "") return "names no host; expected postgres://user:password@host:5432/database";
  return undefined;
}

/**
 * The storage section: the fields of one driver only (`written` is the section as the file has it, before defaults,
 * so a field filled in by default is not mistaken for one the operator set), a Postgres URL, an SQLite file's folder.
 */
function storageIssues(storage: Tree | undefined, written: Tree | undefined): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const driver = storage?.driver;
  const foreign = driver === "postgres" ? SQLITE_ONLY : driver === "sqlite" ? POSTGRES_ONLY : [];
  for (const field of foreign) {
    if (written?.[field] !== undefined) {
      issues.push({ path: `storage.${field}`, message: `only for driver ${driver === "postgres" ? "sqlite" : "postgres"}; remove it or change storage.driver` });
    }
  }
  if (driver === "postgres") {
    const url = text(storage?.url);
    if (url === undefined || url === "") issues.push({ path: "storage.url", message: "required with driver postgres (postgres://user:password@host:5432/database)" });
    else {
      const problem = postgresUrlProblem(url);
      if (problem) issues.push({ path: "storage.url", message: problem });
    }
  } else {
    checkFolder(issues, "storage.path", storage?.path);
  }
  return issues;
}

/**
 * `providerNames`: the providers served (the section's names, or the built-in ones when it is left out); `written`:
 * the tree as written, before the schema's defaults.
 */
export function semanticIssues(tree: Tree, known: KnownNames, providerNames: readonly string[], written: unknown = tree): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  issues.push(...storageIssues(mapping(tree.storage), mapping(mapping(written)?.storage)));
  checkFolder(issues, "security.master_key_file", mapping(tree.security)?.master_key_file);
  const counters = mapping(tree.counters);
  if (counters?.driver === "redis" && !counters.url) {
    issues.push({ path: "counters.url", message: "required with driver redis (redis://host:6379)" });
  }
  checkUrl(issues, "counters.url", counters?.url, REDIS);
  checkUrl(issues, "telemetry.otlp.endpoint", mapping(mapping(tree.telemetry)?.otlp)?.endpoint, HTTP);
  const webhookSecret = text(mapping(tree.security)?.webhook_secret);
  if (webhookSecret?.startsWith("whsec_") && !isStandardWebhookSecret(webhookSecret)) {
    issues.push({ path: "security.webhook_secret", message: "a whsec_ secret is whsec_ followed by the standard base64 of 24 to 64 bytes" });
  }
  const timeZone = text(mapping(tree.budgets)?.time_zone);
  // UTC (the default) is always valid: no need to start Intl's time zone data (about 15 ms) for it.
  if (timeZone !== undefined && timeZone !== "UTC") {
    try {
      new Intl.DateTimeFormat("en-CA", { timeZone });
    } catch {
      issues.push({ path: "budgets.time_zone", message: `'${timeZone}' is not an IANA time zone (like UTC or Europe/Paris)` });
    }
  }
  for (const [name, provider] of Object.entries(mapping(tree.providers) ?? {})) {
    const entry = mapping(provider);
    if (entry) issues.push(...providerIssues(name, entry, known));
  }
  issues.push(...moneyPrecisionIssues(tree));
  const dashboardPath = text(mapping(tree.dashboard)?.path);
  const taken = ["/v1", "/api", "/health", "/ready", "/metrics"].find((p) => dashboardPath === p || dashboardPath?.startsWith(`${p}/`));
  if (taken !== undefined) issues.push({ path: "dashboard.path", message: `'${dashboardPath}' is taken by keyway's API (${taken}); choose another path, like /dashboard` });
  const providers = new Set(providerNames);
  const routing = mapping(tree.routing);
  const strategies = mapping(routing?.strategies) ?? {};
  const routingDefault = mapping(routing?.default);
  const strategy = text(routingDefault?.strategy);
  if (strategy !== undefined && !known.strategies.has(strategy) && !(strategy in strategies)) {
    issues.push({
      path: "routing.default.strategy",
      message: `unknown strategy '${strategy}'; expected one of ${[...known.strategies, ...Object.keys(strategies)].join(", ")}`,
    });
  }
  for (const [group, members] of Object.entries(mapping(tree.model_groups) ?? {})) {
    for (const provider of Object.keys(mapping(members) ?? {})) {
      if (!providers.has(provider)) issues.push({ path: `model_groups.${group}.${provider}`, message: `no provider named '${provider}' is configured` });
    }
  }
  const order = routingDefault?.provider_order;
  for (const unknown of Array.isArray(order) ? unknownProvidersInOrder(order, (name) => providers.has(name)) : []) {
    issues.push({ path: `routing.default.provider_order[${unknown.index}]`, message: unknown.message });
  }
  return issues;
}
