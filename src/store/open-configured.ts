// Opens the store the config names: the SQLite file, or the Postgres database (async: it connects and migrates).
// runtime.ts and every CLI command that needs the store open it here. The Postgres driver is loaded only when the
// config names it (a SQLite gateway never holds its code in memory).
import type { KeywayConfig } from "../config/schema.ts";
import { describeDatabaseUrl } from "./database-url.ts";
import { openStore } from "./sqlite/open-store.ts";
import type { Store } from "./store.ts";
import { unavailable } from "./store-errors.ts";

export type StorageSettings = KeywayConfig["storage"];

/** The database as messages name it: the SQLite file, or the Postgres URL without its password. */
export function describeStorage(storage: StorageSettings): string {
  return storage.driver === "postgres" ? `Postgres at ${describeDatabaseUrl(storage.url ?? "")}` : `SQLite file ${storage.path}`;
}

/**
 * With Postgres: connects, then applies pending migrations (`migrate`, the default) or refuses a database that lacks
 * some. Any failure is a StoreUnavailableError naming the database, never its password.
 */
export async function openConfiguredStore(storage: StorageSettings): Promise<Store> {
  if (storage.driver !== "postgres") return openStore(storage.path);
  try {
    const { openPostgresStore } = await import("./postgres/open-store.ts");
    return await openPostgresStore({ url: storage.url ?? "", poolSize: storage.pool_size, migrate: storage.migrate });
  } catch (error) {
    throw unavailable(describeStorage(storage), error);
  }
}
