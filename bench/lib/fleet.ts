// Scenario e2's keyway: the same binary with its state in Postgres (a fresh schema, dropped afterwards) and its counters in
// Redis (a unique key prefix, deleted afterwards), as a fleet replica runs; or why it could not be set up.
import { RedisClient, SQL } from "bun";
import { type Governance, type Server, setUpGovernance, startKeyway, writeKeywayConfig } from "./stack.ts";

export const BENCH_POSTGRES_URL = process.env.KEYWAY_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const BENCH_REDIS_URL = process.env.KEYWAY_BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";

export interface FleetKeyway {
  server: Server;
  governance: Governance;
  schema: string;
  prefix: string;
  /** Usage rows in the Postgres schema for an API key, or why they could not be counted. */
  usageRows(keyId: string): Promise<number | string>;
  /** Keys now under the Redis prefix, or why they could not be counted. */
  redisKeys(): Promise<number | string>;
  /** Drops the schema and deletes the Redis keys under the prefix; call after keyway has stopped. */
  cleanUp(): Promise<string[]>;
}

/** The URL with a user name but never a password (for notes and logs). */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an unparsable URL)";
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function withTimeout<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The URL whose every connection has `search_path` set to the schema (how a keyway process is told its schema). */
function schemaUrl(schema: string): string {
  const url = new URL(BENCH_POSTGRES_URL);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}

/** Every Redis key under `prefix` (SCAN), deleted when asked (DEL; never a FLUSH). */
async function redisKeysUnder(prefix: string, remove: boolean): Promise<number> {
  const client = new RedisClient(BENCH_REDIS_URL);
  try {
    let cursor = "0";
    let found = 0;
    do {
      const [next, keys] = (await client.send("SCAN", [cursor, "MATCH", `${prefix}*`, "COUNT", "1000"])) as [string, string[]];
      cursor = String(next);
      found += keys.length;
      if (remove && keys.length > 0) await client.send("DEL", keys);
    } while (cursor !== "0");
    return found;
  } finally {
    client.close();
  }
}

/** Commands the Redis server has processed since it started (all clients: INFO stats). */
export async function redisCommandsProcessed(): Promise<number | undefined> {
  const client = new RedisClient(BENCH_REDIS_URL);
  try {
    const info = String(await client.send("INFO", ["stats"]));
    const match = /total_commands_processed:(\d+)/.exec(info);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  } finally {
    client.close();
  }
}

/** Why e2 has no figures, and (when a schema was made) how to clean up after the processes have stopped. */
export interface FleetSkipped {
  reason: string;
  cleanUp?: () => Promise<string[]>;
}

/** Starts the Postgres + Redis keyway with its governance setup, or says why it cannot run here. */
export async function startFleetKeyway(binary: string, mockUrl: string): Promise<FleetKeyway | FleetSkipped> {
  const admin = new SQL({ url: BENCH_POSTGRES_URL, max: 1, connectionTimeout: 5 });
  try {
    await withTimeout("Postgres", 5000, admin`SELECT 1`);
  } catch (error) {
    void admin.close().catch(() => {});
    return { reason: `Postgres is not reachable at ${shownUrl(BENCH_POSTGRES_URL)} (${message(error)}); set KEYWAY_BENCH_POSTGRES_URL to use another` };
  }
  const probe = new RedisClient(BENCH_REDIS_URL, { connectionTimeout: 3000, autoReconnect: false });
  try {
    await withTimeout("Redis", 5000, probe.send("PING", []));
  } catch (error) {
    await admin.close();
    return { reason: `Redis is not reachable at ${shownUrl(BENCH_REDIS_URL)} (${message(error)}); set KEYWAY_BENCH_REDIS_URL to use another` };
  } finally {
    probe.close();
  }

  const stamp = `${process.pid}_${Date.now().toString(36)}`;
  const schema = `kw_bench_${stamp}`;
  const prefix = `keyway-bench:${stamp}:`;
  try {
    await admin.unsafe(`CREATE SCHEMA "${schema}"`);
  } catch (error) {
    await admin.close().catch(() => {});
    return { reason: `could not create the schema ${schema} in ${shownUrl(BENCH_POSTGRES_URL)}: ${message(error)}` };
  }
  const cleanUp = async (): Promise<string[]> => {
    const problems: string[] = [];
    try {
      await admin.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } catch (error) {
      problems.push(`could not drop the Postgres schema ${schema}: ${message(error)}`);
    }
    await admin.close().catch(() => {});
    try {
      await redisKeysUnder(prefix, true);
    } catch (error) {
      problems.push(`could not delete the Redis keys under ${prefix}: ${message(error)}`);
    }
    return problems;
  };

  try {
    const setup = writeKeywayConfig("keyway-pg-redis", mockUrl, false, undefined, {
      storage: `{ driver: postgres, url: "${schemaUrl(schema)}" }`,
      counters: `{ driver: redis, url: "${BENCH_REDIS_URL}", prefix: "${prefix}" }`,
    });
    const server = await startKeyway("keyway-pg-redis", binary, setup);
    const governance = await setUpGovernance(server.url);
    return {
      server,
      governance,
      schema,
      prefix,
      async usageRows(keyId) {
        try {
          const rows = (await admin.unsafe(`SELECT count(*)::int AS n FROM "${schema}".usage_records WHERE api_key_id = $1`, [keyId])) as { n: number }[];
          return rows[0]?.n ?? 0;
        } catch (error) {
          return message(error);
        }
      },
      async redisKeys() {
        try {
          return await redisKeysUnder(prefix, false);
        } catch (error) {
          return message(error);
        }
      },
      cleanUp,
    };
  } catch (error) {
    // The process may still be running: the caller cleans up once every process has stopped.
    return { reason: `the Postgres + Redis keyway did not start: ${message(error)}`, cleanUp };
  }
}
