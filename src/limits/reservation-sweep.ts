// The start-up sweep of credit reservations left by gateways that died (kill -9, power loss): a reservation whose
// call has a usage row is charged what that row says, the rest given back; one without is given back whole.
// Reservations of gateways that may still be running on the same database are theirs to settle.
import { hostname } from "node:os";
import type { GatewayLease } from "../store/repositories/gateway-leases.ts";
import type { Store } from "../store/store.ts";
import type { Logger } from "../telemetry/logger.ts";
import { isStale } from "../vault/gateway-lease.ts";

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM";
  }
}

/** Whether the gateway behind a lease may still be running, and so settling its own reservations. */
export function mayBeRunning(lease: GatewayLease, self: string, now: number): boolean {
  if (lease.instanceId === self) return true;
  if (isStale(lease, now)) return false;
  if (lease.host !== hostname()) return true;
  // Our own pid: a gateway in this process (started after it), or an earlier process with the same pid (a
  // restarted container), which is gone.
  if (lease.pid === process.pid) return lease.startedAt >= performance.timeOrigin;
  return processExists(lease.pid);
}

export interface SweepResult {
  /** Charged what their call's usage row says. */
  settled: number;
  /** Given back whole: their call has no usage row. */
  released: number;
  /** Left to a gateway that may be running. */
  kept: number;
}

/** Settles every reservation no running gateway holds; `self` is this gateway's instance id. */
export async function sweepReservations(store: Store, self: string, logger: Logger): Promise<SweepResult> {
  const now = Date.now();
  const leases = await store.gatewayLeases.all();
  const running = new Set(leases.filter((lease) => mayBeRunning(lease, self, now)).map((lease) => lease.instanceId));
  const result: SweepResult = { settled: 0, released: 0, kept: 0 };
  let charged = 0;
  let returned = 0;
  // A request id a client reused could match another call's row: each row settles one reservation at most.
  const used = new Set<number>();
  for (const reservation of await store.creditReservations.held()) {
    if (running.has(reservation.instanceId)) {
      result.kept++;
      continue;
    }
    const usage = (await store.creditReservations.usageFor(reservation)).find((row) => !used.has(row.id));
    if (usage) used.add(usage.id);
    const cost = usage?.costMicros ?? 0;
    if (!(await store.creditReservations.settle(reservation.id, cost))) continue;
    if (usage) result.settled++;
    else result.released++;
    charged += cost;
    returned += reservation.reservedMicros - cost;
  }
  if (result.settled + result.released > 0) {
    logger.info("credit reservations of stopped gateways settled", { ...result, charged_micros: charged, returned_micros: returned });
  }
  return result;
}
