// The credit reservations repository contract: credits taken from an account together with a row saying so, and
// settled (the charge kept, the rest given back) together with that row's removal, each atomically.

export interface CreditReservation {
  id: string;
  /** The call's request id (X-Request-Id): its usage row says what to charge. */
  requestId: string;
  accountId: string;
  /** The gateway (its lease) that holds the reservation. */
  instanceId: string;
  reservedMicros: number;
  createdAt: number;
}

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

export interface CreditReservationsRepo {
  /** Takes `micros` from the balance, only if it covers them, and records the reservation: one transaction. */
  reserve(request: ReserveRequest): Promise<Reserved>;
  /**
   * Charges `chargedMicros` against the reservation (giving back the rest, or taking the overshoot) and removes
   * it: one transaction. Undefined when the reservation is already settled.
   */
  settle(id: string, chargedMicros: number): Promise<Settled | undefined>;
  /** Every reservation held, oldest first. */
  held(): Promise<CreditReservation[]>;
  /** The usage rows that may record the call behind a reservation (same account and request id, written after it), oldest first. */
  usageFor(reservation: CreditReservation): Promise<{ id: number; costMicros: number }[]>;
}
