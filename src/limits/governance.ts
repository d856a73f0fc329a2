// Assembles the controls around calls: counters (memory or Redis), admission (budgets, approvals,
// platform limits, credits), the team directory and policy, and the team request log writer.
import type { ResolvedConfig } from "../config/validate.ts";
import type { InferenceCall } from "../core/call.ts";
import { createBatchWriter } from "../store/batch-writer.ts";
import type { RequestLog } from "../store/repositories/request-logs.ts";
import type { Store } from "../store/store.ts";
import { evaluatePolicy } from "../teams/policy.ts";
import { createTeamDirectory } from "../teams/team-directory.ts";
import type { Logger } from "../telemetry/logger.ts";
import type { Metrics } from "../telemetry/metrics.ts";
import { createAdmission } from "./admission.ts";
import type { Counters } from "./counters.ts";
import { memoryCounters } from "./memory-counters.ts";
import { redisCounters } from "./redis-counters.ts";

export function countersFor(config: ResolvedConfig, logger?: Logger): Counters {
  return config.counters.driver === "redis" && config.counters.url ? redisCounters(config.counters.url, config.counters.prefix, { logger }) : memoryCounters();
}

export interface GovernanceOptions {
  /** This gateway's instance (its lease): credit reservations are recorded under it. */
  instanceId: string;
  metrics?: Metrics;
}

export function createGovernance(config: ResolvedConfig, store: Store, logger: Logger, options: GovernanceOptions) {
  const counters = countersFor(config, logger);
  const directory = createTeamDirectory(store.teams);
  const requestLogs = createBatchWriter<RequestLog>((rows) => store.requestLogs.insertMany(rows), logger, { what: "request logs" });
  return {
    counters,
    directory,
    requestLogs,
    admission: createAdmission({ config, counters, store, logger, metrics: options.metrics, instanceId: options.instanceId }),
    policy: (call: InferenceCall, body: Record<string, unknown>) => evaluatePolicy(call, body, directory),
    async close(): Promise<void> {
      await requestLogs.close();
      await counters.close();
    },
  };
}

export type Governance = ReturnType<typeof createGovernance>;
