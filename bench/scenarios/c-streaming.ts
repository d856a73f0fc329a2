// Scenario c: streaming, 64 chunks 20 ms apart: added time to first byte and added inter-chunk p99; then many short
// streams, for a time-to-first-byte p99 read from more than a handful of samples, with the metering floor beside them
// (the bare proxy relaying the stream through JavaScript and recording its usage, as any metering gateway must).
import { checkedRequests, type Context, type PerTarget, rowOf, streamEach, streamProbe, type StreamProbeResult } from "../lib/measure.ts";
import { stop } from "../lib/processes.ts";
import { type Goal, isNumber, type Section } from "../lib/report.ts";
import { startMeteringFloor } from "../lib/stack.ts";
import { ISSUE_17, ratioText, TARGETS } from "../lib/targets.ts";
import { median } from "../lib/stats.ts";

/** Short streams (2 events 20 ms apart), a new one every FIRST_BYTE_EVERY_MS, in FIRST_BYTE_ROUNDS rounds per target. */
const FIRST_BYTE_EVERY_MS = 5;
const FIRST_BYTE_ROUNDS = 3;

export const TTFB_P99_LIMIT_MS = 1;

export async function scenarioC(ctx: Context): Promise<{ section: Section; goals: Goal[] }> {
  const requests = await checkedRequests(ctx.stack, { api: "openai", model: "gpt-mock-c64-i20", stream: true });
  const everyMs = 25;
  const runs = await streamEach(ctx, requests, { name: "c-stream", everyMs, forMs: 4000, doneMarker: () => "[DONE]" });
  const short = await checkedRequests(ctx.stack, { api: "openai", model: "gpt-mock-c2-i20", stream: true });
  const floor = await startMeteringFloor("c-floor", ctx.stack.mockUrl).catch((error: unknown) => `the metering floor did not start (${error instanceof Error ? error.message : String(error)})`);
  const bareShort = short.bare;
  const floorShort = typeof floor === "string" ? floor : typeof bareShort === "string" ? bareShort : { ...bareShort, url: bareShort.url.replace(ctx.stack.bareUrl, floor.url) };
  const rounds: PerTarget<StreamProbeResult>[] = [];
  const floorRounds: (StreamProbeResult | string)[] = [];
  for (let round = 0; round < (ctx.quick ? 1 : FIRST_BYTE_ROUNDS); round++) {
    const plan = { name: `c-first-byte-${round + 1}`, everyMs: FIRST_BYTE_EVERY_MS, forMs: 2000 };
    rounds.push(await streamEach(ctx, short, { ...plan, doneMarker: () => "[DONE]" }));
    floorRounds.push(typeof floorShort === "string" ? floorShort : await streamProbe(ctx, `${plan.name}-floor`, floorShort, plan, "[DONE]"));
  }
  if (typeof floor !== "string") await stop(floor.started);
  const firstBytes = mergeRounds(rounds);
  const floorFirstBytes = mergeResults(floorRounds);
  const rows = [
    rowOf("time to first byte p50", runs, (r) => r.ttfb.p50),
    rowOf("time to first byte p99", runs, (r) => r.ttfb.p99),
    rowOf("**added time to first byte p50**", runs, (r) => r.ttfb.p50, { added: true }),
    rowOf("**added time to first byte p99**", runs, (r) => r.ttfb.p99, { added: true }),
    rowOf("inter-chunk gap p50", runs, (r) => r.gap.p50),
    rowOf("inter-chunk gap p99", runs, (r) => r.gap.p99),
    rowOf("**added inter-chunk gap p99**", runs, (r) => r.gap.p99, { added: true }),
    rowOf("failed streams", runs, (r) => r.errors, { ratios: false }),
    rowOf("short streams: time to first byte p50", firstBytes, (r) => r.ttfb.p50),
    rowOf("short streams: time to first byte p99", firstBytes, (r) => r.ttfb.p99),
    rowOf("short streams: added time to first byte p99", firstBytes, (r) => r.ttfb.p99, { added: true }),
    rowOf("**short streams: time to first byte p99 minus the direct call's p50**", firstBytes, (r) => r.ttfb.p99, { added: true, fromDirect: (r) => r.ttfb.p50 }),
    rowOf("short streams: failed", firstBytes, (r) => r.errors, { ratios: false }),
  ];
  const added = rows[3]?.values.keyway;
  const shortAdded = rows[11]?.values.keyway;
  const shortBareAdded = rows[11]?.values.bare;
  const gap = rows[5]?.values.keyway;
  const bareGap = rows[5]?.values.bare;
  const direct = firstBytes.direct;
  const floorAdded = typeof floorFirstBytes !== "string" && typeof direct !== "string" ? floorFirstBytes.ttfb.p99 - direct.ttfb.p50 : undefined;
  const notes: string[] = [];
  notes.push(
    typeof floorFirstBytes === "string" || floorAdded === undefined
      ? `metering floor, short streams: not measured (${typeof floorFirstBytes === "string" ? floorFirstBytes : "no direct figure"})`
      : `metering floor (bench/metering-proxy.ts: the bare proxy reading the stream through JavaScript, a reader on the upstream body and a pulled stream to the client, searching each chunk for the usage and recording it at the end), short streams: ` +
          `time to first byte p50 ${floorFirstBytes.ttfb.p50.toFixed(3)} ms, p99 ${floorFirstBytes.ttfb.p99.toFixed(3)} ms, p99 minus the direct call's p50 ${floorAdded.toFixed(3)} ms` +
          (isNumber(shortBareAdded) && shortBareAdded > 0 ? ` (${(floorAdded / shortBareAdded).toFixed(2)}× the bare proxy's` : " (") +
          (isNumber(shortAdded) && floorAdded > 0 ? `; keyway ${(shortAdded / floorAdded).toFixed(2)}× the floor's)` : ")") +
          `, ${floorFirstBytes.streams} streams, ${floorFirstBytes.errors} failed`,
  );
  for (const [target, run] of Object.entries(runs)) {
    if (typeof run !== "string") notes.push(`${target}: ${run.streams} streams, ${run.ttfb.count} first bytes, ${run.gap.count} gaps${run.errors ? `; first error: ${run.firstError}` : ""}`);
  }
  for (const [target, run] of Object.entries(firstBytes)) {
    if (typeof run !== "string") notes.push(`${target}, short streams: ${run.streams} streams, ${run.ttfb.count} first bytes${run.errors ? `; first error: ${run.firstError}` : ""}`);
  }
  return {
    section: {
      id: "c",
      title: "Streaming: 64 chunks 20 ms apart",
      method:
        `bench/stream-client.ts (Bun, open loop): a new stream every ${everyMs} ms for ${ctx.seconds(4)} s, so about ${Math.round(1300 / everyMs)} streams are open at once. ` +
        "Time to first byte is from sending the request to the first body bytes; a gap is the time between two SSE events as the client reads them " +
        "(events that arrive together count as a 0 ms gap). The short streams are 2 events 20 ms apart, a new one every " +
        `${FIRST_BYTE_EVERY_MS} ms for 2 s, in ${FIRST_BYTE_ROUNDS} rounds with the targets taking turns (each percentile the median of the rounds'), ` +
        "so each time-to-first-byte p99 comes from about 400 streams a round. The direct call's own p99 is often the largest (the client's and the " +
        "mock's hiccups), which makes an added p99 (p99 minus the direct p99) negative for the bare proxy and meaningless as a ratio; issue 17's " +
        "time-to-first-byte target is therefore judged on each p99 minus the direct call's p50: how far a side's tail sits above a typical direct call. " +
        "The metering floor takes its turn in each short-stream round (the notes): what reading a stream through JavaScript and recording its usage costs on this runtime before any gateway logic. Milliseconds.",
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
        text: `issue 17: streaming added time to first byte p99 at most ${ISSUE_17.streamTtfbRatio}× the bare proxy's (short streams; p99 minus the direct call's p50)`,
        met: isNumber(shortAdded) && isNumber(shortBareAdded) && shortBareAdded > 0 ? shortAdded <= ISSUE_17.streamTtfbRatio * shortBareAdded : undefined,
        measured:
          isNumber(shortAdded) && isNumber(shortBareAdded) && shortBareAdded > 0
            ? `${ratioText(shortAdded, shortBareAdded, " ms")}${floorAdded !== undefined && floorAdded > 0 ? `; the metering floor alone ${(floorAdded / shortBareAdded).toFixed(2)}×, keyway ${(shortAdded / floorAdded).toFixed(2)}× the floor` : ""}`
            : "n/a",
      },
      {
        text: `issue 17: inter-chunk gap p99 unchanged (at most ${ISSUE_17.interChunkRatio}× the bare proxy's, as before)`,
        met: isNumber(gap) && isNumber(bareGap) && bareGap > 0 ? gap <= ISSUE_17.interChunkRatio * bareGap : undefined,
        measured: isNumber(gap) && isNumber(bareGap) && bareGap > 0 ? ratioText(gap, bareGap, " ms") : "n/a",
      },
    ],
  };
}

/** Each target's rounds as one result (mergeResults). */
function mergeRounds(rounds: readonly PerTarget<StreamProbeResult>[]): PerTarget<StreamProbeResult> {
  const out = {} as PerTarget<StreamProbeResult>;
  for (const target of TARGETS) out[target] = mergeResults(rounds.map((round) => round[target]));
  return out;
}

/** One side's rounds as one result: counts summed, each percentile the median of the rounds' (a round that failed is left out). */
function mergeResults(rounds: readonly (StreamProbeResult | string | undefined)[]): StreamProbeResult | string {
  const results = rounds.filter((r): r is StreamProbeResult => typeof r === "object");
  if (results.length === 0) return typeof rounds[0] === "string" ? rounds[0] : "not measured";
  const mid = (pick: (r: StreamProbeResult) => number) => median(results.map(pick));
  const summary = (pick: (r: StreamProbeResult) => StreamProbeResult["ttfb"]) => ({
    count: results.reduce((n, r) => n + pick(r).count, 0),
    p50: mid((r) => pick(r).p50),
    p90: mid((r) => pick(r).p90),
    p99: mid((r) => pick(r).p99),
    max: Math.max(...results.map((r) => pick(r).max)),
  });
  return {
    streams: results.reduce((n, r) => n + r.streams, 0),
    errors: results.reduce((n, r) => n + r.errors, 0),
    firstError: results.find((r) => r.firstError)?.firstError,
    ttfb: summary((r) => r.ttfb),
    gap: summary((r) => r.gap),
  };
}
