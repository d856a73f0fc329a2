// Credit reservations: credits taken from an account together with a row saying so, and settled (the charge kept,
// the rest given back) together with that row's removal, each in one transaction: a crash never loses or doubles them.
import type { Db } from "./database.ts";
import { newId } from "./ids.ts";
import type { creditReservations } from "./schema.ts";

export type CreditReservation = typeof creditReservations.$inferSelect;

export interface ReserveRequest {
  requestId: string;
  accountId: string;
  instanceId: string;
  micros: number;
}

export type Reserved = { granted: true; id: string; balance: number } | { granted: false; balance: number };

export interface Settled {
  accountId: string;
  reservedMicros: number;
  /** The balance once settled. */
  balance: number;
}

interface Balance {
  balance: number;
}

export function creditReservationsRepo(db: Db) {
  const sqlite = db.$client;
  // Only a balance that covers the whole reservation is taken from (a negative balance covers nothing).
  const take = sqlite.prepare<Balance, [number, string]>(
    "UPDATE accounts SET credits_micros = credits_micros - ?1 WHERE id = ?2 AND credits_micros >= ?1 RETURNING credits_micros AS balance",
  );
  const balanceOf = sqlite.prepare<Balance, [string]>("SELECT credits_micros AS balance FROM accounts WHERE id = ?");
  const insert = sqlite.prepare<never, [string, string, string, string, number, number]>(
    "INSERT INTO credit_reservations (id, request_id, account_id, instance_id, reserved_micros, created_at) VALUES (?, ?, ?, ?, ?, ?)",
  );
  const remove = sqlite.prepare<{ accountId: string; reservedMicros: number }, [string]>(
    "DELETE FROM credit_reservations WHERE id = ? RETURNING account_id AS accountId, reserved_micros AS reservedMicros",
  );
  const give = sqlite.prepare<Balance, [number, string]>("UPDATE accounts SET credits_micros = credits_micros + ? WHERE id = ? RETURNING credits_micros AS balance");
  const all = sqlite.prepare<CreditReservation, []>(
    "SELECT id, request_id AS requestId, account_id AS accountId, instance_id AS instanceId, reserved_micros AS reservedMicros, created_at AS createdAt FROM credit_reservations ORDER BY created_at",
  );
  const usageOf = sqlite.prepare<{ id: number; costMicros: number }, [string, string, number]>(
    "SELECT id, cost_micros AS costMicros FROM usage_records WHERE account_id = ? AND request_id = ? AND created_at >= ? ORDER BY id",
  );

  const reserveNow = sqlite.transaction((request: ReserveRequest): Reserved => {
    const taken = take.get(request.micros, request.accountId);
    if (!taken) return { granted: false, balance: balanceOf.get(request.accountId)?.balance ?? 0 };
    const id = newId("res");
    insert.run(id, request.requestId, request.accountId, request.instanceId, request.micros, Date.now());
    return { granted: true, id, balance: taken.balance };
  });
  const settleNow = sqlite.transaction((id: string, chargedMicros: number): Settled | undefined => {
    const held = remove.get(id);
    if (!held) return undefined;
    const after = give.get(held.reservedMicros - chargedMicros, held.accountId);
    return { ...held, balance: after?.balance ?? 0 };
  });

  return {
    /** Takes `micros` from the balance, if it covers them, and records the reservation: one transaction. */
    async reserve(request: ReserveRequest): Promise<Reserved> {
      return reserveNow.immediate(request);
    },
    /**
     * Charges `chargedMicros` against the reservation (giving back the rest, or taking the overshoot) and removes
     * it: one transaction. Undefined when the reservation is already settled.
     */
    async settle(id: string, chargedMicros: number): Promise<Settled | undefined> {
      return settleNow.immediate(id, chargedMicros);
    },
    /** Every reservation held, oldest first. */
    async held(): Promise<CreditReservation[]> {
      return all.all();
    },
    /** The usage rows that may record the call behind a reservation (same account and request id, written after it). */
    async usageFor(reservation: CreditReservation): Promise<{ id: number; costMicros: number }[]> {
      return usageOf.all(reservation.accountId, reservation.requestId, reservation.createdAt);
    },
  };
}

export type CreditReservationsRepo = ReturnType<typeof creditReservationsRepo>;
