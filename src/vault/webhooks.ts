// Signed webhook deliveries: POST of a JSON event, HMAC-SHA256 of the body in X-Keyway-Signature, retried with backoff.
import { invalidRequest } from "../errors.ts";
import type { Logger } from "../telemetry/logger.ts";

export interface WebhookEvent {
  type: string;
  [field: string]: unknown;
}

export interface WebhookOptions {
  secret: string | undefined;
  logger: Logger;
  /** Attempts per URL (first try included). */
  attempts?: number;
  /** First backoff in ms; doubles each retry. */
  backoffMs?: number;
  timeoutMs?: number;
}

export function signBody(secret: string, body: string): string {
  return `sha256=${new Bun.CryptoHasher("sha256", secret).update(body).digest("hex")}`;
}

/** Refuses anything but absolute http(s) URLs, naming the offending entry. */
export function checkWebhookUrls(urls: unknown, param = "notification_webhooks"): string[] {
  if (urls === undefined || urls === null) return [];
  if (!Array.isArray(urls)) throw invalidRequest(`'${param}' must be an array of http(s) URLs.`, param);
  return urls.map((url, index) => {
    let parsed: URL | undefined;
    try {
      parsed = typeof url === "string" ? new URL(url) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
      throw invalidRequest(`'${String(url)}' is not an http(s) URL.`, `${param}[${index}]`);
    }
    return parsed.toString();
  });
}

export function createWebhooks(options: WebhookOptions) {
  const attempts = options.attempts ?? 5;
  const backoff = options.backoffMs ?? 1000;
  const timeout = options.timeoutMs ?? 10_000;
  const inFlight = new Set<Promise<void>>();

  async function deliverOne(url: string, body: string, event: WebhookEvent, delivery: string): Promise<void> {
    const headers = {
      "content-type": "application/json",
      "user-agent": "keyway-webhooks",
      "x-keyway-event": event.type,
      "x-keyway-delivery": delivery,
      "x-keyway-signature": signBody(options.secret ?? "", body),
    };
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(timeout) });
        if (response.ok) return;
        options.logger.warn("webhook refused", { url, status: response.status, attempt, event: event.type });
      } catch (error) {
        options.logger.warn("webhook unreachable", { url, attempt, event: event.type, error: error instanceof Error ? error.message : String(error) });
      }
      if (attempt < attempts) await Bun.sleep(backoff * 2 ** (attempt - 1));
    }
    options.logger.error("webhook gave up", { url, attempts, event: event.type });
  }

  return {
    /** Throws a 400 before anything changes when webhooks are asked for but cannot be signed. */
    requireSecret(urls: string[]): void {
      if (urls.length > 0 && !options.secret) {
        throw invalidRequest("Webhooks are signed with security.webhook_secret, which is not set on this gateway.", "notification_webhooks");
      }
    },
    /** Sends in the background; the caller does not wait. */
    send(urls: string[], event: WebhookEvent): void {
      if (urls.length === 0) return;
      const body = JSON.stringify({ ...event, sent_at: new Date().toISOString() });
      const delivery = crypto.randomUUID();
      for (const url of urls) {
        const task = deliverOne(url, body, event, delivery).finally(() => inFlight.delete(task));
        inFlight.add(task);
      }
    },
    /** Waits for deliveries under way (shutdown, tests). */
    async settle(): Promise<void> {
      await Promise.all([...inFlight]);
    },
  };
}

export type Webhooks = ReturnType<typeof createWebhooks>;
