// Credit reservations on Postgres: credits taken from an account together with a row saying so, and settled (the
// charge kept, the rest given back) together with that row's removal. Each is ONE statement (data-modifying CTEs),
// atomic on its own: the conditional take (`credits >= n`) is re-checked by Postgres against the latest row version
// when gateways race on one account, and a reservation's DELETE lets exactly one settlement through.
import type { SQL } from "bun";
import { asc } from "drizzle-orm";
import { newId } from "../ids.ts";
import type { CreditReservation, CreditReservationsRepo, ReserveRequest, Reserved, Settled } from "../repositories/credit-reservations.ts";
import type { PgDb } from "./database.ts";
import { accounts, creditReservations, usageRecords } from "./schema.ts";
import { num, pgNames } from "./usage-columns.ts";

const account = pgNames(accounts);
const reservation = pgNames(creditReservations);
const usage = pgNames(usageRecords);
const credits = account.column.creditsMicros;

/**
 * Takes $1 micros from account $2 only if its balance covers them (a negative balance covers nothing) and, in the
 * same statement, inserts the reservation ($3 id, $4 request, $5 instance, $6 created at). No row: not granted.
 */
const TAKE_AND_RECORD = `
  WITH taken AS (
    UPDATE ${account.table} SET ${credits} = ${credits} - $1::bigint
    WHERE ${account.column.id} = $2 AND ${credits} >= $1::bigint
    RETURNING ${account.column.id} AS account_id, ${credits} AS balance
  ), recorded AS (
    INSERT INTO ${reservation.table} (${reservation.column.id}, ${reservation.column.requestId}, ${reservation.column.accountId},
      ${reservation.column.instanceId}, ${reservation.column.reservedMicros}, ${reservation.column.createdAt})
    SELECT $3, $4, taken.account_id, $5, $1::bigint, $6::bigint FROM taken
  )
  SELECT balance FROM taken`;

const BALANCE_OF = `SELECT ${credits} AS balance FROM ${account.table} WHERE ${account.column.id} = $1`;

/**
 * Removes reservation $1 and, in the same statement, gives its account back what it held less the charge $2 (a
 * negative difference takes the overshoot). No row: already settled (or never held).
 */
const REMOVE_AND_GIVE_BACK = `
  WITH held AS (
    DELETE FROM ${reservation.table} WHERE ${reservation.column.id} = $1
    RETURNING ${reservation.column.accountId} AS account_id, ${reservation.column.reservedMicros} AS reserved_micros
  ), given AS (
    UPDATE ${account.table} SET ${credits} = ${account.table}.${credits} + (held.reserved_micros - $2::bigint)
    FROM held WHERE ${account.table}.${account.column.id} = held.account_id
    RETURNING ${credits} AS balance
  )
  SELECT held.account_id, held.reserved_micros, given.balance FROM held LEFT JOIN given ON TRUE`;

const USAGE_OF = `
  SELECT ${usage.column.id} AS id, ${usage.column.costMicros} AS cost_micros FROM ${usage.table}
  WHERE ${usage.column.accountId} = $1 AND ${usage.column.requestId} = $2 AND ${usage.column.createdAt} >= $3::bigint
  ORDER BY ${usage.column.id}`;

export function creditReservationsRepo(db: PgDb, sql: SQL): CreditReservationsRepo {
  return {
    /** Takes `micros` from the balance, only if it covers them, and records the reservation: one statement. */
    async reserve(request: ReserveRequest): Promise<Reserved> {
      const id = newId("res");
      const [taken] = await sql.unsafe(TAKE_AND_RECORD, [request.micros, request.accountId, id, request.requestId, request.instanceId, Date.now()]);
      if (taken !== undefined) return { granted: true, id, balance: num(taken.balance) };
      const [current] = await sql.unsafe(BALANCE_OF, [request.accountId]);
      return { granted: false, balance: num(current?.balance) };
    },
    /**
     * Charges `chargedMicros` against the reservation (giving back the rest, or taking the overshoot) and removes
     * it: one statement. Undefined when the reservation is already settled.
     */
    async settle(id: string, chargedMicros: number): Promise<Settled | undefined> {
      const [held] = await sql.unsafe(REMOVE_AND_GIVE_BACK, [id, chargedMicros]);
      if (held === undefined) return undefined;
      return { accountId: held.account_id as string, reservedMicros: num(held.reserved_micros), balance: num(held.balance) };
    },
    /** Every reservation held, oldest first. */
    async held(): Promise<CreditReservation[]> {
      return db.select().from(creditReservations).orderBy(asc(creditReservations.createdAt));
    },
    /** The usage rows that may record the call behind a reservation (same account and request id, written after it). */
    async usageFor(held: CreditReservation): Promise<{ id: number; costMicros: number }[]> {
      const rows = await sql.unsafe(USAGE_OF, [held.accountId, held.requestId, held.createdAt]);
      return (rows as { id: unknown; cost_micros: unknown }[]).map((row) => ({ id: num(row.id), costMicros: num(row.cost_micros) }));
    },
  };
}
