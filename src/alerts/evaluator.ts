// Decides which alerts fire, from the hourly usage rollups: a threshold alert when its period's BYOK cost reaches the
// threshold, an anomaly alert when an hour leaves the account's robust baseline or a provider or model appears that
// the account never used. Each finding names the window it is claimed under; the service claims and notifies.
import type { AlertRecord, AlertsRepo } from "../store/repositories/alerts.ts";
import { microsToUsd } from "../usage/money.ts";
import { BASELINE_HOURS, type Baseline, baselineOf, SENSITIVITY_RULES, withZeros } from "./baseline.ts";
import { type AlertWindow, epochHour, HOUR_MS, hoursOf, periodWindow, previousWindow } from "./windows.ts";

/** An alert's reason to fire in one window, with the figures that say why (no key material: ids and numbers). */
export interface Finding {
  window: AlertWindow;
  figures: Record<string, unknown>;
}

export interface EvaluatorDeps {
  repo: AlertsRepo;
  /** budgets.time_zone: the calendar of daily and monthly periods. */
  timeZone: string;
}

const hourWindow = (key: string, hour: number): AlertWindow => ({ key, from: hour * HOUR_MS, to: (hour + 1) * HOUR_MS });

function spikeFigures(observed: number, baseline: Baseline, money: boolean) {
  const show = (value: number) => (money ? microsToUsd(Math.round(value)) : value);
  return { observed: show(observed), median: show(baseline.median), mad: show(baseline.mad), limit: show(baseline.limit), exceeded: observed > baseline.limit };
}

export function createEvaluator(deps: EvaluatorDeps) {
  const { repo, timeZone } = deps;
  /** Provider/model pairs already seen to be old for an alert's scope: no need to ask the store again. */
  const knownPairs = new Set<string>();

  async function threshold(alert: AlertRecord, now: number): Promise<Finding[]> {
    if (alert.period === null || alert.thresholdMicros === null) return [];
    const current = periodWindow(alert.period, timeZone, now);
    const previous = previousWindow(alert.period, timeZone, current);
    // The period just ended too (an evaluation may have been missed at its end), unless it ended before the alert existed.
    const windows = previous.to > alert.createdAt ? [previous, current] : [current];
    const found: Finding[] = [];
    for (const window of windows) {
      const { fromHour, toHour } = hoursOf(window);
      const observed = await repo.byokCost(alert.accountId, fromHour, toHour, { teamId: alert.teamId ?? undefined, provider: alert.provider ?? undefined });
      if (observed < alert.thresholdMicros) continue;
      found.push({
        window,
        figures: {
          metric: "byok_cost",
          period: alert.period,
          provider: alert.provider,
          observed_usd: microsToUsd(observed),
          threshold_usd: microsToUsd(alert.thresholdMicros),
        },
      });
    }
    return found;
  }

  /** The current hour (so far) and the one before, each against the 7 days before it. */
  async function spikes(alert: AlertRecord, now: number): Promise<Finding[]> {
    const rule = SENSITIVITY_RULES[alert.sensitivity ?? "medium"];
    const current = epochHour(now);
    const first = current - 1 - BASELINE_HOURS;
    const hourly = await repo.byokHourly(alert.accountId, first, current + 1, { teamId: alert.teamId ?? undefined });
    const found: Finding[] = [];
    for (const hour of [current - 1, current]) {
      if ((hour + 1) * HOUR_MS <= alert.createdAt) continue;
      const requests = withZeros(hourly, hour - BASELINE_HOURS, BASELINE_HOURS, (row) => row.requests);
      const cost = withZeros(hourly, hour - BASELINE_HOURS, BASELINE_HOURS, (row) => row.costMicros);
      const observed = hourly.find((row) => row.hour === hour) ?? { requests: 0, costMicros: 0 };
      const requestsBaseline = baselineOf(requests, rule, rule.minRequests);
      const costBaseline = baselineOf(cost, rule, rule.minCostMicros);
      const exceeded = [
        ...(observed.requests > requestsBaseline.limit ? ["requests"] : []),
        ...(observed.costMicros > costBaseline.limit ? ["cost"] : []),
      ];
      if (exceeded.length === 0) continue;
      found.push({
        window: hourWindow(`spike:${hour}`, hour),
        figures: {
          reason: "spike",
          sensitivity: alert.sensitivity,
          exceeded,
          requests: spikeFigures(observed.requests, requestsBaseline, false),
          cost_usd: spikeFigures(observed.costMicros, costBaseline, true),
          baseline_hours: BASELINE_HOURS,
        },
      });
    }
    return found;
  }

  /** Providers and models first used (by the account, or the alert's team) in this hour or the one before. */
  async function newcomers(alert: AlertRecord, now: number): Promise<Finding[]> {
    const current = epochHour(now);
    const from = Math.max(current - 1, epochHour(alert.createdAt));
    const teamId = alert.teamId ?? undefined;
    const pairs = await repo.byokPairs(alert.accountId, from, current + 1, { teamId });
    const found: Finding[] = [];
    const providerKnown = (provider: string) => alert.knownPairs.some((pair) => pair.provider === provider);
    const pairKnown = (provider: string, model: string) => alert.knownPairs.some((pair) => pair.provider === provider && pair.model === model);
    for (const { provider, model, firstHour } of pairs) {
      if (provider === "") continue;
      const known = `${alert.id}|${provider}|${model}`;
      if (knownPairs.has(known) || pairKnown(provider, model)) continue;
      if (!providerKnown(provider) && !(await repo.byokUsedBefore(alert.accountId, firstHour, { provider, teamId }))) {
        found.push({ window: hourWindow(`new_provider:${provider}`, firstHour), figures: { reason: "new_provider", provider, model } });
      } else if (model !== "" && !(await repo.byokUsedBefore(alert.accountId, firstHour, { provider, model, teamId }))) {
        found.push({ window: hourWindow(`new_model:${provider}/${model}`, firstHour), figures: { reason: "new_model", provider, model } });
      } else {
        // Used before this window: old for good. (A new one is found again until its window passes; its claim holds it to one firing.)
        knownPairs.add(known);
      }
    }
    return found;
  }

  return {
    /** What `alert` finds at `now` (epoch ms); the same finding comes back each time until its window is over. */
    async evaluate(alert: AlertRecord, now: number): Promise<Finding[]> {
      if (alert.type === "byok_cost_threshold") return threshold(alert, now);
      return [...(await spikes(alert, now)), ...(await newcomers(alert, now))];
    },
    /** Forgets what was learnt about an alert (deleted). */
    forget(alertId: string): void {
      for (const key of knownPairs) if (key.startsWith(`${alertId}|`)) knownPairs.delete(key);
    },
  };
}

export type Evaluator = ReturnType<typeof createEvaluator>;
