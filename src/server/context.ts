// What the HTTP layer needs from the rest of keyway, assembled once at start-up.
import type { Authenticator } from "../accounts/authenticator.ts";
import type { AlertsService } from "../alerts/service.ts";
import type { ResolvedConfig } from "../config/validate.ts";
import type { Gateway } from "../gateway/pipeline.ts";
import type { ProviderSet } from "../core/provider-set.ts";
import type { Store } from "../store/store.ts";
import type { Logger } from "../telemetry/logger.ts";
import type { OpenedVault } from "../vault/open-vault.ts";
import type { VaultJobs } from "../vault/rotation-scheduler.ts";
import type { HealthService } from "../health/service.ts";
import type { Governance } from "../limits/governance.ts";
import type { Metrics } from "../telemetry/metrics.ts";
import type { SignalBus } from "../signals/signal.ts";

export interface AppDeps {
  config: ResolvedConfig;
  store: Store;
  authenticator: Authenticator;
  gateway: Gateway;
  providers: ProviderSet;
  logger: Logger;
  version: string;
  vault: OpenedVault;
  jobs: VaultJobs;
  /** Provider health: GET /v1/providers/health, POST /v1/providers/health-check. */
  health?: HealthService;
  governance: Governance;
  /** Present when telemetry.prometheus is on. */
  metrics?: Metrics;
  /** Alert definitions, their events and the background evaluation (POST/GET/DELETE /v1/alerts). */
  alerts: AlertsService;
  /** Changes that make cached keys, teams or stored-key lists stale, published to every gateway (this one included). */
  signals: SignalBus;
}

/** The caller's X-Request-Id when it is sane, otherwise a new one. */
export function requestIdOf(request: Request): string {
  const given = request.headers.get("x-request-id");
  return given !== null && /^[\w.:-]{1,128}$/.test(given) ? given : crypto.randomUUID();
}
