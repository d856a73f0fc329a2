// A strategy plugin behind a boundary: its `plan` sees frozen copies of the candidates, and its answer is checked
// (only candidates it was given, unchanged in provider, model and key, each at most once, in any order). A wrong
// answer, a throw, or no answer in time is logged as an error naming the plugin, and the default strategy plans the
// request instead: whatever a plugin returns, a key is only ever sent to the provider it was offered for.
import type { Candidate, RoutingRequest, RoutingStrategy } from "../plugins/sdk.ts";
import type { Logger } from "../telemetry/logger.ts";
import { type BlockWatch, timed } from "./blocking.ts";

/** How long an async `plan` may take before the default strategy plans the request (ms). */
export const DEFAULT_PLAN_TIMEOUT_MS = 2_000;

export interface StrategyGuard extends BlockWatch {
  /** The default strategy: plans the request when the plugin's answer is refused. */
  fallback: RoutingStrategy;
  planTimeoutMs: number;
  logger?: Logger;
}

/** What makes a candidate itself: a key of one source, for one model of one provider. */
function identity(candidate: Candidate): string {
  return [candidate.provider, candidate.adapter, candidate.model, candidate.keySource, candidate.keyRef].join("\u0000");
}

function frozenCopy(candidate: Candidate): Candidate {
  const copy: Candidate = { ...candidate };
  if (candidate.price) copy.price = Object.freeze({ ...candidate.price });
  if (candidate.health) copy.health = Object.freeze({ ...candidate.health, key: candidate.health.key && Object.freeze({ ...candidate.health.key }) });
  return Object.freeze(copy);
}

function describe(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? String(value);
  const { provider, model, keySource } = value as Partial<Candidate>;
  return `{ provider: ${JSON.stringify(provider)}, model: ${JSON.stringify(model)}, keySource: ${JSON.stringify(keySource)} }`;
}

/** The given candidates the answer names, in its order; or what is wrong with it. */
function checkAnswer(answer: unknown, given: ReadonlyMap<string, Candidate>): { plan: Candidate[] } | { problem: string } {
  if (!Array.isArray(answer)) return { problem: `plan() answered ${answer === null ? "null" : typeof answer} instead of an array of the candidates it was given` };
  const plan: Candidate[] = [];
  for (const [index, item] of answer.entries()) {
    const original = typeof item === "object" && item !== null ? given.get(identity(item as Candidate)) : undefined;
    if (!original) return { problem: `plan() answered a candidate it was not given at [${index}]: ${describe(item)}` };
    if (plan.includes(original)) return { problem: `plan() answered the same candidate twice (at [${index}]): ${describe(item)}` };
    plan.push(original);
  }
  return { plan };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`plan() did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

export function guardStrategy(strategy: RoutingStrategy, guard: StrategyGuard): RoutingStrategy {
  const refuse = async (request: RoutingRequest, candidates: readonly Candidate[], problem: string): Promise<Candidate[]> => {
    guard.logger?.error(`${guard.plugin} was refused: ${problem}; the default strategy '${guard.fallback.name}' planned the request`, {
      plugin: guard.plugin,
      plugin_file: guard.file,
      strategy: strategy.name,
      fallback_strategy: guard.fallback.name,
      problem,
    });
    return await guard.fallback.plan(request, candidates);
  };
  return {
    name: strategy.name,
    async plan(request, candidates) {
      const given = new Map(candidates.map((candidate) => [identity(candidate), candidate]));
      let answer: unknown;
      try {
        const copies = Object.freeze(candidates.map(frozenCopy));
        const planned = timed(guard, "plan()", () => strategy.plan(Object.freeze({ ...request }), copies));
        answer = await withTimeout(Promise.resolve(planned), guard.planTimeoutMs);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return refuse(request, candidates, reason.startsWith("plan() did not answer") ? reason : `plan() threw: ${reason}`);
      }
      const checked = checkAnswer(answer, given);
      return "plan" in checked ? checked.plan : refuse(request, candidates, checked.problem);
    },
  };
}
