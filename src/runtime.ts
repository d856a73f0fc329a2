// Assembles a running keyway from a loaded config: store, keys, plugins, gateway, HTTP server.
import type { TracerProvider } from "@opentelemetry/api";
import { bootstrapAdminKey } from "./accounts/admin-bootstrap.ts";
import { createAuthenticator } from "./accounts/authenticator.ts";
import { type AlertsService, createAlertsService } from "./alerts/service.ts";
import type { ResolvedConfig } from "./config/validate.ts";
import { requestKeySource } from "./gateway/key-sources.ts";
import { createGateway, type GatewayDeps } from "./gateway/pipeline.ts";
import { platformKeySource } from "./gateway/platform-key-source.ts";
import { bindProviders } from "./gateway/providers.ts";
import { loadConfiguredPlugins, pluginBaseDir } from "./plugin-host/load-configured.ts";
import type { ProviderAdapter, RoutingStrategy } from "./plugins/sdk.ts";
import { builtInAdapters } from "./providers/builtin.ts";
import { modelGroupsOf, withDefaultModelGroups } from "./routing/default-model-groups.ts";
import { type HealthService, startHealth } from "./health/service.ts";
import { breakerBoardFor } from "./health/redis-breaker-board.ts";
import type { ProviderSet } from "./core/provider-set.ts";
import { listen, type Listening } from "./server/listen.ts";
import { openConfiguredStore } from "./store/open-configured.ts";
import { DEFAULT_ACCOUNT_ID } from "./store/repositories/accounts.ts";
import { createLogger, type Logger } from "./telemetry/logger.ts";
import type { Tracing } from "./telemetry/tracing.ts";
import { type CallObserver, observeAll } from "./telemetry/metric-types.ts";
import { startTelemetry } from "./telemetry/start.ts";
import { createUsageRecorder, type UsageRecorder } from "./usage/recorder.ts";
import { startUsageRetention } from "./usage/retention.ts";
import { createGovernance, type Governance } from "./limits/governance.ts";
import { sweepReservations } from "./limits/reservation-sweep.ts";
import { createMetrics, type Metrics } from "./telemetry/metrics.ts";
import { createMailer } from "./notify/email.ts";
import { createWebhooks } from "./notify/webhooks.ts";
import type { Store } from "./store/store.ts";
import type { Transport } from "./providers/upstream-fetch.ts";
import { invalidateCaches } from "./signals/cache-invalidation.ts";
import { openSignalBus } from "./signals/open-bus.ts";
import { holdLease } from "./vault/gateway-lease.ts";
import { type JobGate, leasedJobs, soloJobs } from "./store/job-gate.ts";
import { type OpenedVault, openVault } from "./vault/open-vault.ts";
import { keyTurnsFor } from "./vault/redis-key-turns.ts";
import { countingCooldowns } from "./vault/counted-key-turns.ts";
import { startVaultJobs } from "./vault/rotation-scheduler.ts";
import { VERSION } from "./version.ts";

/** The server could not bind its address (a user error: another port, or stop the other process). */
export class ListenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ListenError";
  }
}

export interface RuntimeOptions {
  config: ResolvedConfig;
  /** Where the config came from; plugin paths are relative to its folder. */
  source: string;
  logger?: Logger;
  /** For tests: spans go here instead of the global or OTLP provider. */
  tracerProvider?: TracerProvider;
  /** On stop, how long answers under way (streams too) may run before their connections are closed. Default 10 s. */
  drainMs?: number;
  /** How often this gateway refreshes its lease on the database. Default 5 s. */
  leaseIntervalMs?: number;
  /** With Redis configured: how long a scheduled job's lease lasts unrenewed (a dead holder's takeover delay). Default: `fleet.job_lease_ttl_ms` (30 s). */
  jobLeaseTtlMs?: number;
  /** What sends upstream requests. Default: fetch (the in-process pipeline bench hands a canned upstream). */
  transport?: Transport;
}

export interface Runtime {
  url: string;
  port: number;
  /** An admin key this start created; shown once. */
  createdAdminKey?: string;
  /** One request answered in-process, as the server would answer it (no socket): for the pipeline bench. */
  handle(request: Request): Promise<Response>;
  stop(): Promise<void>;
}

/** The parts started before the gateway, from which its dependencies are taken. */
interface GatewayParts {
  config: ResolvedConfig;
  providers: ProviderSet;
  strategies: ReadonlyMap<string, RoutingStrategy>;
  health: HealthService;
  vault: OpenedVault;
  governance: Governance;
  usage: UsageRecorder;
  tracing: Tracing;
  logger: Logger;
  /** Prometheus and OTLP metrics together; undefined when neither is on. */
  observer: CallObserver | undefined;
  transport: Transport;
}

/** The gateway's dependencies: strategies behind the health gate, the key sources in offering order, the transport (fetch). */
function gatewayDeps(parts: GatewayParts): GatewayDeps {
  const { vault, governance, health } = parts;
  return {
    config: parts.config,
    providers: parts.providers,
    strategies: health.gate(parts.strategies),
    sources: [requestKeySource, vault.source, platformKeySource()],
    usage: parts.usage,
    tracing: parts.tracing,
    logger: parts.logger,
    defaultModel: vault.source.defaultModel,
    policy: governance.policy,
    admission: governance.admission,
    requestLogs: governance.requestLogs,
    metrics: parts.observer,
    health: health.monitor,
    transport: parts.transport,
  };
}

/** Alerts: their own webhook sender (same signing and private-network rules as rotation webhooks) and, with SMTP, a mailer. */
function startAlerts(config: ResolvedConfig, store: Store, logger: Logger, metrics: Metrics | undefined, gate: JobGate): AlertsService {
  const retry = { attempts: config.alerts.delivery_attempts, backoffMs: config.alerts.retry_backoff_ms, logger };
  const webhooks = createWebhooks({ secret: config.security.webhook_secret, allowPrivateNetworks: config.security.webhook_allow_private_networks, ...retry });
  const smtp = config.notifications.smtp;
  const alerts = createAlertsService({
    store,
    settings: {
      timeZone: config.budgets.time_zone,
      providers: Object.keys(config.providers),
      intervalMs: config.alerts.evaluate_interval_ms,
    },
    webhooks,
    mailer: smtp ? createMailer({ smtp, ...retry }) : undefined,
    logger,
    metrics,
    gate,
  });
  alerts.start();
  return alerts;
}

/** How often the holder of the rotation schedules' lease re-reads them: a third of a short lease, at most 5 s. */
function syncEveryMs(jobLeaseTtlMs: number | undefined): number {
  return Math.max(100, Math.min(5_000, Math.floor((jobLeaseTtlMs ?? 15_000) / 3)));
}

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { telemetry: settings } = options.config;
  const telemetry = await startTelemetry(
    { serviceName: settings.service_name, otlp: settings.otlp, logLevel: settings.log_level, version: VERSION, env: process.env, tracerProvider: options.tracerProvider },
    options.logger ?? createLogger(settings.log_level),
  );
  const logger = telemetry.logger;
  const { adapters, strategies } = await loadConfiguredPlugins(options.config, pluginBaseDir(options.source), { logger });
  const defaultGroups = modelGroupsOf(adapters);
  const config: ResolvedConfig = { ...options.config, model_groups: withDefaultModelGroups(options.config.model_groups, options.config.providers, defaultGroups) };
  const providers = bindProviders(config.providers, (s) => adapters.get(s.adapter) as ProviderAdapter, [...builtInAdapters.values()]);
  const health = startHealth(providers, config.health, logger, { board: breakerBoardFor(config.counters, logger) });
  const metrics = config.telemetry.prometheus ? await createMetrics() : undefined;
  const observer = observeAll([metrics, telemetry.metrics]);
  observer?.watchCircuits(() => health.monitor.providerRecords().map((record) => [record.name, record.breaker === "open"] as const));
  const store = await openConfiguredStore(config.storage);
  await store.accounts.ensureDefault();
  // The lease first: a master-key rotation either sees this gateway, or commits before its canary check below.
  const lease = await holdLease(store.gatewayLeases, logger, options.leaseIntervalMs);
  const vault = await openVault(store, providers, {
    masterKeyFile: config.security.master_key_file,
    webhookSecret: config.security.webhook_secret,
    webhookAllowPrivateNetworks: config.security.webhook_allow_private_networks,
    env: process.env,
    keyTurns: countingCooldowns(keyTurnsFor(config.counters, logger), observer && (() => observer.keyCooldown())),
  }, logger).catch(async (error: unknown) => {
    health.stop();
    await lease.release();
    throw error;
  });
  lease.onBeat(vault.watch.follow);
  // With Redis configured the gateways are a fleet on one database: each scheduled job runs on its lease's holder only.
  const jobLeaseTtlMs = options.jobLeaseTtlMs ?? config.fleet.job_lease_ttl_ms;
  const jobGate: JobGate =
    config.counters.driver === "redis" ? leasedJobs({ repo: store.jobLeases, holder: lease.instanceId, logger, ttlMs: jobLeaseTtlMs }) : soloJobs;
  // Cache invalidation for every gateway sharing the database (over Redis when configured, else in-process).
  const signals = await openSignalBus(config.counters, logger);
  const jobs = startVaultJobs({ gate: jobGate, syncEveryMs: syncEveryMs(jobLeaseTtlMs), schedules: store.rotationSchedules, repo: store.providerKeys, audit: vault.audit, webhooks: vault.webhooks, logger, changed: () => signals.publish({ kind: "stored_keys" }) });
  await jobs.resume();
  const admin = await bootstrapAdminKey(store, { configured: config.security.admin_key, env: process.env }, DEFAULT_ACCOUNT_ID);
  // Dashboard sign-ins (a key exchanged for a session cookie) exist only while the dashboard is served.
  const sessions = config.dashboard.enabled ? { repo: store.dashboardSessions, ttlMs: config.dashboard.session_ttl_minutes * 60_000 } : undefined;
  const authenticator = createAuthenticator(store.apiKeys, { configuredAdminDigest: admin.configuredDigest, defaultAccountId: DEFAULT_ACCOUNT_ID, sessions });
  const { tracing } = telemetry;
  const usage = createUsageRecorder(store.usage, logger);
  const retention = startUsageRetention(store.usage, logger, { retentionDays: config.usage.retention_days, rollups: store.usageRollups, gate: jobGate });
  // Before serving: credits held by calls of a gateway that died are settled from their usage rows, or given back.
  await sweepReservations(store, lease.instanceId, logger);
  const governance = createGovernance(config, store, logger, { instanceId: lease.instanceId, metrics });
  signals.subscribe(invalidateCaches({ keys: authenticator, teams: governance.directory, storedKeys: vault.source }));
  const gateway = createGateway(gatewayDeps({ config, providers, strategies, health, vault, governance, usage, tracing, logger, observer, transport: options.transport ?? fetch }));
  const alerts = startAlerts(config, store, logger, metrics, jobGate);
  const deps = { config, store, authenticator, gateway, providers, logger, version: VERSION, vault, jobs, governance, metrics, health, alerts, signals };
  const release = async () => {
    jobs.stop();
    await signals.close();
    health.stop();
    await alerts.stop();
    await usage.close();
    await retention.stop();
    await governance.close();
    await vault.audit.close();
    await vault.keyTurns.close();
    await vault.webhooks.settle();
    await telemetry.shutdown();
    await jobGate.stop();
    await lease.release();
    store.close();
  };
  let http: Listening;
  try {
    http = listen(deps, {
      hostname: config.server.host,
      port: config.server.port,
      // Sharing a port (SO_REUSEPORT) must be asked for.
      reusePort: config.server.reuse_port,
      idleTimeout: 255,
      maxRequestBodySize: Math.max(Math.max(config.server.max_body_bytes, config.server.max_upload_bytes) + 1024 * 1024, 128 * 1024 * 1024),
    });
  } catch (error) {
    await release();
    const reason = error instanceof Error ? error.message : String(error);
    throw new ListenError(`cannot listen on ${config.server.host}:${config.server.port} (${reason}); choose another server.port or --port`);
  }
  const { server } = http;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${config.server.host.includes(":") ? `[${config.server.host}]` : config.server.host}:${server.port}`,
    port: server.port as number,
    createdAdminKey: admin.createdKey,
    handle: http.handle,
    stop() {
      stopping ??= (async () => {
        // Stop taking requests, let those under way finish (bounded), then close what is left.
        const drained = server.stop(false).then(() => true);
        const inTime = await Promise.race([drained, Bun.sleep(options.drainMs ?? 10_000).then(() => false)]);
        if (!inTime) await server.stop(true);
        await release();
      })();
      return stopping;
    },
  };
}
