// Scenario b: sustained throughput with a 20 ms upstream at rising concurrency; the highest rate with p99 < 1 s, no errors.
import { checkedRequests, type Context } from "../lib/measure.ts";
import { type Cell, type Goal, isNumber, missing, type Section } from "../lib/report.ts";
import { TARGETS, type TargetName } from "../lib/targets.ts";
import { runWrk, type WrkResult } from "../lib/wrk.ts";

const LEVELS = [32, 64, 128, 256, 512, 1024];
const P99_LIMIT_MS = 1000;

interface Best {
  rps: number;
  connections: number;
  p99: number;
}

const passes = (r: WrkResult) => r.errors === 0 && r.p99 < P99_LIMIT_MS;

export async function scenarioB(ctx: Context): Promise<{ section: Section; goals: Goal[] }> {
  const requests = await checkedRequests(ctx.stack, { api: "openai", model: "gpt-mock-d20" });
  const best: Partial<Record<TargetName, Cell>> = {};
  const at: Partial<Record<TargetName, Cell>> = {};
  const p99: Partial<Record<TargetName, Cell>> = {};
  const ladder: string[] = [];
  for (const target of TARGETS) {
    const request = requests[target];
    if (typeof request === "string") {
      best[target] = at[target] = p99[target] = missing(request);
      continue;
    }
    let top: Best | undefined;
    const steps: string[] = [];
    await runWrk({ name: `b-${target}-warmup`, request, connections: LEVELS[0] as number, seconds: 1 });
    for (const connections of LEVELS) {
      const result = await runWrk({ name: `b-${target}-c${connections}`, request, connections, seconds: ctx.seconds(2), timeoutS: 3 });
      steps.push(`c${connections} ${Math.round(result.rps)}/s p99 ${result.p99.toFixed(1)} ms${result.errors ? ` (${result.errorDetail})` : ""}`);
      if (!passes(result)) break;
      if (!top || result.rps > top.rps) top = { rps: result.rps, connections, p99: result.p99 };
      else if (result.rps < top.rps * 0.9) break;
      if (performance.now() > ctx.deadline - 120_000) {
        steps.push("(ramp cut short to keep the run under 5 minutes)");
        break;
      }
    }
    ctx.log(`  b ${target}: ${steps.join("; ")}`);
    ladder.push(`${target}: ${steps.join("; ")}`);
    if (top) {
      best[target] = top.rps;
      at[target] = top.connections;
      p99[target] = top.p99;
    } else {
      best[target] = at[target] = p99[target] = missing(`no level passed (${steps[0] ?? "no run"})`);
    }
  }
  const keyway = best.keyway;
  const peer = best.peer;
  const bare = best.bare;
  const goals: Goal[] = [
    {
      text: "sustained throughput at least 10× the peer's",
      met: isNumber(keyway) && isNumber(peer) ? keyway >= 10 * peer : undefined,
      measured: isNumber(keyway) && isNumber(peer) ? `${(keyway / peer).toFixed(1)}× (${Math.round(keyway)} vs ${Math.round(peer)} req/s)` : "n/a",
    },
    {
      text: "sustained throughput at least half the bare proxy's",
      met: isNumber(keyway) && isNumber(bare) ? keyway >= 0.5 * bare : undefined,
      measured: isNumber(keyway) && isNumber(bare) ? `${(keyway / bare).toFixed(2)}× (${Math.round(keyway)} vs ${Math.round(bare)} req/s)` : "n/a",
    },
  ];
  return {
    section: {
      id: "b",
      title: "Sustained throughput, 20 ms upstream, rising concurrency",
      method:
        `wrk with ${LEVELS.join(", ")} keep-alive connections in turn, ${ctx.seconds(2)} s each, against an upstream that answers after 20 ms ` +
        "(so the ceiling at c connections is 50·c req/s). The figure is the highest rate at a level with p99 under 1 s and no errors; " +
        "the ramp stops at the first level that fails, or when the rate falls 10% below the best. wrk, the server under test and the mock share the 2 cores.",
      rows: [
        { label: "**highest rate** (req/s)", values: best },
        { label: "at connections", values: at, ratios: false },
        { label: "p99 there (ms)", values: p99 },
      ],
      notes: ladder.map((line) => `ramp, ${line}`),
    },
    goals,
  };
}
