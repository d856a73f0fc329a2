// Alert e-mail over SMTP (notifications.smtp) through nodemailer: plain-text messages, each recipient tried with
// backoff, every attempt's outcome handed to the caller, deliveries under way awaited on shutdown. nodemailer is
// loaded with the first message (most gateways never send one: it stays out of their memory).
import type { Transporter } from "nodemailer";
import type { KeywayConfig } from "../config/schema.ts";
import type { Logger } from "../telemetry/logger.ts";

export type SmtpSettings = NonNullable<KeywayConfig["notifications"]["smtp"]>;

export interface MailMessage {
  subject: string;
  text: string;
}

/** What one sending attempt came to (same shape as a webhook attempt, with the recipient as target). */
export interface MailAttempt {
  to: string;
  attempt: number;
  outcome: "delivered" | "failed";
  detail?: string;
  final: boolean;
  at: number;
}

export type MailObserver = (attempt: MailAttempt) => void | Promise<void>;

export interface MailerOptions {
  smtp: SmtpSettings;
  logger: Logger;
  /** Attempts per recipient (first try included). Default 5. */
  attempts?: number;
  /** First backoff in ms; doubles each retry. Default 1 s. */
  backoffMs?: number;
  /** Connection, greeting and socket timeouts. Default 10 s. */
  timeoutMs?: number;
}

export function createMailer(options: MailerOptions) {
  const { smtp } = options;
  const attempts = options.attempts ?? 5;
  const backoff = options.backoffMs ?? 1000;
  const timeout = options.timeoutMs ?? 10_000;
  let transport: Promise<Transporter> | undefined;
  let opened: Transporter | undefined;
  const transportOf = () =>
    (transport ??= import("nodemailer").then(({ createTransport }) => {
      opened = createTransport({
        host: smtp.host,
        port: smtp.port,
        secure: smtp.secure,
        auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? "" } : undefined,
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout,
      });
      return opened;
    }));
  const inFlight = new Set<Promise<void>>();

  async function report(observe: MailObserver | undefined, attempt: Omit<MailAttempt, "at">): Promise<void> {
    if (!observe) return;
    try {
      await observe({ ...attempt, at: Date.now() });
    } catch (error) {
      options.logger.error("e-mail attempt not recorded", { to: attempt.to, error: error instanceof Error ? error.message : String(error) });
    }
  }

  async function deliverOne(to: string, message: MailMessage, observe?: MailObserver): Promise<void> {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const final = attempt === attempts;
      try {
        await (await transportOf()).sendMail({ from: smtp.from, to, subject: message.subject, text: message.text });
        await report(observe, { to, attempt, outcome: "delivered", final: true });
        return;
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        options.logger.warn("e-mail not sent", { to, attempt, error: detail });
        await report(observe, { to, attempt, outcome: "failed", detail, final });
      }
      if (!final) await Bun.sleep(backoff * 2 ** (attempt - 1));
    }
    options.logger.error("e-mail gave up", { to, attempts });
  }

  return {
    /** Sends to each recipient in the background; the caller does not wait. */
    send(recipients: string[], message: MailMessage, observe?: MailObserver): void {
      for (const to of recipients) {
        const task = deliverOne(to, message, observe).finally(() => inFlight.delete(task));
        inFlight.add(task);
      }
    },
    /** Waits for deliveries under way (shutdown, tests). */
    async settle(): Promise<void> {
      await Promise.all([...inFlight]);
    },
    close(): void {
      opened?.close();
    },
  };
}

export type Mailer = ReturnType<typeof createMailer>;
