// Fixed candidate sets for strategy tests: targets of the `gpt-4` group with keys of every source.
import type { Candidate, KeySource, RoutingRequest } from "../../src/plugins/sdk.ts";

export function candidate(provider: string, keySource: KeySource, keyRef: string, extra: Partial<Candidate> = {}): Candidate {
  return { provider, adapter: provider, model: `${provider}-model`, keySource, keyRef, ...extra };
}

export function request(extra: Partial<RoutingRequest> = {}): RoutingRequest {
  return { endpoint: "chat", model: "gpt-4", strategy: "test", useByokOnly: false, fallbackToPlatform: false, ...extra };
}

/** provider:source:ref, the way assertions read a plan. */
export const ids = (plan: readonly Candidate[]) => plan.map((c) => `${c.provider}:${c.keySource}:${c.keyRef}`);

export const price = (input: number, output: number) => ({ price: { input_per_mtok: input, output_per_mtok: output } });

/** openai (request + stored + platform), anthropic (stored + platform), google (platform only). */
export function mixed(): Candidate[] {
  return [
    candidate("openai", "request", "request", price(2.5, 10)),
    candidate("openai", "stored", "pk_o1", price(2.5, 10)),
    candidate("openai", "platform", "0", price(2.5, 10)),
    candidate("anthropic", "stored", "pk_a1", price(3, 15)),
    candidate("anthropic", "platform", "0", price(3, 15)),
    candidate("google", "platform", "0", price(1.25, 10)),
  ];
}
