// The routing strategies that ship inside keyway, by name; each is written on the public plugin contract.
import type { RoutingStrategy } from "../plugins/sdk.ts";
import byokPreferred from "./byok-preferred.ts";
import costOptimized from "./cost-optimized.ts";
import direct from "./direct.ts";
import fallbackChain from "./fallback-chain.ts";
import latencyOptimized from "./latency-optimized.ts";
import weighted from "./weighted.ts";

export const builtInStrategies: ReadonlyMap<string, RoutingStrategy> = new Map(
  [direct, byokPreferred, fallbackChain, costOptimized, latencyOptimized, weighted].map((strategy) => [strategy.name, strategy]),
);
