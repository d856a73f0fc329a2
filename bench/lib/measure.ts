// Shared measuring steps for the scenarios: wrk or the stream client against each target, each answer checked first.
import { join } from "node:path";
import { missing, type Cell, type Row } from "./report.ts";
import { BENCH_DIR, BUN, spawnTracked } from "./processes.ts";
import { FETCH_ENV } from "./stack.ts";
import type { Summary } from "./stats.ts";
import { type HttpRequest, probe, requestFor, type Shape, type Stack, TARGETS, type TargetName } from "./targets.ts";
import { mergeWrkRuns, runWrk, type WrkResult } from "./wrk.ts";

export interface Context {
  stack: Stack;
  quick: boolean;
  /** Whole seconds for a measurement (wrk takes no fractions): as asked, or a quarter of it with --quick. */
  seconds(full: number): number;
  log(message: string): void;
  /** performance.now() by which the whole run must be done. */
  deadline: number;
}

export type PerTarget<T> = Record<TargetName, T | string>;

/** What a good answer looks like for this shape and target. */
function expectFor(target: TargetName, shape: Shape): RegExp {
  if (shape.stream) return shape.api === "anthropic" && (target === "direct" || target === "bare") ? /message_stop/ : /\[DONE\]/;
  return shape.api === "anthropic" && (target === "direct" || target === "bare") ? /"type":\s*"message"/ : /"choices"/;
}

/** The checked request for each target, or why that target is left out. */
export async function checkedRequests(stack: Stack, shape: Shape, targets: readonly TargetName[] = TARGETS): Promise<PerTarget<HttpRequest>> {
  const out = {} as PerTarget<HttpRequest>;
  for (const target of TARGETS) {
    if (!targets.includes(target)) {
      out[target] = "does not apply";
      continue;
    }
    const request = requestFor(target, stack, shape);
    if (typeof request === "string") {
      out[target] = request;
      continue;
    }
    const problem = await probe(request, expectFor(target, shape));
    out[target] = problem === undefined ? request : `its answer failed the check (${problem})`;
  }
  return out;
}

/**
 * How long each side runs at 32 connections before a scenario measures its steady state: keyway's JIT thread is still
 * compiling for about 12 s under that load (bench/README, "Steady state"), and a short warm-up left that work, and the
 * slower code it replaces, inside the first measured runs.
 */
export const SETTLE = { seconds: 8, connections: 32 };

export interface WrkPlan {
  name: string;
  connections: number;
  seconds: number;
  warmupSeconds?: number;
  /** Connections during the warm-up (default: as measured). */
  warmupConnections?: number;
  /** Runs per target, taken in turns (default 1). */
  rounds?: number;
}

export interface MeasuredRun extends WrkResult {
  /** Requests completed during the warm-up that preceded the measurement. */
  warmupRequests: number;
}

/** Several runs of one target merged (mergeWrkRuns), with the warm-up's request count. */
function merge(runs: WrkResult[], warmupRequests: number): MeasuredRun {
  return { ...mergeWrkRuns(runs), warmupRequests };
}

/**
 * wrk against each target. With `rounds` > 1 the targets take turns (direct, bare, keyway, peer, direct, ...), so a burst of
 * noise from elsewhere on the machine lands on one round of one target rather than on all of a target's figures.
 */
export async function wrkEach(ctx: Context, requests: PerTarget<HttpRequest>, plan: WrkPlan): Promise<PerTarget<MeasuredRun>> {
  return wrkSides(ctx, requests, plan, TARGETS);
}

/** wrkEach over any set of sides (`order` gives their turns), for scenarios that compare other things than the four targets. */
export async function wrkSides<K extends string>(ctx: Context, requests: Record<K, HttpRequest | string>, plan: WrkPlan, order: readonly K[]): Promise<Record<K, MeasuredRun | string>> {
  const out = {} as Record<K, MeasuredRun | string>;
  const runs = new Map<K, WrkResult[]>();
  const warmups = new Map<K, number>();
  const live = order.filter((target) => {
    const request = requests[target];
    if (typeof request === "string") out[target] = request;
    return typeof request !== "string";
  });
  const failed = (target: K, error: unknown) => {
    out[target] = `wrk failed: ${error instanceof Error ? error.message : String(error)}`;
  };
  for (const target of live) {
    if (!plan.warmupSeconds) continue;
    try {
      const warmup = await runWrk({ name: `${plan.name}-${target}-warmup`, request: requests[target] as HttpRequest, connections: plan.warmupConnections ?? plan.connections, seconds: plan.warmupSeconds });
      warmups.set(target, warmup.requests);
    } catch (error) {
      failed(target, error);
    }
  }
  for (let round = 0; round < (plan.rounds ?? 1); round++) {
    for (const target of live) {
      if (out[target] !== undefined) continue;
      try {
        const run = await runWrk({ name: `${plan.name}-${target}-${round}`, request: requests[target] as HttpRequest, connections: plan.connections, seconds: ctx.seconds(plan.seconds) });
        runs.set(target, [...(runs.get(target) ?? []), run]);
      } catch (error) {
        failed(target, error);
      }
    }
  }
  for (const target of live) {
    if (out[target] !== undefined) continue;
    const result = merge(runs.get(target) ?? [], warmups.get(target) ?? 0);
    ctx.log(`  ${plan.name} ${target}: ${Math.round(result.rps)} req/s, p50 ${result.p50.toFixed(3)} ms, p99 ${result.p99.toFixed(3)} ms${result.errors ? `, errors: ${result.errorDetail}` : ""}`);
    out[target] = result;
  }
  return out;
}

/** A table row from per-target results: `pick` of each, or minus the direct figure when `added`. */
/** `added`: the figure minus the direct call's same figure, or minus `fromDirect` of the direct call when given. */
export function rowOf<T>(
  label: string,
  results: PerTarget<T>,
  pick: (result: T) => number,
  options: { added?: boolean; fromDirect?: (direct: T) => number; only?: TargetName[]; ratios?: boolean } = {},
): Row {
  const values: Partial<Record<TargetName, Cell>> = {};
  const direct = results.direct;
  for (const target of options.only ?? TARGETS) {
    const result = results[target];
    if (typeof result === "string") {
      values[target] = missing(result);
      continue;
    }
    if (!options.added) {
      values[target] = pick(result);
      continue;
    }
    if (target === "direct") continue;
    values[target] = typeof direct === "string" ? missing("no direct figure to subtract") : pick(result) - (options.fromDirect ?? pick)(direct);
  }
  return { label, values, ratios: options.ratios };
}

export interface StreamProbeResult {
  streams: number;
  errors: number;
  firstError?: string;
  ttfb: Summary;
  gap: Summary;
}

export interface StreamPlan {
  name: string;
  everyMs: number;
  forMs: number;
  doneMarker: (target: TargetName) => string;
}

/** The open-loop stream client (bench/stream-client.ts) against one server: its result, or why there is none. */
export async function streamProbe(ctx: Context, name: string, request: HttpRequest, plan: Omit<StreamPlan, "doneMarker" | "name">, doneMarker: string): Promise<StreamProbeResult | string> {
  const options = { mode: "probe", ...request, everyMs: plan.everyMs, forMs: ctx.seconds(plan.forMs / 1000) * 1000, doneMarker, timeoutMs: 20_000 };
  const client = spawnTracked(name, [BUN, join(BENCH_DIR, "stream-client.ts"), JSON.stringify(options)], {
    pipeStdout: true,
    env: FETCH_ENV,
  });
  const stdout = client.proc.stdout;
  const text = stdout && typeof stdout !== "number" ? await new Response(stdout).text() : "";
  await client.proc.exited;
  try {
    const result = JSON.parse(text.trim().split("\n").at(-1) ?? "") as StreamProbeResult;
    ctx.log(`  ${name}: ${result.streams} streams, ttfb p99 ${result.ttfb.p99.toFixed(3)} ms, gap p99 ${result.gap.p99.toFixed(2)} ms, errors ${result.errors}`);
    return result.errors === result.streams ? `every stream failed (${result.firstError})` : result;
  } catch {
    return `the stream client gave no result: ${text.slice(0, 200)}`;
  }
}

/** The open-loop stream client (bench/stream-client.ts) against each target, one after the other. */
export async function streamEach(ctx: Context, requests: PerTarget<HttpRequest>, plan: StreamPlan): Promise<PerTarget<StreamProbeResult>> {
  const out = {} as PerTarget<StreamProbeResult>;
  for (const target of TARGETS) {
    const request = requests[target];
    out[target] = typeof request === "string" ? request : await streamProbe(ctx, `${plan.name}-${target}`, request, plan, plan.doneMarker(target));
  }
  return out;
}

export function errorNotes<T extends { errors: number }>(what: string, results: PerTarget<T>, detail: (r: T) => string | undefined): string[] {
  const notes: string[] = [];
  for (const target of TARGETS) {
    const result = results[target];
    if (typeof result !== "string" && result.errors > 0) notes.push(`${target}, ${what}: ${result.errors} errors (${detail(result) ?? "no detail"})`);
  }
  return notes;
}

/** The rows a concurrency-1 run and a 64-connection run give every non-stream scenario. */
export function latencyRows(serial: PerTarget<MeasuredRun>, loaded: PerTarget<MeasuredRun>): Row[] {
  return [
    rowOf("p50 at concurrency 1", serial, (r) => r.p50),
    rowOf("p99 at concurrency 1", serial, (r) => r.p99),
    rowOf("**added p50** at concurrency 1", serial, (r) => r.p50, { added: true }),
    rowOf("**added p99** at concurrency 1", serial, (r) => r.p99, { added: true }),
    rowOf("**requests/s at 64 connections**", loaded, (r) => r.rps),
    rowOf("p99 at 64 connections", loaded, (r) => r.p99),
  ];
}
