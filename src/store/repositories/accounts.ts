// The accounts repository contract: tenants, their credit balance, and the default account every installation has.

export const DEFAULT_ACCOUNT_ID = "acc_default";

export interface Account {
  id: string;
  name: string;
  /** Credit balance in micro-USD (1e-6 USD), kept integral so sums are exact. */
  creditsMicros: number;
  createdAt: number;
}

export interface AccountsRepo {
  /** The default account, created on first use with no credits. */
  ensureDefault(): Promise<Account>;
  create(name: string, creditsMicros?: number): Promise<Account>;
  get(id: string): Promise<Account | undefined>;
  /** Adds (or, negative, takes) credits unconditionally; returns the new balance, undefined for no such account. */
  adjustCredits(id: string, micros: number): Promise<number | undefined>;
}
