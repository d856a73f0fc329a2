// Leases of running gateways on this database: written at start, refreshed by a heartbeat, removed on a clean stop.
import { eq } from "drizzle-orm";
import type { Db } from "./database.ts";
import { gatewayLeases } from "./schema.ts";
import { sqlNames } from "./table-sql.ts";
import type { GatewayLease, GatewayLeasesRepo } from "../repositories/gateway-leases.ts";

export function gatewayLeasesRepo(db: Db): GatewayLeasesRepo {
  // The heartbeat runs every few seconds on the event loop: one cached statement, not a query built each beat
  // (which held the loop for a millisecond or so while serving).
  const { table, column } = sqlNames(gatewayLeases);
  const fields = ["instanceId", "host", "pid", "startedAt", "heartbeatAt", "heartbeatEveryMs"] as const;
  const upsert = db.$client.prepare<never, (string | number)[]>(
    `INSERT INTO ${table} (${fields.map((field) => column[field]).join(", ")}) VALUES (${fields.map(() => "?").join(", ")}) ` +
      `ON CONFLICT (${column.instanceId}) DO UPDATE SET ${column.heartbeatAt} = excluded.${column.heartbeatAt}, ${column.heartbeatEveryMs} = excluded.${column.heartbeatEveryMs}`,
  );
  return {
    /** Writes the lease, or refreshes its heartbeat (and puts it back if it was removed). */
    async beat(lease: GatewayLease): Promise<void> {
      upsert.run(...fields.map((field) => lease[field]));
    },
    async remove(instanceId: string): Promise<void> {
      db.delete(gatewayLeases).where(eq(gatewayLeases.instanceId, instanceId)).run();
    },
    async all(): Promise<GatewayLease[]> {
      return db.select().from(gatewayLeases).all();
    },
  };
}

