// A fleet of real `keyway serve` processes (from the sources) on one fresh Postgres schema and one redis-server of
// the test's own, each with a config file of its own written in a temp folder; plus a pool on the same schema for
// the test to read what the replicas wrote.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPool } from "../../src/store/postgres/database.ts";
import { startSourceServer } from "./binary.ts";
import { freshPostgresSchema, POSTGRES_URL } from "./postgres.ts";
import { type OwnRedis, ownRedis } from "./redis-server.ts";

export type Replica = { proc: ReturnType<typeof Bun.spawn>; url: string };

export interface FleetPlaces {
  /** The fleet's temp folder (removed on stop). */
  dir: string;
  /** One master key file for the fleet, as an operator would mount the same secret on every machine. */
  masterKeyFile: string;
}

export interface FleetOptions {
  /** Names the Postgres schema and the temp folder. */
  name: string;
  /** How many replicas to start. */
  size: number;
  /** The YAML lines of every replica's config besides server, storage and counters (security, platform, providers...). */
  lines(places: FleetPlaces): string[];
}

export interface Fleet extends FleetPlaces {
  /** The replicas in start order; `stop` stops those still listed. */
  replicas: Replica[];
  redis: OwnRedis;
  /** A pool on the fleet's schema. */
  db: ReturnType<typeof openPool>;
  /** Starts one more replica with the same config. */
  add(): Promise<Replica>;
  /** SIGKILLs the replica (gone at once, as in a crash), waits for its exit and drops it from `replicas`. */
  kill(replica: Replica): Promise<void>;
  stop(): Promise<void>;
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const dir = mkdtempSync(join(tmpdir(), `keyway-${options.name}-`));
  const places: FleetPlaces = { dir, masterKeyFile: join(dir, "master.key") };
  const redis = await ownRedis();
  const pg = await freshPostgresSchema(options.name);
  const url = new URL(POSTGRES_URL);
  url.searchParams.set("options", `-c search_path=${pg.schema}`);
  const databaseUrl = url.toString();
  const db = openPool({ url: databaseUrl, poolSize: 2 });
  let written = 0;

  const configFile = (): string => {
    const file = join(dir, `replica-${++written}.yaml`);
    writeFileSync(
      file,
      [
        "server: { host: 127.0.0.1, port: 0 }",
        `storage: { driver: postgres, url: "${databaseUrl}", pool_size: 8 }`,
        `counters: { driver: redis, url: "${redis.url}" }`,
        ...options.lines(places),
      ].join("\n"),
    );
    return file;
  };

  const replicas: Replica[] = [];
  const fleet: Fleet = {
    ...places,
    replicas,
    redis,
    db,
    async add() {
      const replica = await startSourceServer(configFile());
      replicas.push(replica);
      return replica;
    },
    async kill(replica) {
      replica.proc.kill("SIGKILL");
      await replica.proc.exited;
      const at = replicas.indexOf(replica);
      if (at >= 0) replicas.splice(at, 1);
    },
    async stop() {
      for (const replica of replicas.splice(0)) {
        replica.proc.kill("SIGTERM");
        await replica.proc.exited;
      }
      await db.close();
      await pg.drop();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    // The first replica migrates and creates the master key; the others start together on the same database.
    await fleet.add();
    const files = Array.from({ length: options.size - 1 }, configFile);
    const started = await Promise.allSettled(files.map((file) => startSourceServer(file)));
    for (const one of started) if (one.status === "fulfilled") replicas.push(one.value);
    const failed = started.find((one) => one.status === "rejected");
    if (failed) throw failed.reason;
  } catch (error) {
    await fleet.stop();
    throw error;
  }
  return fleet;
}
