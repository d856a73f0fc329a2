// The model groups keyway offers for the common model classes, gathered from the adapters' `modelGroups`, and how
// they merge under the config's own. Members are keyed by adapter name, so every configured provider using that
// adapter (built-in or plugin) gets the member.
import type { ProviderAdapter } from "../plugins/sdk.ts";
import { builtInAdapters } from "../providers/builtin.ts";

type Groups = Record<string, Record<string, string>>;

/**
 * Group name -> adapter -> upstream model id, from each adapter's `modelGroups`, in adapter order. Adapters are keyed
 * as the config's `providers.*.adapter` names them (a built-in's name, a plugin's path).
 */
export function modelGroupsOf(adapters: ReadonlyMap<string, ProviderAdapter>): Groups {
  const groups: Groups = {};
  for (const [adapterKey, adapter] of adapters) {
    for (const [group, model] of Object.entries(adapter.modelGroups ?? {})) (groups[group] ??= {})[adapterKey] = model;
  }
  return groups;
}

/** The built-in adapters' groups: flagship, gpt-4, fast, reasoning, embedding. */
export const DEFAULT_MODEL_GROUPS: Readonly<Record<string, Readonly<Record<string, string>>>> = modelGroupsOf(builtInAdapters);

/**
 * The groups a running keyway resolves: the defaults, expanded to the configured providers using each member's
 * adapter (a member whose adapter no configured provider uses is left out), then the config's groups on top.
 * A config group replaces the default group of the same name entirely.
 */
export function withDefaultModelGroups(
  configured: Readonly<Groups>,
  providers: Readonly<Record<string, { adapter: string }>>,
  defaults: Readonly<Record<string, Readonly<Record<string, string>>>> = DEFAULT_MODEL_GROUPS,
): Groups {
  const merged: Groups = {};
  for (const [group, members] of Object.entries(defaults)) {
    const expanded: Record<string, string> = {};
    for (const [adapter, model] of Object.entries(members)) {
      for (const [name, settings] of Object.entries(providers)) if (settings.adapter === adapter) expanded[name] = model;
    }
    if (Object.keys(expanded).length > 0) merged[group] = expanded;
  }
  for (const [group, members] of Object.entries(configured)) merged[group] = { ...members };
  return merged;
}
