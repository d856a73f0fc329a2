// Alert e-mail over a real SMTP server started here: the message arrives with its sender, recipient, subject and
// text; a refused message is retried with backoff and every attempt reported; an unreachable server gives up.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createMailer, type MailAttempt } from "../../src/notify/email.ts";
import { isEmailAddress } from "../../src/notify/email-address.ts";
import { createLogger } from "../../src/telemetry/logger.ts";
import { bodyOf, type SmtpSink, startSmtpSink, subjectOf } from "./smtp-sink.ts";

let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink.stop();
});

const logger = createLogger("error", () => {});
const smtp = () => ({ host: "127.0.0.1", port: sink.port, secure: false, from: "keyway <alerts@keyway.test>" });

describe("alert e-mail", () => {
  test("delivered: envelope, subject and text as sent; one attempt reported", async () => {
    const mailer = createMailer({ smtp: smtp(), logger, attempts: 2, backoffMs: 5 });
    const attempts: MailAttempt[] = [];
    mailer.send(["ops@example.com"], { subject: "[keyway] BYOK cost reached $12.50 (threshold $10.00, daily)", text: "observed_usd: 12.5\n" }, (a) => {
      attempts.push(a);
    });
    await mailer.settle();
    mailer.close();
    const mail = sink.mails.at(-1);
    expect(mail?.from).toBe("alerts@keyway.test");
    expect(mail?.to).toEqual(["ops@example.com"]);
    expect(subjectOf(mail?.raw ?? "")).toBe("[keyway] BYOK cost reached $12.50 (threshold $10.00, daily)");
    expect(bodyOf(mail?.raw ?? "")).toContain("observed_usd: 12.5");
    expect(attempts.map((a) => [a.to, a.attempt, a.outcome, a.final])).toEqual([["ops@example.com", 1, "delivered", true]]);
  });

  test("refused twice (451), then delivered: three attempts reported in order", async () => {
    const mailer = createMailer({ smtp: smtp(), logger, attempts: 3, backoffMs: 5 });
    const attempts: MailAttempt[] = [];
    const before = sink.mails.length;
    sink.refuseNext(2);
    mailer.send(["retry@example.com"], { subject: "s", text: "t" }, (a) => {
      attempts.push(a);
    });
    await mailer.settle();
    mailer.close();
    expect(attempts.map((a) => [a.attempt, a.outcome, a.final])).toEqual([[1, "failed", false], [2, "failed", false], [3, "delivered", true]]);
    expect(attempts[0]?.detail).toContain("451");
    expect(sink.mails.length).toBe(before + 1);
  });

  test("no server: every attempt fails, the last one final", async () => {
    const closed = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
    const port = closed.port as number;
    closed.stop(true);
    const mailer = createMailer({ smtp: { ...smtp(), port }, logger, attempts: 2, backoffMs: 5, timeoutMs: 1000 });
    const attempts: MailAttempt[] = [];
    mailer.send(["nobody@example.com"], { subject: "s", text: "t" }, (a) => {
      attempts.push(a);
    });
    await mailer.settle();
    mailer.close();
    expect(attempts.map((a) => [a.attempt, a.outcome, a.final])).toEqual([[1, "failed", false], [2, "failed", true]]);
  });

  test("addresses: plain local@domain only", () => {
    for (const good of ["ops@example.com", "first.last+tag@sub.example.co.uk", "x_y@a-b.io"]) expect(isEmailAddress(good), good).toBe(true);
    for (const bad of ["ops", "ops@localhost", "ops@@example.com", ".ops@example.com", "ops.@example.com", "o ps@example.com", "<ops@example.com>", "ops@example.com, b@example.com", `${"a".repeat(65)}@example.com`]) {
      expect(isEmailAddress(bad), bad).toBe(false);
    }
  });
});
