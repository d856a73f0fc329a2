// The adapter and strategy names config validation accepts without loading any plugin.
import type { KnownNames } from "../config/validate.ts";
import { builtInAdapters } from "../providers/builtin.ts";
import { builtInStrategies } from "../routing/builtin.ts";

export const knownNames: KnownNames = {
  adapters: new Set(builtInAdapters.keys()),
  strategies: new Set(builtInStrategies.keys()),
};
