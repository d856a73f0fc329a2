// The floor for a metering gateway: the bare proxy (bare-proxy.ts) plus the two things every call through keyway
// must do whatever its configuration: read the upstream's JSON for its usage and answer with a field added, and
// write the call's usage row (the same insert and hourly-rollup upsert as keyway, group-committed, the answer waiting
// for its row). A stream is relayed through JavaScript (a reader on the upstream body, a pulled ReadableStream to the
// client, each chunk's text searched for the usage), as a gateway that meters streams must, and its row written
// when it ends. No authentication, routing, admission, translation, tracing or logging.
// `UPSTREAM=http://127.0.0.1:N BUN_CONFIG_MAX_HTTP_REQUESTS=65535 bun bench/metering-proxy.ts --db PATH [--port N] [--no-row]`;
// prints {"port":N}. (--no-row: the usage is read and the answer rewritten, but no row is written: what the row costs
// is the difference; bench/stages.ts measures both.)
import { createUsageRecorder } from "../src/usage/recorder.ts";
import { openStore } from "../src/store/sqlite/open-store.ts";
import { createLogger } from "../src/telemetry/logger.ts";
import { flag } from "./lib/flags.ts";

const upstream = process.env.UPSTREAM ?? "http://127.0.0.1:8081";
const dbPath = flag("db", "");
if (!dbPath) throw new Error("--db PATH is required");
const recorder = createUsageRecorder(openStore(dbPath).usage, createLogger("warn"));
const writesRows = !process.argv.includes("--no-row");
let sequence = 0;

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: Number(flag("port", "0")),
  idleTimeout: 255,
  async fetch(request) {
    const startedAt = Date.now();
    const path = request.url.slice(request.url.indexOf("/", 8));
    const headers = new Headers(request.headers);
    headers.delete("host");
    const body = request.method === "GET" ? undefined : await request.arrayBuffer();
    const answer = await fetch(upstream + path, { method: request.method, headers, body, signal: request.signal });
    if (answer.headers.get("content-type")?.startsWith("text/event-stream") && answer.body) {
      return new Response(meteredStream(answer.body, startedAt), { status: answer.status, headers: answer.headers });
    }
    const json = (await answer.json()) as { model?: string; usage?: Usage };
    await record(startedAt, answer.status, json.model, json.usage);
    return Response.json({ ...json, byok_api_key: true }, { status: answer.status });
  },
});
console.log(JSON.stringify({ port: server.port }));

type Usage = { prompt_tokens?: number; completion_tokens?: number };

function record(startedAt: number, status: number, model: string | undefined, usage: Usage | undefined): Promise<void> {
  if (!writesRows) return Promise.resolve();
  return recorder.record({
    requestId: `req_${++sequence}`,
    accountId: "acct_floor",
    apiKeyId: "key_floor",
    endpoint: "chat",
    provider: "openai",
    model: model ?? null,
    keySource: "request",
    byok: true,
    status,
    inputTokens: usage?.prompt_tokens ?? 0,
    outputTokens: usage?.completion_tokens ?? 0,
    attempts: 1,
    latencyMs: Date.now() - startedAt,
    createdAt: startedAt,
  });
}

const USAGE = /"usage":(\{[^{}]*\})/;

/** The upstream's events passed on as they come, read in JavaScript; the usage found in them recorded at the end. */
function meteredStream(body: ReadableStream<Uint8Array>, startedAt: number): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let usage: Usage | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await reader.read();
      if (done) {
        controller.close();
        await record(startedAt, 200, undefined, usage);
        return;
      }
      const found = USAGE.exec(decoder.decode(value, { stream: true }));
      if (found?.[1]) usage = JSON.parse(found[1]) as Usage;
      controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
