// Scenario a: added latency at concurrency 1, non-stream, zero-delay upstream (~1.4 KB and ~10 KB answers).
import { checkedRequests, type Context, errorNotes, rowOf, SETTLE, wrkEach } from "../lib/measure.ts";
import type { Goal, Section } from "../lib/report.ts";
import { isNumber } from "../lib/report.ts";
import { ISSUE_17, ratioText } from "../lib/targets.ts";

export const ADDED_P50_LIMIT_MS = 0.3;
export const ADDED_P99_LIMIT_MS = 1;

/** Scenario a's result; scenario i sets its concurrency-1 figures beside the independent benchmark's. */
export type ScenarioAResult = { section: Section; goals: Goal[] };

export async function scenarioA(ctx: Context): Promise<ScenarioAResult> {
  const small = await checkedRequests(ctx.stack, { api: "openai", model: "gpt-mock" });
  const smallRuns = await wrkEach(ctx, small, { name: "a-1k4", connections: 1, seconds: 1, rounds: 4, warmupSeconds: ctx.seconds(SETTLE.seconds), warmupConnections: SETTLE.connections });
  const large = await checkedRequests(ctx.stack, { api: "openai", model: "gpt-mock-10k" });
  const largeRuns = await wrkEach(ctx, large, { name: "a-10k", connections: 1, seconds: 1, rounds: 2 });
  const rows = [
    rowOf("p50, 1.4 KB answer", smallRuns, (r) => r.p50),
    rowOf("p99, 1.4 KB answer", smallRuns, (r) => r.p99),
    rowOf("**added p50**, 1.4 KB", smallRuns, (r) => r.p50, { added: true }),
    rowOf("**added p99**, 1.4 KB", smallRuns, (r) => r.p99, { added: true }),
    rowOf("requests/s at concurrency 1, 1.4 KB", smallRuns, (r) => r.rps),
    rowOf("p50, 10 KB answer", largeRuns, (r) => r.p50),
    rowOf("p99, 10 KB answer", largeRuns, (r) => r.p99),
    rowOf("added p50, 10 KB", largeRuns, (r) => r.p50, { added: true }),
    rowOf("added p99, 10 KB", largeRuns, (r) => r.p99, { added: true }),
  ];
  const added50 = rows[2]?.values.keyway;
  const added99 = rows[3]?.values.keyway;
  const bare50 = rows[2]?.values.bare;
  const bare99 = rows[3]?.values.bare;
  const goals: Goal[] = [
    {
      text: `added p50 under ${ADDED_P50_LIMIT_MS} ms at concurrency 1`,
      met: isNumber(added50) ? added50 < ADDED_P50_LIMIT_MS : undefined,
      measured: isNumber(added50) ? `${added50.toFixed(3)} ms` : "n/a",
    },
    {
      text: `added p99 under ${ADDED_P99_LIMIT_MS} ms at concurrency 1`,
      met: isNumber(added99) ? added99 < ADDED_P99_LIMIT_MS : undefined,
      measured: isNumber(added99) ? `${added99.toFixed(3)} ms` : "n/a",
    },
    {
      text: `issue 17: added p99 at concurrency 1 at most ${ISSUE_17.addedP99Ratio}× the bare proxy's added p99`,
      met: isNumber(added99) && isNumber(bare99) && bare99 > 0 ? added99 <= ISSUE_17.addedP99Ratio * bare99 : undefined,
      measured: isNumber(added99) && isNumber(bare99) && bare99 > 0 ? ratioText(added99, bare99, " ms") : "n/a",
    },
    {
      text: `issue 17: added p50 at concurrency 1 at most ${ISSUE_17.addedP50AboveBareMs} ms above the bare proxy's`,
      met: isNumber(added50) && isNumber(bare50) ? added50 - bare50 <= ISSUE_17.addedP50AboveBareMs : undefined,
      measured: isNumber(added50) && isNumber(bare50) ? `${(added50 - bare50).toFixed(3)} ms above (${added50.toFixed(3)} vs ${bare50.toFixed(3)} ms)` : "n/a",
    },
  ];
  return {
    section: {
      id: "a",
      title: "Added latency at concurrency 1 (non-stream, zero-delay upstream)",
      method:
        "wrk, 1 connection, keep-alive, one POST /v1/chat/completions after another: after each target has run 8 s at 32 connections (its steady state: see bench/README), four 1 s runs per target with the ~1.4 KB answer, " +
        "then two with the ~10 KB one, the targets taking turns; each percentile is the median of the runs' percentiles. " +
        "keyway is called with its admin key and the caller's key in `byok_api_key`; usage is recorded as always. Milliseconds.",
      rows,
      notes: [...errorNotes("1.4 KB", smallRuns, (r) => r.errorDetail), ...errorNotes("10 KB", largeRuns, (r) => r.errorDetail)],
    },
    goals,
  };
}
