// Accounts (tenants): creation, lookup, and the default account every installation has.
import { and, eq, gte, sql } from "drizzle-orm";
import type { Db } from "./database.ts";
import { newId } from "./ids.ts";
import { accounts } from "./schema.ts";

export const DEFAULT_ACCOUNT_ID = "acc_default";

export type Account = typeof accounts.$inferSelect;

export function accountsRepo(db: Db) {
  return {
    async ensureDefault(): Promise<Account> {
      db.insert(accounts)
        .values({ id: DEFAULT_ACCOUNT_ID, name: "default", creditsMicros: 0, createdAt: Date.now() })
        .onConflictDoNothing()
        .run();
      return db.select().from(accounts).where(eq(accounts.id, DEFAULT_ACCOUNT_ID)).get() as Account;
    },
    async create(name: string, creditsMicros = 0): Promise<Account> {
      const row = { id: newId("acc"), name, creditsMicros, createdAt: Date.now() };
      db.insert(accounts).values(row).run();
      return row;
    },
    async get(id: string): Promise<Account | undefined> {
      return db.select().from(accounts).where(eq(accounts.id, id)).get();
    },
    /** Takes `micros` from the balance only if the balance covers it (one atomic statement). */
    async reserveCredits(id: string, micros: number): Promise<{ granted: boolean; balance: number }> {
      const row = db
        .update(accounts)
        .set({ creditsMicros: sql`${accounts.creditsMicros} - ${micros}` })
        .where(and(eq(accounts.id, id), gte(accounts.creditsMicros, micros)))
        .returning({ balance: accounts.creditsMicros })
        .get();
      if (row) return { granted: true, balance: row.balance };
      const current = db.select({ balance: accounts.creditsMicros }).from(accounts).where(eq(accounts.id, id)).get();
      return { granted: false, balance: current?.balance ?? 0 };
    },
    /** Adds (or, negative, takes) credits unconditionally; returns the new balance. */
    async adjustCredits(id: string, micros: number): Promise<number | undefined> {
      return db
        .update(accounts)
        .set({ creditsMicros: sql`${accounts.creditsMicros} + ${micros}` })
        .where(eq(accounts.id, id))
        .returning({ balance: accounts.creditsMicros })
        .get()?.balance;
    },
  };
}

export type AccountsRepo = ReturnType<typeof accountsRepo>;
