// Admission of one candidate before its first attempt: team approvals and daily budgets (any key),
// then platform rate limits and credits (platform keys only). Everything reserved is settled with the
// real usage afterwards, or given back when the attempts fail.
import type { ResolvedConfig } from "../config/validate.ts";
import { GatewayError } from "../errors.ts";
import type { Admission } from "../gateway/execute.ts";
import type { Candidate, EndpointName } from "../plugins/sdk.ts";
import type { Store } from "../store/store.ts";
import type { CallPolicy } from "../teams/policy.ts";
import { costMicros } from "../usage/prices.ts";
import type { Counters } from "./counters.ts";
import { dayKey } from "./day-key.ts";
import { estimateRequest } from "./estimate.ts";
import { checkApproval } from "./approval-gate.ts";

export interface AdmissionRequest {
  candidate: Candidate;
  body: Record<string, unknown>;
  endpoint: EndpointName;
  accountId: string;
  keyId: string;
  policy: CallPolicy;
  approvalId?: string;
}

const DAY_TTL_MS = 26 * 3_600_000;
const MINUTE_MS = 60_000;
const toMicros = (usd: number) => Math.round(usd * 1_000_000);

type Undo = () => Promise<unknown>;

export function createAdmission(config: ResolvedConfig, counters: Counters, store: Store) {
  const markup = 1 + config.platform.markup_percent / 100;
  const limits = config.platform.rate_limits;

  async function admit(request: AdmissionRequest): Promise<Admission | undefined> {
    const { candidate, policy } = request;
    const rule = policy.team?.permissions.providers?.[candidate.provider];
    // The common BYOK call outside any team rule reserves nothing: skip the estimate entirely.
    if (candidate.keySource !== "platform" && rule?.max_cost_per_day === undefined && rule?.require_approval_above === undefined) return undefined;
    const estimate = estimateRequest(request.endpoint, request.body, candidate.price, config.platform.default_output_tokens);
    const undo: Undo[] = [];
    const settleSteps: ((listMicros: number, tokens: number) => Promise<unknown>)[] = [];
    const headers: Record<string, string> = {};
    const giveBack = async () => {
      for (const step of undo.reverse()) await step();
    };
    try {
      const teamId = policy.team?.team.id;
      if (rule && teamId) {
        if (rule.require_approval_above !== undefined && estimate.listMicros > toMicros(rule.require_approval_above)) {
          await checkApproval(store, { ...request, teamId, estimateMicros: estimate.listMicros, threshold: rule.require_approval_above });
        }
        if (rule.max_cost_per_day !== undefined) {
          const key = `budget:${teamId}:${candidate.provider}:${dayKey(config.budgets.time_zone)}`;
          const granted = await counters.reserve(key, estimate.listMicros, toMicros(rule.max_cost_per_day), DAY_TTL_MS);
          if (!granted.granted) {
            throw new GatewayError("budget_exceeded", `Team ${policy.team?.team.name} has reached its daily budget of $${rule.max_cost_per_day} for ${candidate.provider}; it resets at midnight (${config.budgets.time_zone}).`);
          }
          undo.push(() => counters.add(key, -estimate.listMicros, DAY_TTL_MS));
          settleSteps.push((listMicros) => counters.add(key, listMicros - estimate.listMicros, DAY_TTL_MS));
        }
      }
      if (candidate.keySource === "platform") {
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
          settleSteps.push((_list, actual) => counters.add(key, actual - tokens, MINUTE_MS));
        }
        if (!candidate.price) {
          throw new GatewayError("invalid_request", `No price is known for ${candidate.provider}/${candidate.model}, so platform keys cannot be charged for it. Send your own key, or ask the operator to add its price to providers.${candidate.provider}.models.`, { param: "model" });
        }
        const reserved = Math.ceil(estimate.listMicros * markup);
        const credits = await store.accounts.reserveCredits(request.accountId, reserved);
        if (!credits.granted) {
          throw new GatewayError("insufficient_credits", `This account's credits ($${(credits.balance / 1e6).toFixed(6)}) do not cover this request on platform keys (about $${(reserved / 1e6).toFixed(6)}). Add credits, or send your own provider key.`);
        }
        undo.push(() => store.accounts.adjustCredits(request.accountId, reserved));
        settleSteps.push((listMicros) => store.accounts.adjustCredits(request.accountId, reserved - Math.ceil(listMicros * markup)));
      }
    } catch (error) {
      await giveBack();
      throw error;
    }
    return {
      headers,
      async settle(inputTokens, outputTokens) {
        const listMicros = costMicros(candidate.price, inputTokens, outputTokens);
        for (const step of settleSteps) await step(listMicros, inputTokens + outputTokens);
        return candidate.keySource === "platform" ? Math.ceil(listMicros * markup) : 0;
      },
      release: giveBack,
    };
  }

  return { admit };
}

function rateLimited(what: "requests" | "tokens", limit: number, ttlMs: number): GatewayError {
  return new GatewayError("rate_limited", `This account may send ${limit} ${what} a minute on platform keys. Wait, or send your own provider key (BYOK is not limited).`, {
    retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)),
  });
}

export type AdmissionControl = ReturnType<typeof createAdmission>;
