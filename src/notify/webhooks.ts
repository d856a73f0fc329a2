// Webhook deliveries: a JSON POST signed as Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature over
// id, timestamp and body), sent only to public addresses unless allowed, redirects not followed, retried with backoff.
import { Webhook } from "standardwebhooks";
import { invalidRequest } from "../core/errors.ts";
import type { Logger } from "../telemetry/logger.ts";
import { privateTarget, privateTargetReason } from "./webhook-target.ts";

export interface WebhookEvent {
  type: string;
  [field: string]: unknown;
}

/** What one delivery attempt came to, for callers that keep a record (alert events); rotation webhooks only log. */
export interface WebhookAttempt {
  url: string;
  /** 1 for the first try. */
  attempt: number;
  /** delivered: a 2xx; failed: another status or no answer (retried while attempts remain); blocked: a private address (not retried). */
  outcome: "delivered" | "failed" | "blocked";
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  /** Why it failed or was blocked, in words. */
  detail?: string;
  /** No further attempt follows (delivered, blocked, or the last one). */
  final: boolean;
  at: number;
}

export type AttemptObserver = (attempt: WebhookAttempt) => void | Promise<void>;

export interface WebhookOptions {
  secret: string | undefined;
  /** Send to loopback, link-local and private addresses too (security.webhook_allow_private_networks). */
  allowPrivateNetworks?: boolean;
  logger: Logger;
  /** Attempts per URL (first try included). */
  attempts?: number;
  /** First backoff in ms; doubles each retry. */
  backoffMs?: number;
  timeoutMs?: number;
}

/**
 * A `whsec_` secret is used as Standard Webhooks defines it (base64 after the prefix). Any other string is the
 * HMAC key as its UTF-8 bytes, so a receiver verifies with `whsec_` followed by the base64 of that string.
 */
export function webhookSigner(secret: string): Webhook {
  return secret.startsWith("whsec_") ? new Webhook(secret) : new Webhook(new TextEncoder().encode(secret), { format: "raw" });
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
  const signer = options.secret ? webhookSigner(options.secret) : undefined;
  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>): void => {
    const task = work.finally(() => inFlight.delete(task));
    inFlight.add(task);
  };

  /** Why this URL may not be sent to now, or undefined. Throws when its host does not resolve. */
  async function refusal(url: string): Promise<string | undefined> {
    if (options.allowPrivateNetworks) return undefined;
    const found = await privateTarget(url);
    return found && privateTargetReason(url, found);
  }

  /** Hands an attempt's outcome to the caller's observer; an observer that throws is logged, never fatal. */
  async function report(observe: AttemptObserver | undefined, attempt: Omit<WebhookAttempt, "at">): Promise<void> {
    if (!observe) return;
    try {
      await observe({ ...attempt, at: Date.now() });
    } catch (error) {
      options.logger.error("webhook attempt not recorded", { url: attempt.url, error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Refuses (400 naming `param`) a URL whose host does not resolve or leads into a private network. */
  async function acceptTarget(url: string, param: string): Promise<void> {
    let refused: string | undefined;
    try {
      refused = await refusal(url);
    } catch (error) {
      throw invalidRequest(`'${url}': its host does not resolve (${error instanceof Error ? error.message : String(error)}).`, param);
    }
    if (refused) throw invalidRequest(`${refused}.`, param);
  }

  async function deliverOne(url: string, body: string, event: WebhookEvent, id: string, sign: Webhook, observe?: AttemptObserver): Promise<void> {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const final = attempt === attempts;
      try {
        const refused = await refusal(url);
        if (refused) {
          options.logger.warn("webhook not sent", { url, event: event.type, reason: refused });
          await report(observe, { url, attempt, outcome: "blocked", detail: refused, final: true });
          return;
        }
        const now = new Date();
        const headers = {
          "content-type": "application/json",
          "user-agent": "keyway-webhooks",
          "x-keyway-event": event.type,
          "webhook-id": id,
          "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
          "webhook-signature": sign.sign(id, now, body),
        };
        const response = await fetch(url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(timeout) });
        await response.body?.cancel();
        if (response.ok) {
          await report(observe, { url, attempt, outcome: "delivered", status: response.status, final: true });
          return;
        }
        options.logger.warn("webhook refused", { url, status: response.status, attempt, event: event.type });
        await report(observe, { url, attempt, outcome: "failed", status: response.status, detail: `HTTP ${response.status}`, final });
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        options.logger.warn("webhook unreachable", { url, attempt, event: event.type, error: detail });
        await report(observe, { url, attempt, outcome: "failed", detail, final });
      }
      if (attempt < attempts) await Bun.sleep(backoff * 2 ** (attempt - 1));
    }
    options.logger.error("webhook gave up", { url, attempts, event: event.type });
  }

  return {
    /**
     * Checks webhook URLs where they are configured, before anything changes: http(s) only, a secret to sign with,
     * and every address of every host public (unless private networks are allowed). Answers 400 naming the entry.
     */
    async accept(urls: unknown, param = "notification_webhooks"): Promise<string[]> {
      const checked = checkWebhookUrls(urls, param);
      if (checked.length > 0 && !signer) {
        throw invalidRequest("Webhooks are signed with security.webhook_secret, which is not set on this gateway.", param);
      }
      for (const [index, url] of checked.entries()) await acceptTarget(url, `${param}[${index}]`);
      return checked;
    },
    /** accept() for one URL already known to be http(s), named by `param` in a 400. */
    acceptOne: (url: string, param: string): Promise<void> => {
      if (!signer) throw invalidRequest("Webhooks are signed with security.webhook_secret, which is not set on this gateway.", param);
      return acceptTarget(url, param);
    },
    /** Sends in the background; the caller does not wait. `observe` hears each attempt's outcome (settle() waits for it too). */
    send(urls: string[], event: WebhookEvent, observe?: AttemptObserver): void {
      if (urls.length === 0) return;
      if (!signer) {
        options.logger.error("webhook not sent: security.webhook_secret is not set", { event: event.type, urls: urls.length });
        for (const url of urls) void track(report(observe, { url, attempt: 1, outcome: "blocked", detail: "security.webhook_secret is not set", final: true }));
        return;
      }
      const body = JSON.stringify({ ...event, sent_at: new Date().toISOString() });
      const id = `msg_${crypto.randomUUID().replaceAll("-", "")}`;
      for (const url of urls) track(deliverOne(url, body, event, id, signer, observe));
    },
    /** Waits for deliveries under way (shutdown, tests). */
    async settle(): Promise<void> {
      await Promise.all([...inFlight]);
    },
  };
}

export type Webhooks = ReturnType<typeof createWebhooks>;
