// Provider health: a rolling record per provider and per stored key, fed one cheap call per upstream attempt (failures
// the caller caused left out, as blame.ts decides), and the circuit breaker that takes a failing provider out of
// routing until a probe or a trial request succeeds. Breakers are shared through a board (breaker-board.ts): a
// change made here is published, and a change another replica publishes is applied here.
import type { HealthConfig } from "../config/schema.ts";
import type { ProviderSet } from "../core/provider-set.ts";
import type { Candidate, FailureKind, HealthStatus } from "../plugins/sdk.ts";
import type { Logger } from "../telemetry/logger.ts";
import { blameFor } from "./blame.ts";
import { type BreakerBoard, type BreakerState, memoryBreakerBoard, supersedes } from "./breaker-board.ts";
import { rateLimitRemaining } from "./rate-limit-headers.ts";
import { outcomeCode, RollingWindow, type WindowStats } from "./rolling-window.ts";

export type CandidateHealth = NonNullable<Candidate["health"]>;

/** One upstream attempt's outcome, as the executor reports it. */
export interface AttemptOutcome {
  candidate: Candidate;
  /** The account whose call made the attempt (keys' records are per account). */
  accountId: string;
  ok: boolean;
  /** Why it failed (left out on success). */
  kind?: FailureKind;
  /** The upstream HTTP status; 0 when none came. */
  status: number;
  /** Time to the answer; NaN when none came. */
  latencyMs: number;
  /** The answer's headers (rate-limit remaining), when one came. */
  headers?: Headers;
  /** A rate limit's Retry-After: how long a stored key cools down. */
  retryAfterSeconds?: number;
}

/** What the executor calls once per upstream attempt. */
export interface AttemptRecorder {
  /** A failure blamed on the caller (blame.ts) is not recorded at all. */
  record(outcome: AttemptOutcome): void;
}

export interface ProviderRecord {
  readonly name: string;
  readonly window: RollingWindow;
  rateLimitRemaining?: number;
  breaker: "closed" | "open";
  disabledAt?: number;
  disabledReason?: string;
  /** When the next probe (or half-open trial request) is due, while open. */
  nextCheckAt: number;
  /** When a trial request was last let through, while open. */
  trialAt?: number;
  lastProbe?: { at: number; ok: boolean; detail: string };
  /** The breaker's last change, as published on the board. */
  change?: BreakerState;
  cached?: { at: number; health: CandidateHealth };
}

export interface KeyRecord {
  readonly id: string;
  readonly provider: string;
  readonly accountId: string;
  readonly window: RollingWindow;
  rateLimitRemaining?: number;
  /** Until when (epoch ms) the key cools down after the provider's last rate limit. */
  coolingUntil?: number;
}

export interface MonitorOptions {
  providers: ProviderSet;
  settings: HealthConfig;
  logger?: Logger;
  /** Length of the rolling window. Default 5 minutes. */
  windowMs?: number;
  /** Judged attempts (successes and provider-side failures) needed before a provider can be called unhealthy. Default 5. */
  minSamples?: number;
  now?: () => number;
  /** Where breakers are shared with other replicas. Default: a board of this process alone. */
  board?: BreakerBoard;
}

const SUMMARY_TTL_MS = 1_000;
/** A stored key's cooldown after a rate limit without Retry-After, as the stored key source keeps it. */
const DEFAULT_COOLDOWN_S = 30;
const MAX_KEY_RECORDS = 10_000;

export function createHealthMonitor(options: MonitorOptions) {
  const now = options.now ?? Date.now;
  const windowMs = options.windowMs ?? 300_000;
  const minSamples = options.minSamples ?? 5;
  let settings: HealthConfig = { ...options.settings };
  const providers = new Map<string, ProviderRecord>();
  const keys = new Map<string, KeyRecord>();
  const board = options.board ?? memoryBreakerBoard();

  function providerRecord(name: string): ProviderRecord {
    let record = providers.get(name);
    if (!record) {
      record = { name, window: new RollingWindow(256, windowMs), breaker: "closed", nextCheckAt: 0 };
      providers.set(name, record);
    }
    return record;
  }
  for (const provider of options.providers.all()) providerRecord(provider.name);

  function keyRecord(candidate: Candidate, accountId: string): KeyRecord {
    const id = candidate.keyRef;
    let record = keys.get(id);
    if (!record) {
      if (keys.size >= MAX_KEY_RECORDS) keys.delete(keys.keys().next().value as string);
      record = { id, provider: candidate.provider, accountId, window: new RollingWindow(64, windowMs) };
      keys.set(id, record);
    }
    return record;
  }

  function statusOf(record: ProviderRecord, stats: WindowStats): HealthStatus {
    if (record.breaker === "open") return "disabled";
    if (stats.samples === 0) return "unknown";
    const judged = stats.counts.ok + stats.counts.server_error + stats.counts.timeout;
    if (stats.successRate !== null && judged >= minSamples && stats.successRate < settings.health_threshold) return "unhealthy";
    if (stats.p50 !== null && stats.p50 > settings.latency_threshold) return "degraded";
    return "healthy";
  }

  /** Records the change and, when it was made here, tells the other replicas. */
  function share(record: ProviderRecord, state: BreakerState, remote: boolean): void {
    record.change = state;
    if (!remote) void board.publish(record.name, state);
  }

  function open(record: ProviderRecord, at: number, reason: string, remote?: BreakerState): void {
    record.breaker = "open";
    record.disabledAt = at;
    record.disabledReason = reason;
    record.nextCheckAt = remote?.nextCheckAt ?? at + settings.check_interval * 1000;
    record.trialAt = undefined;
    record.cached = undefined;
    share(record, remote ?? { open: true, at, reason, nextCheckAt: record.nextCheckAt, by: board.replica }, remote !== undefined);
    if (remote) options.logger?.warn("provider disabled by the health monitor of another replica", { provider: record.name, reason });
    else options.logger?.warn("provider disabled by the health monitor", { provider: record.name, reason });
  }

  function close(record: ProviderRecord, why: string, remote?: BreakerState): void {
    if (record.breaker === "closed") return;
    record.breaker = "closed";
    record.disabledAt = undefined;
    record.disabledReason = undefined;
    record.trialAt = undefined;
    record.window.clear();
    record.cached = undefined;
    share(record, remote ?? { open: false, at: now(), by: board.replica }, remote !== undefined);
    options.logger?.info("provider re-enabled by the health monitor", { provider: record.name, why });
  }

  /** A change another replica published: applied unless this replica changed the breaker later. */
  function applyRemote(name: string, state: BreakerState): void {
    if (!options.providers.get(name)) return;
    const record = providerRecord(name);
    if (!supersedes(state, record.change)) return;
    if (state.open) {
      // A replica whose auto_disable is off keeps routing to the provider.
      if (!settings.auto_disable) return;
      if (record.breaker === "open") {
        record.change = state;
        record.nextCheckAt = state.nextCheckAt ?? record.nextCheckAt;
      } else open(record, state.at, state.reason ?? "failing", state);
    } else if (record.breaker === "open") close(record, "re-enabled on another replica", state);
    else record.change = state;
  }
  board.watch(applyRemote);

  /** After a judged attempt: trips the breaker when the success rate is under the threshold. */
  function judge(record: ProviderRecord, ok: boolean, at: number): void {
    if (record.breaker === "open") {
      if (ok) close(record, "a request succeeded");
      else record.nextCheckAt = at + settings.check_interval * 1000;
      return;
    }
    if (!settings.auto_disable || ok) return;
    const { ok: good, failed } = record.window.judged(at);
    const rate = (100 * good) / (good + failed);
    if (good + failed >= minSamples && rate < settings.health_threshold) {
      open(record, at, `success rate ${rate.toFixed(1)}% is under the ${settings.health_threshold}% threshold`);
    }
  }

  const monitor = {
    record({ candidate, accountId, ok, kind, status, latencyMs, headers, retryAfterSeconds }: AttemptOutcome): void {
      const blame = ok ? "provider" : blameFor(kind ?? "server_error", candidate.keySource);
      if (blame === "caller") return;
      const at = now();
      const code = outcomeCode(ok, kind);
      const remaining = rateLimitRemaining(headers, options.providers.get(candidate.provider)?.adapter);
      const record = providerRecord(candidate.provider);
      if (blame === "provider") {
        record.window.push(at, code, ok ? latencyMs : Number.NaN, status);
        if (remaining !== undefined) record.rateLimitRemaining = remaining;
      }
      if (candidate.keySource === "stored") {
        const key = keyRecord(candidate, accountId);
        key.window.push(at, code, ok ? latencyMs : Number.NaN, status);
        if (remaining !== undefined) key.rateLimitRemaining = remaining;
        if (kind === "rate_limit") key.coolingUntil = Math.max(key.coolingUntil ?? 0, at + (retryAfterSeconds ?? DEFAULT_COOLDOWN_S) * 1000);
      }
      if (blame === "provider" && code <= 2) judge(record, ok, at);
    },

    /** The provider's health as strategies see it on a candidate (recomputed at most once a second). */
    healthOf(provider: string): CandidateHealth {
      const record = providerRecord(provider);
      const at = now();
      if (record.cached && at - record.cached.at <= SUMMARY_TTL_MS) return record.cached.health;
      const stats = record.window.stats(at);
      const status = statusOf(record, stats);
      const health: CandidateHealth = {
        healthy: status === "healthy" || status === "unknown",
        latencyMs: stats.p50 ?? undefined,
        latencyP95Ms: stats.p95 ?? undefined,
        successRate: stats.successRate ?? undefined,
        status,
        rateLimitRemaining: record.rateLimitRemaining,
      };
      record.cached = { at, health };
      return health;
    },

    /** The health view a strategy sees on one candidate: its provider's, and for a stored key, the key's own. */
    candidateHealth(candidate: Candidate): CandidateHealth {
      const health = monitor.healthOf(candidate.provider);
      if (candidate.keySource !== "stored") return { ...health };
      const key = keys.get(candidate.keyRef);
      const until = key?.coolingUntil !== undefined && key.coolingUntil > now() ? key.coolingUntil : undefined;
      const coolingUntil = until === undefined ? undefined : new Date(until).toISOString();
      return { ...health, key: { rateLimitRemaining: key?.rateLimitRemaining, coolingDown: until !== undefined, coolingUntil } };
    },

    /** Whether routing may use the provider now: always while closed; once per check interval while open and no probe can run. */
    admits(provider: string, probeable: boolean): boolean {
      const record = providers.get(provider);
      if (!record || record.breaker === "closed") return true;
      if (probeable) return false;
      const at = now();
      if (at < record.nextCheckAt) return false;
      if (record.trialAt !== undefined && at - record.trialAt < settings.check_interval * 1000) return false;
      record.trialAt = at;
      return true;
    },

    settings: (): HealthConfig => ({ ...settings }),

    /** Changes the settings; turning auto_disable off re-enables every disabled provider. */
    configure(change: Partial<HealthConfig>): HealthConfig {
      settings = { ...settings, ...change };
      const soonest = now() + settings.check_interval * 1000;
      for (const record of providers.values()) {
        record.cached = undefined;
        if (!settings.auto_disable) close(record, "auto_disable was turned off");
        else if (record.breaker === "open") record.nextCheckAt = Math.min(record.nextCheckAt, soonest);
      }
      return { ...settings };
    },

    /** Providers that are disabled and due for a probe. */
    due(): ProviderRecord[] {
      const at = now();
      return [...providers.values()].filter((r) => r.breaker === "open" && at >= r.nextCheckAt);
    },

    probed(record: ProviderRecord, ok: boolean, detail: string): void {
      const at = now();
      record.lastProbe = { at, ok, detail };
      if (ok) close(record, `probe succeeded: ${detail}`);
      else record.nextCheckAt = at + settings.check_interval * 1000;
    },

    disabled(provider: string): ProviderRecord | undefined {
      const record = providers.get(provider);
      return record?.breaker === "open" ? record : undefined;
    },

    providerRecords: (): readonly ProviderRecord[] => [...providers.values()],
    /** Stops sharing breakers (the runtime's stop). */
    close: (): Promise<void> => board.close(),
    keyRecords: (): readonly KeyRecord[] => [...keys.values()],
    statusOf,
    now,
    windowMs,
  };
  return monitor;
}

export type HealthMonitor = ReturnType<typeof createHealthMonitor>;
