// Accounts (tenants): creation, lookup, credits added by the operator, and the default account every installation
// has. Credits spent by calls go through credit reservations (credit-reservations-repo.ts).
import { eq, sql } from "drizzle-orm";
import type { Db } from "./database.ts";
import { newId } from "../ids.ts";
import { accounts } from "./schema.ts";
import { type Account, type AccountsRepo, DEFAULT_ACCOUNT_ID } from "../repositories/accounts.ts";

export function accountsRepo(db: Db): AccountsRepo {
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

