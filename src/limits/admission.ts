// Admission of one candidate before its first attempt: team approvals and daily budgets (any key), then platform
// rate limits and credits (platform keys only). What is reserved is settled afterwards with the call's final usage
// and charge, or given back when every attempt fails.
import type { ResolvedConfig } from "../config/validate.ts";
import { markupBasisPoints } from "../config/money-precision.ts";
import { GatewayError } from "../core/errors.ts";
import type { Admission, FinalCharge } from "../core/admission.ts";
import type { Candidate, EndpointName } from "../plugins/sdk.ts";
import type { Store } from "../store/store.ts";
import type { CallPolicy } from "../teams/policy.ts";
import { describeError, type Logger } from "../telemetry/logger.ts";
import type { Metrics } from "../telemetry/metrics.ts";
import { microsToUsd, usdToMicros } from "../usage/money.ts";
import { costMicros } from "../usage/prices.ts";
import { checkApproval } from "./approval-gate.ts";
import type { Counters } from "./counters.ts";
import { dayKey } from "./day-key.ts";
import { estimateRequest } from "./estimate.ts";

export interface AdmissionRequest {
  candidate: Candidate;
  body: Record<string, unknown>;
  endpoint: EndpointName;
  requestId: string;
  accountId: string;
  keyId: string;
  policy: CallPolicy;
  approvalId?: string;
}

export interface AdmissionDeps {
  config: ResolvedConfig;
  counters: Counters;
  store: Store;
  logger: Logger;
  metrics?: Metrics;
  /** The gateway holding the reservations (its lease), so a start-up sweep leaves a live gateway's alone. */
  instanceId: string;
}

const DAY_TTL_MS = 26 * 3_600_000;
const MINUTE_MS = 60_000;
const usd = (micros: number) => `$${microsToUsd(micros).toFixed(6)}`;

type Step = () => Promise<unknown>;

export function createAdmission(deps: AdmissionDeps) {
  const { config, counters, store } = deps;
  const markupBps = markupBasisPoints(config.platform.markup_percent);
  const limits = config.platform.rate_limits;

  /** Holds the call's credits: one transaction that takes them and records the reservation. */
  async function reserveCredits(request: AdmissionRequest, micros: number): Promise<{ id: string; balance: number }> {
    const { candidate } = request;
    if (!candidate.price) {
      throw new GatewayError("invalid_request", `No price is known for ${candidate.provider}/${candidate.model}, so platform keys cannot be charged for it. Send your own key, or ask the operator to add its price to providers.${candidate.provider}.models.`, { param: "model" });
    }
    const held = await store.creditReservations.reserve({ requestId: request.requestId, accountId: request.accountId, instanceId: deps.instanceId, micros });
    if (!held.granted) {
      throw new GatewayError("insufficient_credits", `This account's credits (${usd(held.balance)}) do not cover this request on platform keys (up to ${usd(micros)}, held until it settles). Add credits, or send your own provider key.`);
    }
    return { id: held.id, balance: held.balance };
  }

  /** A charge above the reservation is kept (the provider bills the usage), logged and counted. */
  function reportOvershoot(request: AdmissionRequest, reservedMicros: number, chargedMicros: number, balance: number): void {
    const overshoot = chargedMicros - reservedMicros;
    deps.logger.warn("credits overshoot", {
      account_id: request.accountId,
      request_id: request.requestId,
      provider: request.candidate.provider,
      model: request.candidate.model,
      reserved_micros: reservedMicros,
      charged_micros: chargedMicros,
      overshoot_micros: overshoot,
      balance_micros: balance,
    });
    deps.metrics?.creditOvershoot(request.candidate.provider, microsToUsd(overshoot));
  }

  /** One settling or give-back step; a failure (Redis down) is logged and does not stop the steps after it. */
  async function runStep(step: Step, request: AdmissionRequest, what: string): Promise<void> {
    try {
      await step();
    } catch (error) {
      deps.logger.warn(`admission ${what} step failed`, { request_id: request.requestId, account_id: request.accountId, ...describeError(error) });
    }
  }

  /**
   * Whether admitting the candidate reserves anything. The common BYOK call outside any team rule does not: its
   * caller skips `admit` (and the estimate) entirely.
   */
  function reserves(candidate: Candidate, policy: CallPolicy): boolean {
    if (candidate.keySource === "platform") return true;
    const rule = policy.team?.permissions.providers?.[candidate.provider];
    return rule?.max_cost_per_day !== undefined || rule?.require_approval_above !== undefined;
  }

  async function admit(request: AdmissionRequest): Promise<Admission | undefined> {
    const { candidate, policy } = request;
    const platform = candidate.keySource === "platform";
    const rule = policy.team?.permissions.providers?.[candidate.provider];
    if (!reserves(candidate, policy)) return undefined;
    const estimate = estimateRequest(request.endpoint, request.body, candidate.price, config.platform.default_output_tokens);
    const undo: Step[] = [];
    const settleSteps: ((final: FinalCharge, listMicros: number) => Promise<unknown>)[] = [];
    const headers: Record<string, string> = {};
    let reservedMicros = 0;
    let finished = false;
    // What this call may still spend, as known at admission: a stream that passes either is cut off (when asked).
    let budgetLeft: { listMicros: number; error: () => GatewayError } | undefined;
    let creditsLeft: { micros: number; error: () => GatewayError } | undefined;
    const giveBack = async () => {
      if (finished) return;
      finished = true;
      for (const step of undo.reverse()) await runStep(step, request, "give back");
    };
    try {
      const teamId = policy.team?.team.id;
      if (rule && teamId) {
        if (rule.require_approval_above !== undefined && estimate.listMicros > usdToMicros(rule.require_approval_above)) {
          await checkApproval(store, { ...request, teamId, estimateMicros: estimate.listMicros, threshold: rule.require_approval_above });
        }
        if (rule.max_cost_per_day !== undefined) {
          const key = `budget:${teamId}:${candidate.provider}:${dayKey(config.budgets.time_zone)}`;
          const granted = await counters.reserve(key, estimate.listMicros, usdToMicros(rule.max_cost_per_day), DAY_TTL_MS);
          if (!granted.granted) {
            throw new GatewayError("budget_exceeded", `Team ${policy.team?.team.name} has reached its daily budget of $${rule.max_cost_per_day} for ${candidate.provider}; it resets at midnight (${config.budgets.time_zone}).`);
          }
          undo.push(() => counters.add(key, -estimate.listMicros, DAY_TTL_MS));
          settleSteps.push((_final, listMicros) => counters.add(key, listMicros - estimate.listMicros, DAY_TTL_MS));
          const cap = usdToMicros(rule.max_cost_per_day);
          budgetLeft = {
            listMicros: cap - (granted.value - estimate.listMicros),
            error: () => new GatewayError("budget_exceeded", `This answer was stopped: it reached the daily budget of $${rule.max_cost_per_day} of team ${policy.team?.team.name} for ${candidate.provider}.`),
          };
        }
      }
      if (platform) {
        const window = Math.floor(Date.now() / MINUTE_MS);
        if (limits?.rpm !== undefined) {
          const key = `rpm:${request.accountId}:${window}`;
          const granted = await counters.reserve(key, 1, limits.rpm, MINUTE_MS);
          if (!granted.granted) throw rateLimited("requests", limits.rpm, granted.ttlMs);
          headers["x-ratelimit-limit-requests"] = String(limits.rpm);
          headers["x-ratelimit-remaining-requests"] = String(Math.max(0, limits.rpm - granted.value));
          undo.push(() => counters.add(key, -1, MINUTE_MS));
        }
        if (limits?.tpm !== undefined) {
          const key = `tpm:${request.accountId}:${window}`;
          const tokens = estimate.inputTokens + estimate.outputTokens;
          const granted = await counters.reserve(key, tokens, limits.tpm, MINUTE_MS);
          if (!granted.granted) throw rateLimited("tokens", limits.tpm, granted.ttlMs);
          headers["x-ratelimit-limit-tokens"] = String(limits.tpm);
          headers["x-ratelimit-remaining-tokens"] = String(Math.max(0, limits.tpm - granted.value));
          undo.push(() => counters.add(key, -tokens, MINUTE_MS));
          settleSteps.push((final) => counters.add(key, final.inputTokens + final.outputTokens - tokens, MINUTE_MS));
        }
        const micros = costMicros(candidate.price, estimate.inputTokens, estimate.outputTokens, markupBps);
        const { id, balance } = await reserveCredits(request, micros);
        reservedMicros = micros;
        creditsLeft = {
          micros: balance + micros,
          error: () => new GatewayError("insufficient_credits", `This answer was stopped: it used up this account's credits (${usd(balance + micros)} when it started). Add credits, or send your own provider key.`),
        };
        undo.push(() => store.creditReservations.settle(id, 0));
        settleSteps.push(async (final) => {
          const settled = await store.creditReservations.settle(id, final.chargedMicros);
          if (settled && final.chargedMicros > settled.reservedMicros) reportOvershoot(request, settled.reservedMicros, final.chargedMicros, settled.balance);
        });
      }
    } catch (error) {
      await giveBack();
      throw error;
    }
    return {
      headers,
      reservedMicros,
      price: (inputTokens, outputTokens, cache) => (platform ? costMicros(candidate.price, inputTokens, outputTokens, markupBps, cache) : 0),
      overLimit:
        budgetLeft || creditsLeft
          ? (inputTokens, outputTokens) => {
              if (budgetLeft && costMicros(candidate.price, inputTokens, outputTokens) > budgetLeft.listMicros) return budgetLeft.error();
              if (creditsLeft && costMicros(candidate.price, inputTokens, outputTokens, markupBps) > creditsLeft.micros) return creditsLeft.error();
              return undefined;
            }
          : undefined,
      async settle(final) {
        if (finished) return;
        finished = true;
        const listMicros = costMicros(candidate.price, final.inputTokens, final.outputTokens, 0, final.cache);
        // Each step on its own: a counter Redis cannot take now (it expires with its window) leaves the credits' settled.
        for (const step of settleSteps) await runStep(() => step(final, listMicros), request, "settle");
      },
      release: giveBack,
    };
  }

  return { reserves, admit };
}

function rateLimited(what: "requests" | "tokens", limit: number, ttlMs: number): GatewayError {
  return new GatewayError("rate_limited", `This account may send ${limit} ${what} a minute on platform keys. Wait, or send your own provider key (BYOK is not limited).`, {
    retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)),
  });
}

export type AdmissionControl = ReturnType<typeof createAdmission>;
