// Credit reservations: credits taken from an account together with a row saying so, and settled (the charge kept,
// the rest given back) together with that row's removal, each in one transaction: a crash never loses or doubles them.
import type { Db } from "./database.ts";
import { newId } from "../ids.ts";
import { accounts, creditReservations, usageRecords } from "./schema.ts";
import { preparedRowInsert, selectList, sqlNames } from "./table-sql.ts";
import type { CreditReservation, CreditReservationsRepo, ReserveRequest, Reserved, Settled } from "../repositories/credit-reservations.ts";

interface Balance {
  balance: number;
}

export function creditReservationsRepo(db: Db): CreditReservationsRepo {
  const sqlite = db.$client;
  const account = sqlNames(accounts);
  const reservation = sqlNames(creditReservations);
  const usage = sqlNames(usageRecords);
  const credits = account.column.creditsMicros;
  // Only a balance that covers the whole reservation is taken from (a negative balance covers nothing).
  const take = sqlite.prepare<Balance, [number, string]>(
    `UPDATE ${account.table} SET ${credits} = ${credits} - ?1 WHERE ${account.column.id} = ?2 AND ${credits} >= ?1 RETURNING ${credits} AS balance`,
  );
  const balanceOf = sqlite.prepare<Balance, [string]>(`SELECT ${credits} AS balance FROM ${account.table} WHERE ${account.column.id} = ?`);
  const insert = preparedRowInsert(sqlite, creditReservations);
  const remove = sqlite.prepare<{ accountId: string; reservedMicros: number }, [string]>(
    `DELETE FROM ${reservation.table} WHERE ${reservation.column.id} = ? RETURNING ${reservation.column.accountId} AS accountId, ${reservation.column.reservedMicros} AS reservedMicros`,
  );
  const give = sqlite.prepare<Balance, [number, string]>(
    `UPDATE ${account.table} SET ${credits} = ${credits} + ? WHERE ${account.column.id} = ? RETURNING ${credits} AS balance`,
  );
  const all = sqlite.prepare<CreditReservation, []>(
    `SELECT ${selectList(creditReservations)} FROM ${reservation.table} ORDER BY ${reservation.column.createdAt}`,
  );
  const usageOf = sqlite.prepare<{ id: number; costMicros: number }, [string, string, number]>(
    `SELECT ${usage.column.id} AS id, ${usage.column.costMicros} AS costMicros FROM ${usage.table} ` +
      `WHERE ${usage.column.accountId} = ? AND ${usage.column.requestId} = ? AND ${usage.column.createdAt} >= ? ORDER BY ${usage.column.id}`,
  );

  const reserveNow = sqlite.transaction((request: ReserveRequest): Reserved => {
    const taken = take.get(request.micros, request.accountId);
    if (!taken) return { granted: false, balance: balanceOf.get(request.accountId)?.balance ?? 0 };
    const id = newId("res");
    insert({ id, requestId: request.requestId, accountId: request.accountId, instanceId: request.instanceId, reservedMicros: request.micros, createdAt: Date.now() });
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

