// The real Postgres server the suite runs against (KEYWAY_TEST_POSTGRES_URL, default the local `test` database),
// with a fresh schema per use, dropped afterwards.
import { openPool } from "../../src/store/postgres/database.ts";

export const POSTGRES_URL = process.env.KEYWAY_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** Creates an empty schema with a unique name; `drop` removes it and all it holds. */
export async function freshPostgresSchema(label: string): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `kw_${label}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`.toLowerCase();
  const admin = openPool({ url: POSTGRES_URL, poolSize: 1 });
  await admin.unsafe(`CREATE SCHEMA "${schema}"`);
  return {
    schema,
    async drop() {
      await admin.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.close();
    },
  };
}
