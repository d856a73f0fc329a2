// The gate in front of every routing strategy, built-in or plugin: candidates of disabled providers (and of
// providers without the endpoint) are left out before `plan` sees them; the others carry their health view (the
// provider's, and a stored key's own). `plan` may be async; the gate adds no promise of its own.
import { GatewayError } from "../core/errors.ts";
import type { ProviderSet } from "../core/provider-set.ts";
import type { Candidate, EndpointName, RoutingStrategy } from "../plugins/sdk.ts";
import type { HealthMonitor } from "./monitor.ts";
import { canProbe } from "./probes.ts";

export function gateStrategy(strategy: RoutingStrategy, monitor: HealthMonitor, providers: ProviderSet): RoutingStrategy {
  return {
    name: strategy.name,
    plan(request, offered) {
      const candidates = servingEndpoint(offered, request.endpoint, providers);
      const admitted: Candidate[] = [];
      // The health verdict of each provider, asked once per call (asking may start a trial): the last provider's
      // alone while the candidates name one, every provider's once they name several.
      let lastProvider: string | undefined;
      let lastAdmits = false;
      let verdicts: Map<string, boolean> | undefined;
      for (const candidate of candidates) {
        if (candidate.provider !== lastProvider) {
          if (lastProvider !== undefined) (verdicts ??= new Map()).set(lastProvider, lastAdmits);
          const known = verdicts?.get(candidate.provider);
          lastAdmits = known ?? monitor.admits(candidate.provider, canProbe(providers.get(candidate.provider)));
          lastProvider = candidate.provider;
        }
        if (!lastAdmits) continue;
        candidate.health = monitor.candidateHealth(candidate);
        admitted.push(candidate);
      }
      if (admitted.length === 0 && candidates.length > 0) throw allDisabled([...new Set(candidates.map((c) => c.provider))], monitor);
      return strategy.plan(request, admitted);
    },
  };
}

function serves(candidate: Candidate, endpoint: EndpointName, providers: ProviderSet): boolean {
  return providers.get(candidate.provider)?.adapter.endpoints[endpoint] !== undefined;
}

/** Candidates whose adapter offers the endpoint; all of them when none does (the executor then says why). */
function servingEndpoint(candidates: readonly Candidate[], endpoint: EndpointName, providers: ProviderSet): readonly Candidate[] {
  let serving: Candidate[] | undefined;
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i] as Candidate;
    if (serves(candidate, endpoint, providers)) serving?.push(candidate);
    else serving ??= candidates.slice(0, i);
  }
  return serving === undefined ? candidates : serving.length > 0 ? serving : candidates;
}

export function gateStrategies(strategies: ReadonlyMap<string, RoutingStrategy>, monitor: HealthMonitor, providers: ProviderSet): Map<string, RoutingStrategy> {
  return new Map([...strategies].map(([name, strategy]) => [name, gateStrategy(strategy, monitor, providers)]));
}

function allDisabled(names: string[], monitor: HealthMonitor): GatewayError {
  const reasons = names.map((name) => `${name}: ${monitor.disabled(name)?.disabledReason ?? "disabled"}`).join("; ");
  const every = monitor.settings().check_interval;
  return new GatewayError(
    "upstream_error",
    `Every provider that could serve this request is disabled by the health monitor (${reasons}). keyway checks again every ${every} s and routes to a provider as soon as it answers; retry later or name another model.`,
    { retryAfterSeconds: every },
  );
}
