// Scenario d: the translation path: OpenAI in, an Anthropic Messages upstream out (non-stream and stream).
import { checkedRequests, type Context, errorNotes, latencyRows, rowOf, streamEach, wrkEach } from "../lib/measure.ts";
import type { Goal, Section } from "../lib/report.ts";

export async function scenarioD(ctx: Context): Promise<{ section: Section; goals: Goal[] }> {
  const plain = await checkedRequests(ctx.stack, { api: "anthropic", model: "claude-mock" });
  const serial = await wrkEach(ctx, plain, { name: "d-c1", connections: 1, seconds: 2, warmupSeconds: 1, warmupConnections: 16 });
  const loaded = await wrkEach(ctx, plain, { name: "d-c64", connections: 64, seconds: 2 });
  const streaming = await checkedRequests(ctx.stack, { api: "anthropic", model: "claude-mock-c64-i20", stream: true });
  const streams = await streamEach(ctx, streaming, {
    name: "d-stream",
    everyMs: 40,
    forMs: 2500,
    doneMarker: (target) => (target === "direct" || target === "bare" ? "message_stop" : "[DONE]"),
  });
  return {
    section: {
      id: "d",
      title: "Translation path: OpenAI in, Anthropic Messages upstream",
      method:
        "direct and the bare proxy send the Anthropic request itself (POST /v1/messages, no translation: the floor); keyway and the peer take the " +
        "OpenAI request for `claude-mock` and translate both ways. Non-stream: wrk at 1 connection (2 s, after a 1 s warm-up at 16) and at 64 connections (2 s), " +
        "zero-delay upstream. Stream: 64 events 20 ms apart, a new stream every 40 ms. Milliseconds, except rates.",
      rows: [
        ...latencyRows(serial, loaded),
        rowOf("stream: time to first byte p99", streams, (r) => r.ttfb.p99),
        rowOf("stream: added time to first byte p99", streams, (r) => r.ttfb.p99, { added: true }),
        rowOf("stream: inter-chunk gap p99", streams, (r) => r.gap.p99),
        rowOf("stream: failed streams", streams, (r) => r.errors, { ratios: false }),
      ],
      notes: [
        ...errorNotes("concurrency 1", serial, (r) => r.errorDetail),
        ...errorNotes("64 connections", loaded, (r) => r.errorDetail),
        ...errorNotes("streams", streams, (r) => r.firstError),
      ],
    },
    goals: [],
  };
}
