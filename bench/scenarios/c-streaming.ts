// Scenario c: streaming, 64 chunks 20 ms apart: added time to first byte and added inter-chunk p99.
import { checkedRequests, type Context, rowOf, streamEach } from "../lib/measure.ts";
import { type Goal, isNumber, type Section } from "../lib/report.ts";
import { ISSUE_17, ratioText } from "../lib/targets.ts";

export const TTFB_P99_LIMIT_MS = 1;

export async function scenarioC(ctx: Context): Promise<{ section: Section; goals: Goal[] }> {
  const requests = await checkedRequests(ctx.stack, { api: "openai", model: "gpt-mock-c64-i20", stream: true });
  const everyMs = 25;
  const runs = await streamEach(ctx, requests, { name: "c-stream", everyMs, forMs: 4000, doneMarker: () => "[DONE]" });
  const rows = [
    rowOf("time to first byte p50", runs, (r) => r.ttfb.p50),
    rowOf("time to first byte p99", runs, (r) => r.ttfb.p99),
    rowOf("**added time to first byte p50**", runs, (r) => r.ttfb.p50, { added: true }),
    rowOf("**added time to first byte p99**", runs, (r) => r.ttfb.p99, { added: true }),
    rowOf("inter-chunk gap p50", runs, (r) => r.gap.p50),
    rowOf("inter-chunk gap p99", runs, (r) => r.gap.p99),
    rowOf("**added inter-chunk gap p99**", runs, (r) => r.gap.p99, { added: true }),
    rowOf("failed streams", runs, (r) => r.errors, { ratios: false }),
  ];
  const added = rows[3]?.values.keyway;
  const bareAdded = rows[3]?.values.bare;
  const gap = rows[5]?.values.keyway;
  const bareGap = rows[5]?.values.bare;
  const notes: string[] = [];
  for (const [target, run] of Object.entries(runs)) {
    if (typeof run !== "string") notes.push(`${target}: ${run.streams} streams, ${run.ttfb.count} first bytes, ${run.gap.count} gaps${run.errors ? `; first error: ${run.firstError}` : ""}`);
  }
  return {
    section: {
      id: "c",
      title: "Streaming: 64 chunks 20 ms apart",
      method:
        `bench/stream-client.ts (Bun, open loop): a new stream every ${everyMs} ms for ${ctx.seconds(4)} s, so about ${Math.round(1300 / everyMs)} streams are open at once. ` +
        "Time to first byte is from sending the request to the first body bytes; a gap is the time between two SSE events as the client reads them " +
        "(events that arrive together count as a 0 ms gap). Milliseconds.",
      rows,
      notes,
    },
    goals: [
      {
        text: `streaming added time to first byte p99 under ${TTFB_P99_LIMIT_MS} ms`,
        met: isNumber(added) ? added < TTFB_P99_LIMIT_MS : undefined,
        measured: isNumber(added) ? `${added.toFixed(3)} ms` : "n/a",
      },
      {
        text: `issue 17: streaming added time to first byte p99 at most ${ISSUE_17.streamTtfbRatio}× the bare proxy's`,
        met: isNumber(added) && isNumber(bareAdded) && bareAdded > 0 ? added <= ISSUE_17.streamTtfbRatio * bareAdded : undefined,
        measured: isNumber(added) && isNumber(bareAdded) && bareAdded > 0 ? ratioText(added, bareAdded, " ms") : "n/a",
      },
      {
        text: `issue 17: inter-chunk gap p99 unchanged (at most ${ISSUE_17.interChunkRatio}× the bare proxy's, as before)`,
        met: isNumber(gap) && isNumber(bareGap) && bareGap > 0 ? gap <= ISSUE_17.interChunkRatio * bareGap : undefined,
        measured: isNumber(gap) && isNumber(bareGap) && bareGap > 0 ? ratioText(gap, bareGap, " ms") : "n/a",
      },
    ],
  };
}
