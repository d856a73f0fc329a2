// The signals bus over Redis pub/sub: every replica publishes its changes on one channel and listens on it. A lost
// connection never fails a request: publishing stays local (logged once per outage), the subscriber reconnects on
// its own, and when it is back every cache is dropped (signals may have been missed; until then caches keep their TTLs).
import { RedisClient } from "bun";
import { describeError, type Logger } from "../telemetry/logger.ts";
import { localDelivery } from "./local-delivery.ts";
import { parseSignal, type Signal, type SignalBus } from "./signal.ts";

export const DEFAULT_SIGNAL_CHANNEL = "keyway:signals";

export interface RedisSignalBusOptions {
  logger: Logger;
  /** The pub/sub channel every replica of one installation shares. */
  channel?: string;
  /** Pause between attempts to get the subscription back. Default 500 ms. */
  reconnectMs?: number;
  /** How long one connection attempt may take. Default 2 s. */
  connectTimeoutMs?: number;
}

export interface RedisSignalBus extends SignalBus {
  /** Settles (never rejects) once the first subscription attempt succeeded or failed. */
  readonly started: Promise<void>;
  /** Whether signals of other replicas reach this one now. */
  listening(): boolean;
  /** The name this bus's subscriber connection carries on the Redis server (CLIENT LIST). */
  readonly connectionName: string;
}

interface Envelope {
  origin: string;
  signal: Signal;
}

export function redisSignalBus(url: string, options: RedisSignalBusOptions): RedisSignalBus {
  const { logger } = options;
  const channel = options.channel ?? DEFAULT_SIGNAL_CHANNEL;
  const reconnectMs = options.reconnectMs ?? 500;
  const connectionTimeout = options.connectTimeoutMs ?? 2_000;
  const origin = crypto.randomUUID();
  const connectionName = `keyway-signals-${origin.slice(0, 8)}`;
  const local = localDelivery((error) => logger.error("signal subscriber failed", describeError(error)));
  const clientOptions = { autoReconnect: false, enableOfflineQueue: false, connectionTimeout };

  let closed = false;
  let subscriber: RedisClient | undefined;
  let subscribed = false;
  let outage = false;
  let retry: ReturnType<typeof setTimeout> | undefined;

  function onMessage(message: string): void {
    let envelope: Partial<Envelope> | undefined;
    try {
      envelope = JSON.parse(message) as Partial<Envelope>;
    } catch {
      envelope = undefined;
    }
    if (envelope?.origin === origin) return; // delivered locally when published
    const signal = parseSignal(envelope?.signal);
    if (signal) local.deliver(signal);
    else logger.debug("signals: ignored a malformed message", { channel });
  }

  /** The subscription is gone (or never came): at the start of an outage log it and drop caches once; try again shortly. */
  function lost(error: unknown): void {
    subscribed = false;
    if (closed) return;
    if (!outage) {
      outage = true;
      logger.warn("signals: Redis subscription lost; caches fall back to their TTLs until it is back", { channel, ...describeError(error) });
      local.deliver({ kind: "everything" });
    }
    retry = setTimeout(() => void listen(), reconnectMs);
  }

  async function listen(): Promise<void> {
    retry = undefined;
    if (closed) return;
    const client = new RedisClient(url, clientOptions);
    subscriber = client;
    client.onclose = (error) => {
      if (subscriber !== client) return;
      subscriber = undefined;
      lost(error);
    };
    try {
      await client.connect();
      await client.send("CLIENT", ["SETNAME", connectionName]);
      await client.subscribe(channel, onMessage);
      if (closed || subscriber !== client) {
        client.close();
        return;
      }
      subscribed = true;
      if (outage) {
        outage = false;
        logger.info("signals: Redis subscription restored; caches dropped", { channel });
        local.deliver({ kind: "everything" });
      }
    } catch (error) {
      if (subscriber !== client) return;
      subscriber = undefined;
      client.onclose = null;
      client.close();
      lost(error);
    }
  }

  const publisher = new RedisClient(url, clientOptions);
  let connecting: Promise<void> | undefined;
  let publishFailing = false;

  async function send(envelope: Envelope): Promise<void> {
    try {
      if (!publisher.connected) {
        connecting ??= publisher.connect().finally(() => {
          connecting = undefined;
        });
        await connecting;
      }
      await publisher.publish(channel, JSON.stringify(envelope));
      if (publishFailing) {
        publishFailing = false;
        logger.info("signals: publishing to Redis again", { channel });
      }
    } catch (error) {
      if (closed) return;
      if (!publishFailing) {
        publishFailing = true;
        logger.warn("signals: cannot publish to Redis; other replicas see this change when their caches expire", { channel, ...describeError(error) });
      }
    }
  }

  const started = listen();

  return {
    started,
    connectionName,
    listening: () => subscribed,
    publish(signal) {
      local.deliver(signal);
      if (!closed) void send({ origin, signal });
    },
    subscribe: (handler) => local.subscribe(handler),
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      local.clear();
      const client = subscriber;
      subscriber = undefined;
      if (client) {
        client.onclose = null;
        client.close();
      }
      await connecting?.catch(() => undefined);
      publisher.close();
    },
  };
}
