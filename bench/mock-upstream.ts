// The benchmark's upstream: OpenAI chat completions and Anthropic messages on Bun.serve, shaped by the model name.
//
// The model name carries the mode, so every client (direct, proxies, keyway, the peer) reaches the same behaviour:
//   d<ms>   wait this long before answering (fixed latency; default 0)
//   10k     a ~10 KB non-stream body (default ~1.4 KB)
//   c<n>    stream this many content chunks (default 16)
//   i<ms>   this long between stream chunks (default 0)
// e.g. "gpt-mock-d20", "gpt-mock-10k", "gpt-mock-c64-i20", "claude-mock-c64-i20".
// Run alone: `bun bench/mock-upstream.ts [--port N]`; prints {"port":N} once listening.

interface Mode {
  delayMs: number;
  large: boolean;
  chunks: number;
  intervalMs: number;
}

const encoder = new TextEncoder();
const FILLER = "The quick brown fox jumps over the lazy dog while the gateway adds almost nothing. ";
const SMALL_BYTES = 1400;
const LARGE_BYTES = 10_000;

const modes = new Map<string, Mode>();
function modeOf(model: string): Mode {
  let mode = modes.get(model);
  if (mode) return mode;
  mode = { delayMs: 0, large: false, chunks: 16, intervalMs: 0 };
  for (const part of model.split("-")) {
    const match = /^([dci])(\d+)$/.exec(part);
    if (part === "10k") mode.large = true;
    else if (match?.[1] === "d") mode.delayMs = Number(match[2]);
    else if (match?.[1] === "c") mode.chunks = Math.max(1, Number(match[2]));
    else if (match?.[1] === "i") mode.intervalMs = Number(match[2]);
  }
  if (modes.size < 1000) modes.set(model, mode);
  return mode;
}

/** A body of about `bytes` bytes: `render(text)` is called with text grown until the JSON is big enough. */
function padded(bytes: number, render: (text: string) => object): Uint8Array<ArrayBuffer> {
  const base = JSON.stringify(render("")).length;
  const need = Math.max(0, bytes - base);
  const text = FILLER.repeat(Math.ceil(need / FILLER.length)).slice(0, need);
  return encoder.encode(JSON.stringify(render(text)));
}

const openAIUsage = { prompt_tokens: 24, completion_tokens: 180, total_tokens: 204 };
const anthropicUsage = { input_tokens: 24, output_tokens: 180 };

function openAICompletion(model: string, text: string) {
  return {
    id: "chatcmpl-bench000000000000000000000",
    object: "chat.completion",
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: "assistant", content: text, refusal: null }, logprobs: null, finish_reason: "stop" }],
    usage: openAIUsage,
    system_fingerprint: "fp_bench",
  };
}

function anthropicMessage(model: string, text: string) {
  return {
    id: "msg_bench0000000000000000000",
    type: "message",
    role: "assistant",
    model,
    content: [{ type: "text", text }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: anthropicUsage,
  };
}

const bodies = new Map<string, Uint8Array<ArrayBuffer>>();
function cachedBody(key: string, make: () => Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  let body = bodies.get(key);
  if (!body) {
    body = make();
    if (bodies.size < 1000) bodies.set(key, body);
  }
  return body;
}

function openAIChunk(model: string, delta: object, finish: string | null): string {
  const chunk = { id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1_700_000_000, model, system_fingerprint: "fp_bench", choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** The SSE events of one stream, as the strings to write one per interval (the last one closes the stream). */
function openAIEvents(model: string, mode: Mode, includeUsage: boolean): string[] {
  const events: string[] = [];
  for (let i = 0; i < mode.chunks; i++) {
    const delta = i === 0 ? { role: "assistant", content: `token${i} ` } : { content: `token${i} ` };
    events.push(openAIChunk(model, delta, null));
  }
  let tail = openAIChunk(model, {}, "stop");
  if (includeUsage) {
    const usage = { id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1_700_000_000, model, choices: [], usage: openAIUsage };
    tail += `data: ${JSON.stringify(usage)}\n\n`;
  }
  events[events.length - 1] += `${tail}data: [DONE]\n\n`;
  return events;
}

/** The SSE events of a chat stream for `model` (its `c<n>` part sets how many content events), one string per write. */
export function chatStreamEvents(model: string, includeUsage: boolean): string[] {
  return openAIEvents(model, modeOf(model), includeUsage);
}

const sse = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

function anthropicEvents(model: string, mode: Mode): string[] {
  const start =
    sse("message_start", { message: { ...anthropicMessage(model, ""), content: [], stop_reason: null, usage: { input_tokens: 24, output_tokens: 1 } } }) +
    sse("content_block_start", { index: 0, content_block: { type: "text", text: "" } }) +
    sse("ping", {});
  const events: string[] = [];
  for (let i = 0; i < mode.chunks; i++) {
    const delta = sse("content_block_delta", { index: 0, delta: { type: "text_delta", text: `token${i} ` } });
    events.push(i === 0 ? start + delta : delta);
  }
  events[events.length - 1] +=
    sse("content_block_stop", { index: 0 }) +
    sse("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: mode.chunks } }) +
    sse("message_stop", {});
  return events;
}

/** Writes one event per interval on a fixed schedule (no drift); stops when the client goes away. */
function eventStream(events: string[], intervalMs: number, signal: AbortSignal): Response {
  const source: Bun.DirectUnderlyingSource<Uint8Array> = {
    type: "direct",
    async pull(controller: ReadableStreamDirectController) {
      const startedAt = performance.now();
      for (let i = 0; i < events.length; i++) {
        if (signal.aborted) break;
        const wait = startedAt + i * intervalMs - performance.now();
        if (wait > 0.5) await Bun.sleep(wait);
        if (signal.aborted) break;
        await controller.write(events[i] as string);
        controller.flush();
      }
      controller.close();
    },
  };
  // Bun's direct stream (no queue, one flush per event); the DOM lib's ReadableStream type does not know it.
  const stream = new ReadableStream(source as unknown as UnderlyingDefaultSource<Uint8Array>);
  return new Response(stream, { headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" } });
}

const json = (body: Uint8Array<ArrayBuffer>) => new Response(body, { headers: { "content-type": "application/json" } });
const MODEL = /"model"\s*:\s*"([^"]*)"/;
const STREAM = /"stream"\s*:\s*true/;
/** The non-stream chat completion body the mock answers for `model` (~1.4 KB, ~10 KB for a `10k` model). */
export function chatAnswer(model: string): Uint8Array<ArrayBuffer> {
  return cachedBody(`o:${model}`, () => padded(modeOf(model).large ? LARGE_BYTES : SMALL_BYTES, (t) => openAICompletion(model, t)));
}

const INCLUDE_USAGE = /"include_usage"\s*:\s*true/;

async function handle(request: Request): Promise<Response> {
  const url = request.url;
  if (request.method === "GET") {
    if (url.endsWith("/models")) return Response.json({ object: "list", data: [{ id: "gpt-mock", object: "model", created: 1_700_000_000, owned_by: "bench" }] });
    return new Response("ok");
  }
  const text = await request.text();
  const model = MODEL.exec(text)?.[1] ?? "gpt-mock";
  const mode = modeOf(model);
  const stream = STREAM.test(text);
  if (url.endsWith("/chat/completions")) {
    if (!(request.headers.get("authorization") ?? "").startsWith("Bearer sk-")) {
      return Response.json({ error: { message: "Incorrect API key provided.", type: "invalid_request_error", param: null, code: "invalid_api_key" } }, { status: 401 });
    }
    if (mode.delayMs > 0) await Bun.sleep(mode.delayMs);
    if (stream) return eventStream(openAIEvents(model, mode, INCLUDE_USAGE.test(text)), mode.intervalMs, request.signal);
    return json(chatAnswer(model));
  }
  if (url.endsWith("/v1/messages")) {
    if (!(request.headers.get("x-api-key") ?? "").startsWith("sk-ant-") || !request.headers.get("anthropic-version")) {
      return Response.json({ type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } }, { status: 401 });
    }
    if (mode.delayMs > 0) await Bun.sleep(mode.delayMs);
    if (stream) return eventStream(anthropicEvents(model, mode), mode.intervalMs, request.signal);
    return json(cachedBody(`a:${model}`, () => padded(mode.large ? LARGE_BYTES : SMALL_BYTES, (t) => anthropicMessage(model, t))));
  }
  return Response.json({ error: { message: `Unknown request URL: POST ${url}`, type: "invalid_request_error", param: null, code: "unknown_url" } }, { status: 404 });
}

export function startMockUpstream(port = 0) {
  return Bun.serve({ hostname: "127.0.0.1", port, idleTimeout: 255, fetch: handle });
}

if (import.meta.main) {
  const flag = process.argv.indexOf("--port");
  const server = startMockUpstream(flag > 0 ? Number(process.argv[flag + 1]) : 0);
  console.log(JSON.stringify({ port: server.port }));
}
