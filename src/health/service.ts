// Provider health as one service for the runtime: the monitor, its background probes, and the strategy gate.
import type { HealthConfig } from "../config/schema.ts";
import type { ProviderSet } from "../core/provider-set.ts";
import type { RoutingStrategy } from "../plugins/sdk.ts";
import type { Logger } from "../telemetry/logger.ts";
import { gateStrategies } from "./gate.ts";
import { createHealthMonitor, type HealthMonitor, type MonitorOptions } from "./monitor.ts";
import { type Prober, startProbes } from "./probes.ts";

export interface HealthService {
  monitor: HealthMonitor;
  probes: Prober;
  /** The strategies behind the health gate (disabled providers left out, health on each candidate). */
  gate(strategies: ReadonlyMap<string, RoutingStrategy>): Map<string, RoutingStrategy>;
  stop(): void;
}

export function startHealth(providers: ProviderSet, settings: HealthConfig, logger?: Logger, tuning: Partial<MonitorOptions> = {}): HealthService {
  const monitor = createHealthMonitor({ providers, settings, logger, ...tuning });
  const probes = startProbes(monitor, providers);
  return {
    monitor,
    probes,
    gate: (strategies) => gateStrategies(strategies, monitor, providers),
    stop: () => {
      probes.stop();
      void monitor.close();
    },
  };
}
