// A real SMTP server for tests (smtp-server): plain text on 127.0.0.1, no TLS, no login; keeps each message whole
// (envelope and raw text) so tests can read what keyway sent. Can refuse the first messages to exercise retries.
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

export interface SmtpSink {
  port: number;
  mails: ReceivedMail[];
  /** Refuse (451) the next `n` messages. */
  refuseNext(n: number): void;
  stop(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  let refuse = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (refuse > 0) {
          refuse--;
          const error = Object.assign(new Error("try again later"), { responseCode: 451 });
          callback(error);
          return;
        }
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    port,
    mails,
    refuseNext(n) {
      refuse = n;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The decoded Subject header of a raw message (RFC 2047 encoded words included). */
export function subjectOf(raw: string): string {
  const header = raw.split(/\r?\n\r?\n/)[0] ?? "";
  const unfolded = header.replace(/\r?\n[ \t]+/g, " ");
  const line = unfolded.split(/\r?\n/).find((l) => /^subject:/i.test(l)) ?? "";
  return line
    .replace(/^subject:\s*/i, "")
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_, enc: string, text: string) =>
      enc.toLowerCase() === "b" ? Buffer.from(text, "base64").toString("utf8") : text.replace(/_/g, " ").replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
    );
}

/** The body of a raw message, quoted-printable soft breaks and escapes undone. */
export function bodyOf(raw: string): string {
  const body = raw.split(/\r?\n\r?\n/).slice(1).join("\n\n");
  return /content-transfer-encoding:\s*quoted-printable/i.test(raw)
    ? body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)))
    : body;
}
