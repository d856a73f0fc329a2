// Accounts (tenants) on Postgres: creation, lookup, credits added by the operator, and the default account every
// installation has. Credits spent by calls go through credit reservations (credit-reservations-repo.ts).
import type { SQL } from "bun";
import { eq, sql as dsql } from "drizzle-orm";
import { newId } from "../ids.ts";
import { type Account, type AccountsRepo, DEFAULT_ACCOUNT_ID } from "../repositories/accounts.ts";
import type { PgDb } from "./database.ts";
import { accounts } from "./schema.ts";

export function accountsRepo(db: PgDb, _sql: SQL): AccountsRepo {
  return {
    async ensureDefault(): Promise<Account> {
      await db.insert(accounts).values({ id: DEFAULT_ACCOUNT_ID, name: "default", creditsMicros: 0, createdAt: Date.now() }).onConflictDoNothing();
      const [row] = await db.select().from(accounts).where(eq(accounts.id, DEFAULT_ACCOUNT_ID));
      return row as Account;
    },
    async create(name: string, creditsMicros = 0): Promise<Account> {
      const row = { id: newId("acc"), name, creditsMicros, createdAt: Date.now() };
      await db.insert(accounts).values(row);
      return row;
    },
    async get(id: string): Promise<Account | undefined> {
      const [row] = await db.select().from(accounts).where(eq(accounts.id, id));
      return row;
    },
    /** Adds (or, negative, takes) credits unconditionally in one atomic statement; returns the new balance. */
    async adjustCredits(id: string, micros: number): Promise<number | undefined> {
      const [row] = await db
        .update(accounts)
        .set({ creditsMicros: dsql`${accounts.creditsMicros} + ${micros}` })
        .where(eq(accounts.id, id))
        .returning({ balance: accounts.creditsMicros });
      return row?.balance;
    },
  };
}
