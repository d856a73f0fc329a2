// The gateway leases repository contract: one row per running gateway, refreshed by a heartbeat, removed on a clean stop.

export interface GatewayLease {
  instanceId: string;
  host: string;
  pid: number;
  startedAt: number;
  heartbeatAt: number;
  /** How often this instance beats; its lease is stale after three missed beats. */
  heartbeatEveryMs: number;
}

export interface GatewayLeasesRepo {
  /** Writes the lease, or refreshes its heartbeat (and puts it back if it was removed). */
  beat(lease: GatewayLease): Promise<void>;
  remove(instanceId: string): Promise<void>;
  all(): Promise<GatewayLease[]>;
}
