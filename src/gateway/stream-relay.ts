// Relays an upstream stream to the client in the call's dialect: untouched bytes when the upstream's format is the
// dialect's own (OpenAI SSE to an OpenAI client, a native format to its provider), else chunks (translated, or parsed
// from OpenAI SSE) encoded by the dialect's stream encoder. Usage is read on the way; failures end the stream with
// the dialect's error event.
import type { StreamEncoder, UpstreamStreamFormat } from "../core/dialect.ts";
import { GatewayError } from "../core/errors.ts";
import type { ChatCompletionChunk, NativeEndpoint, StreamEvent, StreamTranslator } from "../plugins/sdk.ts";
import { redactSecrets } from "../telemetry/redact.ts";
import { openAISseEvents } from "./openai-sse-events.ts";
import { passthroughScanner } from "./passthrough-scanner.ts";
import type { RelayOptions, StreamOutcome } from "./relay-outcome.ts";
import { ndjsonParser, sseParser } from "./sse.ts";

export type { RelayOptions, StreamOutcome } from "./relay-outcome.ts";

const encoder = new TextEncoder();

/** What a chunk tells about the stream so far: usage, model, finish reasons, one more relayed chunk. */
function noteChunk(chunk: ChatCompletionChunk, outcome: StreamOutcome): void {
  if (chunk.usage) outcome.usage = chunk.usage;
  outcome.model ??= chunk.model;
  outcome.id ??= chunk.id;
  for (const choice of chunk.choices) if (choice.finish_reason) outcome.finishReasons.push(choice.finish_reason);
  if (chunk.choices.length > 0) outcome.chunks++;
}

/** A read whose events were translated only in part: the bytes of the chunks made before the failure, and why. */
class PartlyTranslated extends Error {
  constructor(
    readonly translated: Uint8Array | undefined,
    readonly reason: unknown,
  ) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

function translatedScanner(translator: StreamTranslator, encoder: StreamEncoder, options: RelayOptions, outcome: StreamOutcome) {
  const decoder = new TextDecoder();
  const parser = translator.framing === "ndjson" ? ndjsonParser() : sseParser();
  const state = translator.start(options.ctx, options.request);
  const serialize = (chunks: ChatCompletionChunk[]): Uint8Array | undefined => {
    const out: Uint8Array[] = [];
    for (const chunk of chunks) {
      noteChunk(chunk, outcome);
      const bytes = encoder.chunk(chunk);
      if (bytes && bytes.byteLength > 0) out.push(bytes);
    }
    return out.length <= 1 ? out[0] : Buffer.concat(out);
  };
  /** Each event's chunks; a translator failing partway keeps what the events before it made for the client. */
  const translateAll = (events: StreamEvent[]): ChatCompletionChunk[] => {
    const chunks: ChatCompletionChunk[] = [];
    for (const event of events) {
      try {
        chunks.push(...translator.translate(event, state));
      } catch (error) {
        throw new PartlyTranslated(serialize(chunks), error);
      }
    }
    return chunks;
  };
  return {
    scan: (bytes: Uint8Array) => serialize(translateAll(parser.push(decoder.decode(bytes, { stream: true })))),
    finish: () => serialize([...translateAll(parser.end()), ...translator.finish(state)]),
  };
}

/**
 * A native stream (the client's format is the provider's own): bytes pass through untouched, read on the way by the
 * provider's translator for usage only. A piece holding the stream's last event is held until the call is settled;
 * a piece quoting the attempt's key is redacted (an upstream error event).
 */
function nativeScanner(native: NativeEndpoint, options: RelayOptions, outcome: StreamOutcome) {
  const decoder = new TextDecoder();
  const translator = native.stream;
  const parser = translator.framing === "ndjson" ? ndjsonParser() : sseParser();
  const state = translator.start(options.ctx, options.request);
  let last = false;
  const read = (events: ReturnType<typeof parser.push>) => {
    for (const event of events) {
      if (native.isLast(event)) last = true;
      for (const chunk of translator.translate(event, state)) noteChunk(chunk, outcome);
    }
  };
  return {
    /** The piece to send (redacted when it quotes the key), and whether it holds the last event. */
    scan(bytes: Uint8Array): { out: Uint8Array; last: boolean } {
      const text = decoder.decode(bytes, { stream: true });
      read(parser.push(text));
      const out = text.includes(options.ctx.apiKey) ? encoder.encode(redactSecrets(text, [options.ctx.apiKey])) : bytes;
      return { out, last };
    },
    finish(): void {
      read(parser.end());
      for (const chunk of translator.finish(state)) noteChunk(chunk, outcome);
    },
    get complete() {
      return last;
    },
  };
}

/** Where a relay reads from: the upstream's reader, and a first chunk already taken from it, if any. */
export interface StreamSource {
  reader: ReadableStreamDefaultReader<Uint8Array>;
  first?: Uint8Array;
}

/** How the upstream's stream is relayed: in a format the client reads (translated or passed), or natively. */
export type RelayMode = UpstreamStreamFormat | { native: NativeEndpoint };

export function relayStream(source: StreamSource, mode: RelayMode, options: RelayOptions): ReadableStream<Uint8Array> {
  const outcome: StreamOutcome = { finishReasons: [], clientGone: false, chunks: 0 };
  const { reader } = source;
  const { dialect } = options;
  const native = typeof mode === "object" && "native" in mode ? nativeScanner(mode.native, options, outcome) : undefined;
  const request = options.request as unknown as Record<string, unknown>;
  const clientEncoder = dialect.streamEncoder({ request, includeUsage: options.includeUsage, native: native !== undefined });
  let pending = source.first;
  const format = native ? undefined : (mode as UpstreamStreamFormat);
  const passthrough = format === "openai-sse" && dialect.passesThrough(format) ? passthroughScanner(options, outcome) : undefined;
  const translated = native || passthrough || !format ? undefined : translatedScanner(format === "openai-sse" ? openAISseEvents : format, clientEncoder, options, outcome);
  let settled: Promise<void> | undefined;
  let done = false;
  /** Settles the call once; the answer's last bytes are sent only after it (usage durable before the end). */
  const finish = (): Promise<void> => {
    if (!settled) {
      done = true;
      settled = Promise.resolve(options.onDone(outcome)).catch(() => {});
    }
    return settled;
  };
  const fail = async (controller: ReadableStreamDefaultController<Uint8Array>, message: string, cutOff?: GatewayError) => {
    outcome.error = redactSecrets(message, [options.ctx.apiKey]);
    outcome.cutOff = cutOff;
    options.abort.abort();
    reader.cancel().catch(() => {});
    await finish();
    try {
      controller.enqueue(clientEncoder.error(cutOff ?? new GatewayError("upstream_error", `${options.ctx.provider} stream failed: ${outcome.error}`)));
      controller.close();
    } catch {
      // the client is already gone: nothing left to tell it
    }
  };
  type Controller = ReadableStreamDefaultController<Uint8Array>;
  /** The upstream has ended: the rest passed on, the call settled, then the client's stream closed. */
  const end = async (controller: Controller): Promise<true> => {
    if (passthrough) {
      const rest = passthrough.rest();
      if (rest) controller.enqueue(rest);
      if (!passthrough.sawDone && outcome.error === undefined) {
        await fail(controller, "the upstream closed the stream before it was complete");
        return true;
      }
    } else if (translated) {
      const tail = translated.finish();
      if (tail) controller.enqueue(tail);
    } else if (native) {
      native.finish();
      if (!native.complete && outcome.error === undefined) {
        await fail(controller, "the upstream closed the stream before it was complete");
        return true;
      }
    }
    await finish();
    if (translated) controller.enqueue(clientEncoder.end());
    controller.close();
    return true;
  };
  /** Sends `last` once the call is settled (usage durable before the stream's last bytes). */
  const settleThenSend = async (controller: Controller, last: Uint8Array): Promise<true> => {
    await finish();
    controller.enqueue(last);
    return true;
  };
  const failWith = async (controller: Controller, cutOff: GatewayError): Promise<true> => {
    await fail(controller, cutOff.message, cutOff);
    return true;
  };
  /**
   * Handles one upstream read (`ended`: the upstream is done); true when something was enqueued or the stream is
   * over. Synchronous for a read that is passed on (most of them); a promise when it must wait for the settlement or
   * a failure's end.
   */
  const step = (controller: Controller, value: Uint8Array | undefined, ended: boolean): boolean | Promise<true> => {
    if (ended || !value) return end(controller);
    if (native) {
      const { out, last } = native.scan(value);
      const cutOff = last ? undefined : options.cutoff?.(outcome);
      if (cutOff) return failWith(controller, cutOff);
      if (last) return settleThenSend(controller, out);
      controller.enqueue(out);
      return true;
    }
    const out = passthrough ? passthrough.scan(value) : translated?.scan(value);
    const sent = out !== undefined && out.byteLength > 0;
    if (sent) controller.enqueue(out);
    const cutOff = passthrough?.sawDone ? undefined : options.cutoff?.(outcome);
    if (cutOff) return failWith(controller, cutOff);
    const held = passthrough?.takeHeld();
    return held ? settleThenSend(controller, held) : sent;
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        // A pull that enqueues nothing is not called again, so read until something is sent.
        for (;;) {
          let value: Uint8Array | undefined;
          let ended = false;
          if (pending) {
            value = pending;
            pending = undefined;
          } else {
            ({ value, done: ended } = await reader.read());
          }
          const handled = step(controller, value, ended);
          if (handled === true || (handled !== false && (await handled))) return;
        }
      } catch (error) {
        if (done) return;
        // What the upstream sent before it failed still reaches the client, then the failure.
        if (error instanceof PartlyTranslated && error.translated) controller.enqueue(error.translated);
        await fail(controller, error instanceof Error ? error.message : String(error));
      }
    },
    cancel() {
      outcome.clientGone = true;
      options.abort.abort();
      reader.cancel().catch(() => {});
      void finish();
    },
  });
}
