// A streamed answer: keyway's SSE chunks as an async iterator of mapped chunks, with the response headers' facts
// known before the first chunk. `[DONE]` ends it; an `{"error": ...}` event is thrown as a KeywayError, and so is an
// end without `[DONE]` (the connection lost); leaving the loop early cancels the connection (keyway then aborts the
// upstream request).
import { AbortError, ConnectionError, KeywayError, errorFromStreamEvent, isWireError } from "./errors.ts";
import { type ResponseMeta, metaFrom } from "./meta.ts";
import type { Usage } from "./options.ts";
import { serverSentEvents } from "./sse.ts";

/** What every chunk says: its text, and on the last ones the finish reason and the usage. */
export interface StreamChunkBase {
  text: string;
  finishReason: string | null;
  usage: Usage | null;
}

export class KeywayStream<Chunk extends StreamChunkBase> implements AsyncIterable<Chunk>, ResponseMeta {
  readonly providerUsed: string | null;
  readonly byokUsed: boolean | null;
  readonly attempts: number | null;
  readonly requestId: string | null;
  /** Set from the usage chunk, once it has come. */
  costUsd: number | null = null;
  readonly droppedParams: string[];
  readonly rateLimit: ResponseMeta["rateLimit"];
  readonly status: number;
  readonly headers: Headers;
  /** The usage chunk's figures, once it has come (keyway asks for it unless includeUsage is false). */
  usage: Usage | null = null;
  /** The last finish reason seen. */
  finishReason: string | null = null;
  private consumed = false;

  constructor(
    private readonly response: Response,
    private readonly toChunk: (data: unknown) => Chunk | undefined,
  ) {
    const meta = metaFrom(response);
    this.providerUsed = meta.providerUsed;
    this.byokUsed = meta.byokUsed;
    this.attempts = meta.attempts;
    this.requestId = meta.requestId;
    this.droppedParams = meta.droppedParams;
    this.rateLimit = meta.rateLimit;
    this.status = meta.status;
    this.headers = meta.headers;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Chunk> {
    if (this.consumed) throw new KeywayError("This stream has already been read; a stream can be read once.", { code: "stream_consumed", status: null });
    this.consumed = true;
    const body = this.response.body;
    if (!body) return;
    for await (const event of this.events(body)) {
      if (event.data === "[DONE]") return;
      let data: unknown;
      try {
        data = JSON.parse(event.data);
      } catch {
        throw new KeywayError(`keyway sent a stream event that is not JSON: ${event.data.slice(0, 200)}`, { code: "invalid_answer", status: null, requestId: this.requestId });
      }
      if (isWireError(data)) throw errorFromStreamEvent(data, this.requestId);
      const chunk = this.toChunk(data);
      if (!chunk) continue;
      if (chunk.finishReason !== null) this.finishReason = chunk.finishReason;
      if (chunk.usage) {
        this.usage = chunk.usage;
        this.costUsd = chunk.usage.costUsd;
      }
      yield chunk;
    }
    throw new ConnectionError("The stream ended before keyway finished it: the connection was lost.", { code: "stream_incomplete", status: null, requestId: this.requestId });
  }

  /** The body's events; a failure to read it (connection lost, the caller's signal) as a KeywayError. */
  private async *events(body: ReadableStream<Uint8Array>) {
    try {
      yield* serverSentEvents(body);
    } catch (error) {
      if (error instanceof KeywayError) throw error;
      if ((error as { name?: unknown } | null)?.name === "AbortError") {
        throw new AbortError("The stream was aborted by its signal.", { code: "aborted", status: null, requestId: this.requestId, cause: error });
      }
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConnectionError(`The stream broke off: ${reason}`, { code: "stream_incomplete", status: null, requestId: this.requestId, cause: error });
    }
  }

  /** Reads the whole stream and returns its text. */
  async text(): Promise<string> {
    let text = "";
    for await (const chunk of this) text += chunk.text;
    return text;
  }

  /** Stops reading: the connection is cancelled, keyway aborts the upstream request. */
  async cancel(): Promise<void> {
    this.consumed = true;
    await this.response.body?.cancel().catch(() => undefined);
  }
}
