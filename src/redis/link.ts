// One Redis connection for state that must never hold a request up: every command and connection attempt is bounded
// by a timeout, nothing is queued while Redis is away (a lost connection is re-opened, from a fresh client, by the
// next command), and the caller hears once when Redis goes away and once when it is back. Optionally a probe
// reconnects while it is down, so recovery shows without traffic. Used by the counters, provider health and
// stored-key turns.
import { RedisClient } from "bun";

export interface RedisLinkOptions {
  /** Longest a connection attempt or a command may take before Redis counts as unreachable. Default 500 ms. */
  timeoutMs?: number;
  /** Called once when Redis becomes unreachable (with the reason, the URL's password left out) and once when back. */
  onChange?: (up: boolean, reason?: string) => void;
  /** While Redis is down, PING it this often (default: no probe; the next command tries again). */
  probeMs?: number;
}

export interface RedisOutage {
  reason: string;
  since: Date;
}

export interface RedisLink {
  /** Runs one command; rejects (within the timeout) when Redis cannot answer, with a RedisUnreachable. */
  send(command: string, args: string[]): Promise<unknown>;
  /** Runs commands on the client itself (typed helpers such as `get`), under the same timeout and outage rules. */
  run<T>(commands: (client: RedisClient) => Promise<T>): Promise<T>;
  /** Why Redis is unreachable since when, or undefined while it answers. */
  outage(): RedisOutage | undefined;
  close(): void;
}

/** Redis could not be reached (refused, closed, timed out); a command Redis answered with an error is not this. */
export class RedisUnreachable extends Error {}

class Timeout extends Error {}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** `redis://user@host:port/db`: the URL without its password, for messages. */
export function describeRedisUrl(value: string): string {
  try {
    const url = new URL(value);
    const user = url.username === "" ? "" : `${decodeURIComponent(url.username)}@`;
    return `${url.protocol}//${user}${url.host}${url.pathname === "/" ? "" : url.pathname}`;
  } catch {
    return "(the configured Redis URL, which does not parse)";
  }
}

function isConnectionTrouble(error: unknown, client: RedisClient | undefined): boolean {
  if (error instanceof Timeout || !client?.connected) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && (code.startsWith("ERR_REDIS_CONNECTION") || code.startsWith("ECONN"))) return true;
  return /ECONNREFUSED|connection (closed|refused|lost)|socket/i.test(error instanceof Error ? error.message : String(error));
}

export function redisLink(url: string, options: RedisLinkOptions = {}): RedisLink {
  const timeoutMs = options.timeoutMs ?? 500;
  const where = describeRedisUrl(url);
  let client: RedisClient | undefined;
  let connecting: Promise<RedisClient> | undefined;
  let down: RedisOutage | undefined;
  let probe: ReturnType<typeof setInterval> | undefined;
  let closed = false;

  const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).replaceAll(url, where);

  function connected(): Promise<RedisClient> {
    if (closed) return Promise.reject(new Error("the Redis link is closed"));
    if (client?.connected) return Promise.resolve(client);
    connecting ??= (async () => {
      // A client whose connection failed stays failed: always start from a fresh one.
      const fresh = new RedisClient(url, { enableOfflineQueue: false, autoReconnect: false, connectionTimeout: timeoutMs });
      try {
        await within(fresh.connect(), timeoutMs);
      } catch (error) {
        fresh.close();
        throw error;
      }
      client?.close();
      if (closed) fresh.close();
      client = fresh;
      return fresh;
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  }

  function markUp(): void {
    if (!down) return;
    down = undefined;
    if (probe) clearInterval(probe);
    probe = undefined;
    options.onChange?.(true);
  }

  function markDown(error: unknown): void {
    const reason = reasonOf(error);
    if (down) {
      down.reason = reason;
      return;
    }
    down = { reason, since: new Date() };
    options.onChange?.(false, reason);
    if (options.probeMs !== undefined && !closed) {
      probe = setInterval(() => void run((c) => c.send("PING", [])).catch(() => {}), options.probeMs);
      (probe as { unref?: () => void }).unref?.();
    }
  }

  async function run<T>(commands: (client: RedisClient) => Promise<T>): Promise<T> {
    try {
      const answer = await within(connected().then(commands), timeoutMs);
      markUp();
      return answer;
    } catch (error) {
      if (closed || !isConnectionTrouble(error, client)) throw error;
      markDown(error);
      throw new RedisUnreachable(`Redis at ${where} cannot be reached: ${reasonOf(error)}`, { cause: error });
    }
  }

  return {
    send: (command, args) => run((c) => c.send(command, args)),
    run,
    outage: () => down,
    close() {
      closed = true;
      if (probe) clearInterval(probe);
      client?.close();
      client = undefined;
    },
  };
}
