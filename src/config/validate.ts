// Turns a parsed, interpolated config tree into a typed config, or every problem with its path, in one pass.
import { Value } from "@sinclair/typebox/value";
import { BUILT_IN_PROVIDER_NAMES, defaultProviders } from "./defaults.ts";
import { describeValueError } from "../schema-errors.ts";
import { type ConfigIssue, dottedPath } from "./errors.ts";
import type { Interpolation } from "./interpolate.ts";
import { ConfigSchema, type KeywayConfig, type ProviderSettings } from "./schema.ts";
import { type KnownNames, semanticIssues } from "./semantic.ts";

export type { KnownNames } from "./semantic.ts";

export interface ResolvedConfig extends KeywayConfig {
  providers: Record<string, ProviderSettings>;
}

/** What interpolation noted about the environment, so problems can name the variable behind them. */
export type EnvNotes = Pick<Interpolation, "omitted" | "incomplete" | "read">;

const NO_NOTES: EnvNotes = { omitted: new Map(), incomplete: new Map(), read: new Map() };

function schemaIssues(value: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const error of Value.Errors(ConfigSchema, value)) {
    const message = error.message.includes("Unexpected property")
      ? "unknown key (check its spelling; see config/keyway.schema.json)"
      : describeValueError(error);
    issues.push({ path: dottedPath(error.path), message });
  }
  return issues;
}

function unsetIssues(notes: EnvNotes): ConfigIssue[] {
  return [...notes.incomplete].map(([path, names]) => {
    const list = names.map((name) => `\${${name}}`).join(", ");
    const example = `\${${names[0]}:-default}`;
    return { path, message: `${list} ${names.length > 1 ? "are" : "is"} not set and has no default (set it, or write ${example})` };
  });
}

/** Adds the environment variable behind a problem: the one left unset, or the one the value came from. */
function withVariable(issue: ConfigIssue, notes: EnvNotes): ConfigIssue {
  const omitted = notes.omitted.get(issue.path);
  if (omitted !== undefined) return { ...issue, message: `${issue.message}; \${${omitted}} is not set` };
  const read = notes.read.get(issue.path);
  if (read !== undefined) return { ...issue, message: `${issue.message} (from ${read.map((name) => `\${${name}}`).join(", ")})` };
  return issue;
}

/** One problem per path: the first found (an unset variable before what it caused). */
function onePerPath(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    if (seen.has(issue.path)) return false;
    seen.add(issue.path);
    return true;
  });
}

/**
 * The converted tree with only strings converted: a value written as a string (`"8080"`, or `${VAR}` after
 * interpolation) becomes the number or boolean the schema asks for, but a number or boolean written as such is kept
 * as written, so `1.5` for an integer setting is refused instead of truncated to 1 (and `true` is not a number).
 */
function stringsConverted(original: unknown, converted: unknown): unknown {
  if (typeof original === "string") return converted;
  if (Array.isArray(original)) {
    return Array.isArray(converted) ? original.map((item, i) => stringsConverted(item, converted[i])) : original;
  }
  if (typeof original === "object" && original !== null) {
    if (typeof converted !== "object" || converted === null || Array.isArray(converted)) return original;
    const out: Record<string, unknown> = { ...(converted as Record<string, unknown>) };
    for (const [key, value] of Object.entries(original)) out[key] = stringsConverted(value, (converted as Record<string, unknown>)[key]);
    return out;
  }
  return original;
}

export function validateConfig(raw: unknown, known: KnownNames, notes: EnvNotes = NO_NOTES): { config?: ResolvedConfig; issues: ConfigIssue[] } {
  const tree = raw === undefined || raw === null ? {} : raw;
  if (typeof tree !== "object" || Array.isArray(tree)) {
    return { issues: [{ path: "", message: "expected a mapping of settings at the top level" }] };
  }
  const converted = stringsConverted(tree, Value.Convert(ConfigSchema, structuredClone(tree)));
  const withDefaults = Value.Default(ConfigSchema, converted) as Record<string, unknown>;
  const written = withDefaults.providers;
  const providerNames = typeof written === "object" && written !== null ? Object.keys(written) : [...BUILT_IN_PROVIDER_NAMES];
  const found = [...schemaIssues(withDefaults), ...semanticIssues(withDefaults, known, providerNames, tree)].map((issue) => withVariable(issue, notes));
  const issues = onePerPath([...unsetIssues(notes), ...found]);
  if (issues.length > 0) return { issues };
  const typed = withDefaults as KeywayConfig;
  return { config: { ...typed, providers: typed.providers ?? defaultProviders() }, issues: [] };
}
