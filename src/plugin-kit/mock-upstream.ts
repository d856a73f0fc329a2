// A minimal mock upstream for testing a provider plugin: a local HTTP server that records every request, answers
// through the author's handler, and renders the contract's failures (a refused key, a rate limit, a server error,
// a dropped stream) the way the provider would.
import type { ContractFailure, ContractMock, RecordedCall } from "./contract-cases.ts";

export interface MockUpstreamOptions {
  /**
   * Answers one request. `failure` is the failure queued for it that the helper does not render itself (a
   * `disconnect`: stream a few frames with `streamFrames(..., { dropAfter: failure.afterChunks })`).
   */
  handle(call: RecordedCall, request: Request, failure?: ContractFailure): Response | Promise<Response>;
  /**
   * How the provider answers a refused key, a rate limit or a server error. Default: `{"error": {"message": ...}}`
   * with 401, 429 (and Retry-After) or 503.
   */
  renderFailure?(failure: Exclude<ContractFailure, { kind: "disconnect" }>): Response;
  /** A path the base URL ends with (`/v1`). Default none. */
  basePath?: string;
}

function defaultFailure(failure: Exclude<ContractFailure, { kind: "disconnect" }>): Response {
  if (failure.kind === "auth") return Response.json({ error: { message: "invalid api key" } }, { status: 401 });
  if (failure.kind === "rate_limit") return Response.json({ error: { message: "rate limited" } }, { status: 429, headers: { "retry-after": failure.retryAfter } });
  return Response.json({ error: { message: "overloaded" } }, { status: 503 });
}

async function record(request: Request): Promise<RecordedCall> {
  const url = new URL(request.url);
  const text = request.method === "POST" ? await request.text() : "";
  let body: Record<string, unknown> | undefined;
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    body = { text };
  }
  return { method: request.method, path: url.pathname, search: url.search, headers: Object.fromEntries(request.headers), body, aborted: false };
}

/** Starts a mock upstream on a free local port. */
export function mockUpstream(options: MockUpstreamOptions): ContractMock {
  const calls: RecordedCall[] = [];
  const failures: ContractFailure[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 60,
    async fetch(request) {
      const call = await record(request);
      calls.push(call);
      request.signal.addEventListener("abort", () => {
        call.aborted = true;
      });
      const failure = failures.shift();
      if (failure && failure.kind !== "disconnect") return (options.renderFailure ?? defaultFailure)(failure);
      return options.handle(call, request, failure);
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}${options.basePath ?? ""}`,
    calls,
    failNext: (failure) => void failures.push(failure),
    stop: async () => {
      await server.stop(true);
    },
  };
}

export interface StreamFramesOptions {
  /** Default `text/event-stream`. */
  contentType?: string;
  /** Drop the connection once this many frames were sent (a `disconnect` failure). */
  dropAfter?: number;
  /** Go silent once this many frames were sent (a stalled upstream). */
  hangAfter?: number;
  /** Milliseconds between frames. */
  intervalMs?: number;
  /** Told when the client goes away before the end. */
  onCancel?(): void;
}

const encoder = new TextEncoder();

/** A streamed answer of pre-rendered frames (SSE events `data: ...\n\n`, or NDJSON lines), one per pull. */
export function streamFrames(frames: readonly string[], options: StreamFramesOptions = {}): Response {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent === options.dropAfter) {
        await Bun.sleep(30); // let the frames already sent reach the client first
        controller.error(new Error("mock upstream dropped the connection"));
        return;
      }
      if (sent === options.hangAfter) {
        await Bun.sleep(60_000);
        return;
      }
      if (options.intervalMs && sent > 0) await Bun.sleep(options.intervalMs);
      const frame = frames[sent];
      sent++;
      if (frame === undefined) controller.close();
      else controller.enqueue(encoder.encode(frame));
    },
    cancel() {
      options.onCancel?.();
    },
  });
  return new Response(stream, { headers: { "content-type": options.contentType ?? "text/event-stream", "cache-control": "no-cache" } });
}
