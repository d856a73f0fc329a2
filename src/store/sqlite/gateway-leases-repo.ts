// Leases of running gateways on this database: written at start, refreshed by a heartbeat, removed on a clean stop.
import { eq } from "drizzle-orm";
import type { Db } from "./database.ts";
import { gatewayLeases } from "./schema.ts";
import type { GatewayLease, GatewayLeasesRepo } from "../repositories/gateway-leases.ts";

export function gatewayLeasesRepo(db: Db): GatewayLeasesRepo {
  return {
    /** Writes the lease, or refreshes its heartbeat (and puts it back if it was removed). */
    async beat(lease: GatewayLease): Promise<void> {
      db.insert(gatewayLeases)
        .values(lease)
        .onConflictDoUpdate({ target: gatewayLeases.instanceId, set: { heartbeatAt: lease.heartbeatAt, heartbeatEveryMs: lease.heartbeatEveryMs } })
        .run();
    },
    async remove(instanceId: string): Promise<void> {
      db.delete(gatewayLeases).where(eq(gatewayLeases.instanceId, instanceId)).run();
    },
    async all(): Promise<GatewayLease[]> {
      return db.select().from(gatewayLeases).all();
    },
  };
}

