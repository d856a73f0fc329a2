// The client dialect contract: one suite every dialect runs, with readers written from the client's side of its
// wire format (how a client of that dialect reads answers, streams and errors), independent of the encoders.
import { describe, expect, test } from "bun:test";
import type { ClientDialect, UpstreamStreamFormat } from "../../src/core/dialect.ts";
import { GatewayError } from "../../src/core/errors.ts";
import type { ChatCompletion, ChatCompletionChunk, StreamTranslator } from "../../src/plugins/sdk.ts";

/** An error as the client reads it from the dialect's error shape; throws when the body is not in that shape. */
export interface ReadError {
  message: string;
  code: string;
  param: string | null;
  /** Further fields of the error (approval_id, attempts), as the client sees them. */
  fields: Record<string, unknown>;
}

/** What a client reads from a stream's bytes: the text of each content delta, whether it ended, its error. */
export interface ReadStream {
  texts: string[];
  finishReasons: string[];
  ended: boolean;
  error?: ReadError;
}

export interface DialectSetup {
  dialect: ClientDialect;
  /** A request in the client's wire format and the internal body it stands for. */
  requests: { wire: Record<string, unknown>; internal: Record<string, unknown> }[];
  /** Requests the dialect refuses, and the field its error names. */
  refused: { wire: unknown; param: string | null }[];
  /** A wire request carrying keyway's fields: byok_api_key, provider, routing (the values given). */
  withKeywayFields(fields: { byok_api_key: string; provider: string; routing: Record<string, unknown> }): Record<string, unknown>;
  /** The client's reading of a JSON answer: its text, token counts, and keyway's additions (cost in USD, byok). */
  readAnswer(body: unknown): { text: string; promptTokens: number; completionTokens: number; costUsd: number; byok: boolean };
  readStream(bytes: string): ReadStream;
  readError(body: unknown): ReadError;
  /** The upstream stream formats that are the dialect's own (their bytes pass through untouched). */
  ownStreamFormats: UpstreamStreamFormat[];
  /**
   * For each own format, how a relay reads that format as chunks: encoded chunks must read back the same, so a
   * stream passed through byte for byte is what the dialect would have encoded.
   */
  readOwnFormat?: Partial<Record<"openai-sse", (bytes: string) => ChatCompletionChunk[]>>;
}

const completion: ChatCompletion = {
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1,
  model: "gpt-4o",
  choices: [{ index: 0, message: { role: "assistant", content: "Hello there" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
};

function chunk(content: string, finish: ChatCompletionChunk["choices"][number]["finish_reason"] = null): ChatCompletionChunk {
  return { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-4o", choices: [{ index: 0, delta: { content }, finish_reason: finish }] };
}

const text = (bytes: Uint8Array[]) => bytes.map((b) => new TextDecoder().decode(b)).join("");

const errors: GatewayError[] = [
  new GatewayError("invalid_request", "'messages' must have at least 1 item.", { param: "messages" }),
  new GatewayError("budget_exceeded", "Team core has reached its daily budget."),
  new GatewayError("approval_required", "This request needs an approval.", { extra: { approval_id: "apr_1" } }),
  new GatewayError("upstream_error", "Every attempt failed.", {
    attempts: [{ provider: "openai", model: "gpt-4o", key_source: "platform", status: 500, reason: "server error" }],
  }),
  new GatewayError("rate_limited", "Slow down.", { retryAfterSeconds: 3 }),
];

/** The bytes a fresh stream encoder of the dialect writes for these chunks, then the end or the failure. */
function encodeStream(dialect: ClientDialect, chunks: ChatCompletionChunk[], failure?: GatewayError): string {
  const encoder = dialect.streamEncoder({ request: { model: "gpt-4o", messages: [{ role: "user", content: "Hi" }] }, includeUsage: false });
  const bytes = chunks.map((c) => encoder.chunk(c) ?? new Uint8Array());
  return text([...bytes, failure ? encoder.error(failure) : encoder.end()]);
}

const aTranslator: StreamTranslator = { start: () => undefined, translate: () => [], finish: () => [] };

export function dialectContract(setup: DialectSetup): void {
  const { dialect } = setup;
  describe(`dialect contract: ${dialect.name}`, () => {
    test("decode turns each wire request into its internal body, for the dialect's endpoint", () => {
      for (const { wire, internal } of setup.requests) {
        // The client's own body (`native`), when the dialect keeps one, is each dialect's own test's to check.
        const { endpoint, body } = dialect.decode(structuredClone(wire), new Headers());
        expect({ endpoint, body }).toEqual({ endpoint: dialect.endpoint, body: internal });
      }
    });

    test("decode refuses bad bodies with invalid_request naming the field, readable in the dialect's error shape", () => {
      for (const { wire, param } of setup.refused) {
        let thrown: unknown;
        try {
          dialect.decode(structuredClone(wire), new Headers());
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(GatewayError);
        const error = thrown as GatewayError;
        expect([error.code, error.param]).toEqual(["invalid_request", param]);
        const encoded = dialect.encodeError(error);
        expect(encoded.status).toBe(400);
        expect(setup.readError(encoded.body)).toMatchObject({ code: "invalid_request", param, message: error.message });
      }
    });

    test("keyway's fields survive decoding under their own names, for the read stage to split off", () => {
      const fields = { byok_api_key: "sk-caller-key-000000000000", provider: "openai", routing: { strategy: "cost" } };
      const { body } = dialect.decode(setup.withKeywayFields(structuredClone(fields)), new Headers());
      expect({ byok_api_key: body.byok_api_key, provider: body.provider, routing: body.routing }).toEqual(fields);
    });

    test("an internal answer reads back with its text, tokens, the charge in USD and whose key answered", () => {
      for (const byok of [true, false]) {
        const body = dialect.encodeAnswer(structuredClone(completion) as unknown as Record<string, unknown>, { chargedMicros: 1_234, byok });
        const read = setup.readAnswer(JSON.parse(JSON.stringify(body)));
        expect(read).toEqual({ text: "Hello there", promptTokens: 12, completionTokens: 3, costUsd: 0.001234, byok });
      }
    });

    test("stream chunks, the end and a failure read back in order", () => {
      const ok = setup.readStream(encodeStream(dialect, [chunk("Hel"), chunk("lo", "stop")]));
      expect(ok).toEqual({ texts: ["Hel", "lo"], finishReasons: ["stop"], ended: true });
      const cut = new GatewayError("insufficient_credits", "This answer was stopped: the credits ran out.");
      const failed = setup.readStream(encodeStream(dialect, [chunk("Hel")], cut));
      expect(failed.texts).toEqual(["Hel"]);
      expect(failed.ended).toBe(false);
      expect(failed.error).toMatchObject({ code: "insufficient_credits", message: cut.message });
    });

    test("every error keeps its status and reads back with its code, message, param and further fields", () => {
      for (const error of errors) {
        const encoded = dialect.encodeError(error);
        expect(encoded.status).toBe(error.status);
        const read = setup.readError(JSON.parse(JSON.stringify(encoded.body)));
        expect({ code: read.code, message: read.message, param: read.param }).toEqual({ code: error.code, message: error.message, param: error.param });
        if (error.extra) expect(read.fields).toMatchObject(error.extra);
        if (error.attempts) expect(read.fields.attempts).toEqual(error.attempts);
      }
    });

    test("its own stream formats pass through; a translated upstream does not", () => {
      for (const format of setup.ownStreamFormats) expect(dialect.passesThrough(format)).toBe(true);
      expect(dialect.passesThrough(aTranslator)).toBe(false);
    });

    test("what it encodes is its own format: encoded chunks read back unchanged as an upstream stream of that format", () => {
      for (const format of setup.ownStreamFormats) {
        if (typeof format !== "string") continue;
        const read = setup.readOwnFormat?.[format];
        expect(read).toBeDefined();
        const chunks = [chunk("Hel"), chunk("lo", "stop")];
        expect(read?.(encodeStream(dialect, chunks))).toEqual(chunks);
      }
    });
  });
}
