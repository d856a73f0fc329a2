// The admission contract: what limits reserved for a candidate, priced and settled with the real usage, or released.
import type { GatewayError } from "./errors.ts";

/** A call's final usage and what its account is charged for it (micro-USD). */
export interface FinalCharge {
  inputTokens: number;
  outputTokens: number;
  /** The input tokens the provider's prompt cache served or stored (parts of inputTokens, priced at their own rates). */
  cache?: PromptCacheTokens;
  chargedMicros: number;
}

/** Input tokens read from (`read`) or written to (`write`) the provider's prompt cache. */
export interface PromptCacheTokens {
  read?: number;
  write?: number;
}

/** What admission reserved for a candidate; priced and settled with the real usage, or released. */
export interface Admission {
  /** Response headers that describe the reservation (X-RateLimit-*). */
  headers?: Record<string, string>;
  /** Credits held for the call, micro-USD (0 unless a platform key pays). */
  reservedMicros: number;
  /** What the account is charged for this usage, micro-USD (0 unless a platform key pays). Pure. */
  price(inputTokens: number, outputTokens: number, cache?: PromptCacheTokens): number;
  /**
   * The error that ends the call once its usage so far passes what it may spend (the team's daily budget left, the
   * account's credits), as known at admission; absent when no limit applies.
   */
  overLimit?(inputTokens: number, outputTokens: number): GatewayError | undefined;
  /**
   * Settles every reservation with the final usage and charge, once (credits: the reservation's row removed and
   * the difference given back or taken, in one transaction). Call it after the usage row is durable.
   */
  settle(final: FinalCharge): Promise<void>;
  /** Gives everything back (the attempts failed). */
  release(): Promise<void>;
}
