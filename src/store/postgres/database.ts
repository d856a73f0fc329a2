// The Postgres connection pool (Bun's built-in SQL client under drizzle) and the embedded migrations, applied under
// an advisory lock so gateways starting together migrate once.
import { SQL } from "bun";
import { drizzle } from "drizzle-orm/bun-sql";
import { migrations } from "./migrations/index.ts";
import * as schema from "./schema.ts";

const BREAKPOINT = "--> statement-breakpoint";
/** The advisory lock migrations run under (any fixed 64-bit number; this one spells "keyway"). */
export const MIGRATION_LOCK = 0x6b6579776179;

export interface PostgresOptions {
  url: string;
  /** Connections in the pool. */
  poolSize?: number;
  /** Tables live in this schema instead of the URL's default (`search_path`); tests use a fresh one per run. */
  schema?: string;
}

export function openPool(options: PostgresOptions): SQL {
  return new SQL({
    url: options.url,
    max: options.poolSize ?? 10,
    ...(options.schema === undefined ? {} : { connection: { search_path: options.schema } }),
  });
}

export function drizzleOver(sql: SQL) {
  return drizzle({ client: sql, schema });
}

export type PgDb = ReturnType<typeof drizzleOver>;

/**
 * Applies the migrations not yet recorded in keyway_migrations, each in its own transaction, on one connection that
 * holds the advisory lock throughout: a second gateway waits for the lock, then finds nothing left to apply.
 * Returns the tags applied.
 */
export async function applyPostgresMigrations(sql: SQL): Promise<string[]> {
  const connection = await sql.reserve();
  try {
    await connection`SELECT pg_advisory_lock(${MIGRATION_LOCK})`;
    try {
      await connection`CREATE TABLE IF NOT EXISTS keyway_migrations (tag text PRIMARY KEY, applied_at bigint NOT NULL)`;
      const rows: { tag: string }[] = await connection`SELECT tag FROM keyway_migrations`;
      const applied = new Set(rows.map((row) => row.tag));
      const ran: string[] = [];
      for (const migration of migrations) {
        if (applied.has(migration.tag)) continue;
        await connection`BEGIN`;
        try {
          for (const statement of migration.sql.split(BREAKPOINT)) {
            // drizzle-kit names referenced tables "public"."x": unqualified, they resolve in the configured schema.
            if (statement.trim() !== "") await connection.unsafe(statement.replaceAll('"public".', ""));
          }
          await connection`INSERT INTO keyway_migrations (tag, applied_at) VALUES (${migration.tag}, ${Date.now()})`;
          await connection`COMMIT`;
        } catch (error) {
          await connection`ROLLBACK`;
          throw error;
        }
        ran.push(migration.tag);
      }
      return ran;
    } finally {
      await connection`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } finally {
    connection.release();
  }
}

/** Which migrations the database still lacks (for `keyway check` and a gateway started with migrations off). */
export async function pendingPostgresMigrations(sql: SQL): Promise<string[]> {
  const [exists] = await sql`SELECT to_regclass('keyway_migrations') IS NOT NULL AS present`;
  const applied = new Set<string>();
  if ((exists as { present: boolean } | undefined)?.present) {
    for (const row of (await sql`SELECT tag FROM keyway_migrations`) as { tag: string }[]) applied.add(row.tag);
  }
  return migrations.map((m) => m.tag).filter((tag) => !applied.has(tag));
}
