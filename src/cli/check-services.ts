// The services `keyway check` reaches besides the config: the database (reachable, migrations pending) and the
// Redis counters (answers PING). Each probe gives one line to print; URLs appear without their passwords.
import { RedisClient } from "bun";
import type { ResolvedConfig } from "../config/validate.ts";
import { describeDatabaseUrl } from "../store/database-url.ts";
import { pendingConfigured } from "../store/migrate-configured.ts";
import { describeStorage } from "../store/open-configured.ts";
import { reasonOf } from "../store/store-errors.ts";

export interface Probe {
  ok: boolean;
  line: string;
}

const REDIS_TIMEOUT_MS = 5_000;

export async function probeStorage(config: ResolvedConfig): Promise<Probe> {
  const storage = config.storage;
  const where = describeStorage(storage);
  let pending: string[];
  try {
    pending = await pendingConfigured(storage);
  } catch (error) {
    return { ok: false, line: `storage: ${reasonOf(error)}` };
  }
  const reached = storage.driver === "postgres" ? `${where} reachable` : where;
  if (pending.length === 0) return { ok: true, line: `storage: ${reached}; migrations up to date` };
  const applies = storage.driver === "postgres" && !storage.migrate ? "run `keyway migrate` before serve (storage.migrate is false)" : "serve applies them at start-up, or run `keyway migrate`";
  return { ok: true, line: `storage: ${reached}; ${pending.length} migration(s) pending (${pending.join(", ")}); ${applies}` };
}

/** Redis counters only: the URL answers PING within a few seconds. */
export async function probeCounters(config: ResolvedConfig): Promise<Probe | undefined> {
  const counters = config.counters;
  if (counters.driver !== "redis" || counters.url === undefined) return undefined;
  const where = `Redis at ${describeDatabaseUrl(counters.url)}`;
  const client = new RedisClient(counters.url, { connectionTimeout: REDIS_TIMEOUT_MS, autoReconnect: false, maxRetries: 0 });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${REDIS_TIMEOUT_MS / 1000}s`)), REDIS_TIMEOUT_MS);
    });
    const answer = await Promise.race([client.ping(), timeout]);
    return { ok: answer === "PONG", line: `counters: ${where} ${answer === "PONG" ? "answers PING" : `answered PING with ${JSON.stringify(answer)}`}` };
  } catch (error) {
    return { ok: false, line: `counters: cannot reach ${where}: ${reasonOf(error)}` };
  } finally {
    clearTimeout(timer);
    client.close();
  }
}
