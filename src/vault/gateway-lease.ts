// The lease a running gateway holds on its database: one row per instance, a heartbeat every few seconds, removed
// on a clean stop. `keyway master-key rotate` refuses while a live lease exists; a lease three beats old is stale.
import { hostname } from "node:os";
import type { GatewayLease, GatewayLeasesRepo } from "../store/repositories/gateway-leases.ts";
import { newId } from "../store/ids.ts";
import type { Logger } from "../telemetry/logger.ts";
import { describeError } from "../telemetry/logger.ts";

export const LEASE_INTERVAL_MS = 5_000;
const STALE_AFTER_BEATS = 3;

export function isStale(lease: GatewayLease, now: number): boolean {
  return now - lease.heartbeatAt > STALE_AFTER_BEATS * lease.heartbeatEveryMs;
}

export function splitLeases(leases: GatewayLease[], now: number): { live: GatewayLease[]; stale: GatewayLease[] } {
  return { live: leases.filter((l) => !isStale(l, now)), stale: leases.filter((l) => isStale(l, now)) };
}

export function describeLease(lease: GatewayLease, now: number): string {
  return `instance ${lease.instanceId} on ${lease.host}, pid ${lease.pid}, last heartbeat ${Math.max(0, Math.round((now - lease.heartbeatAt) / 1000))} s ago`;
}

export function leaseStaleAfterSeconds(lease: GatewayLease): number {
  return Math.round((STALE_AFTER_BEATS * lease.heartbeatEveryMs) / 1000);
}

export interface HeldLease {
  instanceId: string;
  /** Runs after each heartbeat (errors are logged, never thrown). */
  onBeat(task: () => Promise<unknown>): void;
  /** Stops the heartbeat and removes the lease. */
  release(): Promise<void>;
}

export async function holdLease(repo: GatewayLeasesRepo, logger: Logger, intervalMs = LEASE_INTERVAL_MS): Promise<HeldLease> {
  const now = Date.now();
  const lease: GatewayLease = { instanceId: newId("gw"), host: hostname(), pid: process.pid, startedAt: now, heartbeatAt: now, heartbeatEveryMs: intervalMs };
  await repo.beat(lease);
  let task: (() => Promise<unknown>) | undefined;
  let beating: Promise<void> | undefined;
  const beat = async () => {
    try {
      await repo.beat({ ...lease, heartbeatAt: Date.now() });
      await task?.();
    } catch (error) {
      logger.warn("gateway heartbeat failed", { instance: lease.instanceId, ...describeError(error) });
    }
  };
  const timer = setInterval(() => {
    beating ??= beat().finally(() => {
      beating = undefined;
    });
  }, intervalMs);
  timer.unref?.();
  return {
    instanceId: lease.instanceId,
    onBeat(next) {
      task = next;
    },
    async release() {
      clearInterval(timer);
      await beating;
      await repo.remove(lease.instanceId);
    },
  };
}
