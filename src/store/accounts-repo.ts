// Accounts (tenants): creation, lookup, and the default account every installation has.
import { eq } from "drizzle-orm";
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
  };
}

export type AccountsRepo = ReturnType<typeof accountsRepo>;
