// Leases of running gateways on a Postgres database: written at start, refreshed by a heartbeat, removed on a clean stop.
import type { SQL } from "bun";
import { eq } from "drizzle-orm";
import type { GatewayLease, GatewayLeasesRepo } from "../repositories/gateway-leases.ts";
import type { PgDb } from "./database.ts";
import { gatewayLeases } from "./schema.ts";

export function gatewayLeasesRepo(db: PgDb, _sql: SQL): GatewayLeasesRepo {
  return {
    /** Writes the lease, or refreshes its heartbeat (and puts it back if it was removed): one upsert. */
    async beat(lease: GatewayLease): Promise<void> {
      await db
        .insert(gatewayLeases)
        .values(lease)
        .onConflictDoUpdate({ target: gatewayLeases.instanceId, set: { heartbeatAt: lease.heartbeatAt, heartbeatEveryMs: lease.heartbeatEveryMs } });
    },
    async remove(instanceId: string): Promise<void> {
      await db.delete(gatewayLeases).where(eq(gatewayLeases.instanceId, instanceId));
    },
    async all(): Promise<GatewayLease[]> {
      return db.select().from(gatewayLeases);
    },
  };
}
