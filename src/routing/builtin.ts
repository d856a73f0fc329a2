// The routing strategies that ship inside keyway, by name.
import type { RoutingStrategy } from "../plugins/sdk.ts";
import byokPreferred from "./byok-preferred.ts";
import direct from "./direct.ts";

export const builtInStrategies: ReadonlyMap<string, RoutingStrategy> = new Map(
  [direct, byokPreferred].map((strategy) => [strategy.name, strategy]),
);
