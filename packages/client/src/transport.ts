// HTTP to keyway over `fetch`: the key, JSON bodies, a timeout per attempt, the caller's abort signal, and retries.
// Retried: GETs (idempotent) on 408, 429, 500, 502, 503, 504, a timeout or a connection failure, waiting what
// Retry-After says (up to maxRetryDelayMs; longer, the error is thrown at once) or a short exponential backoff.
// POSTs (inference, which may cost money) are retried only when the connection was refused before anything was
// sent; any answer, a timeout or a connection lost mid-request is thrown as it is.
import { AbortError, ConnectionError, KeywayError, TimeoutError, errorFromAnswer } from "./errors.ts";

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface TransportSettings {
  apiKey: string;
  /** keyway's root URL, without a trailing slash or /v1. */
  baseURL: string;
  maxRetries: number;
  timeoutMs: number;
  maxRetryDelayMs: number;
  fetch: FetchLike;
  defaultHeaders: Record<string, string>;
}

export interface RequestSpec {
  method: "GET" | "POST";
  /** The path under the root, with its leading slash: `/v1/chat/completions`. */
  path: string;
  query?: Record<string, string | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string | undefined>;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
  /** The answer is a stream: the timeout ends with the response headers, the caller's signal does not. */
  stream?: boolean;
}

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
/** Error codes (Node's undici, Bun) of failures that happen before a byte of the request is sent. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ConnectionRefused", "ENOTFOUND", "EAI_AGAIN", "FailedToOpenSocket"]);

function errorCodes(error: unknown): unknown[] {
  const outer = error as { code?: unknown; cause?: { code?: unknown } } | null;
  return [outer?.code, outer?.cause?.code];
}

/** True when the failure certainly happened before the request left: safe to repeat even a POST. */
export function refusedBeforeSending(error: unknown): boolean {
  return errorCodes(error).some((code) => typeof code === "string" && NOT_SENT_CODES.has(code));
}

function backoffMs(retry: number): number {
  const base = Math.min(500 * 2 ** retry, 8000);
  return base * (0.75 + Math.random() * 0.25);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function abortError(signal: AbortSignal | undefined): AbortError {
  return new AbortError("The call was aborted by its signal.", { code: "aborted", status: null, cause: signal?.reason });
}

/** One attempt's abort: the caller's signal or the timeout, whichever comes first; `clear` stops the timer. */
function attemptSignal(timeoutMs: number, outer: AbortSignal | undefined) {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(outer?.reason);
  outer?.addEventListener("abort", onAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error("timeout"));
  }, timeoutMs);
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    clear: () => clearTimeout(timer),
    /** Stops following the caller's signal (once the answer is fully read). */
    release: () => outer?.removeEventListener("abort", onAbort),
  };
}

export class Transport {
  constructor(readonly settings: TransportSettings) {}

  url(path: string, query: Record<string, string | undefined> = {}): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, value);
    const search = params.toString();
    return `${this.settings.baseURL}${path}${search ? `?${search}` : ""}`;
  }

  private headersFor(spec: RequestSpec): Record<string, string> {
    const headers: Record<string, string> = { accept: "application/json, text/event-stream, */*", ...this.settings.defaultHeaders };
    headers.authorization = `Bearer ${this.settings.apiKey}`;
    if (spec.body !== undefined) headers["content-type"] = "application/json";
    for (const [name, value] of Object.entries(spec.headers ?? {})) if (value !== undefined) headers[name.toLowerCase()] = value;
    return headers;
  }

  /**
   * Sends the request (retrying as the file's header says) and hands a successful answer to `read` while the
   * attempt's timeout still runs: `read` reads the whole body, or (streams) returns at once and the body is read
   * later under the caller's signal only. An unsuccessful answer becomes a KeywayError.
   */
  async send<T>(spec: RequestSpec, read: (response: Response) => Promise<T>): Promise<T> {
    const maxRetries = spec.maxRetries ?? this.settings.maxRetries;
    const timeoutMs = spec.timeoutMs ?? this.settings.timeoutMs;
    const idempotent = spec.method === "GET";
    const url = this.url(spec.path, spec.query);
    const init: RequestInit = { method: spec.method, headers: this.headersFor(spec) };
    if (spec.body !== undefined) init.body = JSON.stringify(spec.body);
    for (let retry = 0; ; retry++) {
      if (spec.signal?.aborted) throw abortError(spec.signal);
      const attempt = attemptSignal(timeoutMs, spec.signal);
      let failure: KeywayError;
      let retryable: boolean;
      let waitMs: number | undefined;
      try {
        const response = await this.settings.fetch(url, { ...init, signal: attempt.signal });
        if (response.ok) {
          const result = await read(response);
          // A stream goes on reading its body: the caller's signal still aborts it.
          if (!spec.stream) attempt.release();
          return result;
        }
        failure = errorFromAnswer(response.status, response.headers, await response.text());
        retryable = idempotent && RETRYABLE_STATUS.has(response.status);
        if (failure.retryAfter !== null) {
          waitMs = failure.retryAfter * 1000;
          if (waitMs > this.settings.maxRetryDelayMs) retryable = false;
        }
      } catch (error) {
        if (error instanceof KeywayError || spec.signal?.aborted) attempt.release();
        if (error instanceof KeywayError) throw error;
        if (spec.signal?.aborted) throw abortError(spec.signal);
        if (attempt.timedOut()) {
          failure = new TimeoutError(`keyway did not answer within ${timeoutMs} ms.`, { code: "timeout", status: null, cause: error });
          retryable = idempotent;
        } else {
          const reason = error instanceof Error ? error.message : String(error);
          failure = new ConnectionError(`Could not reach keyway at ${this.settings.baseURL}: ${reason}`, { code: "connection_error", status: null, cause: error });
          retryable = idempotent || refusedBeforeSending(error);
        }
      } finally {
        attempt.clear();
      }
      attempt.release();
      if (!retryable || retry >= maxRetries) throw failure;
      await sleep(waitMs ?? backoffMs(retry), spec.signal);
    }
  }

  /** The JSON answer with its response. */
  json<T>(spec: RequestSpec): Promise<{ body: T; response: Response }> {
    return this.send(spec, async (response) => {
      const text = await response.text();
      try {
        return { body: JSON.parse(text) as T, response };
      } catch {
        throw new KeywayError(`keyway answered ${response.status} with a body that is not JSON: ${text.trim().slice(0, 200)}`, {
          code: "invalid_answer",
          status: response.status,
          requestId: response.headers.get("x-request-id"),
          headers: response.headers,
        });
      }
    });
  }
}
