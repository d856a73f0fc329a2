// The signals bus contract: what changed (so caches drop what it touches), published by the replica that made the
// change and delivered to every subscriber of every replica, this one included.

/** A change that makes cached copies stale. Carries no key material: keyway keys travel as their SHA-256 digests. */
export type Signal =
  /** keyway keys revoked or created: forget the cached lookups of these digests. */
  | { kind: "api_keys"; digests: string[] }
  /** A team or its members changed, or a team was deleted. */
  | { kind: "teams" }
  /** Stored provider keys added, rotated, retired or removed. */
  | { kind: "stored_keys" }
  /** Signals may have been missed (the bus lost its connection): drop every cached entry. */
  | { kind: "everything" };

export type SignalHandler = (signal: Signal) => void;

export interface SignalBus {
  /** Delivers to this replica's subscribers at once, then to every other replica; never throws, never waits. */
  publish(signal: Signal): void;
  /** Calls `handler` for each signal from any replica; returns the unsubscribe. */
  subscribe(handler: SignalHandler): () => void;
  /** Stops delivery and closes connections. */
  close(): Promise<void>;
}

const DIGEST = /^[0-9a-f]{64}$/;

/** The signal carried by untrusted input (a message off the wire), or undefined when it is not a well-formed one. */
export function parseSignal(value: unknown): Signal | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const kind = (value as { kind?: unknown }).kind;
  if (kind === "teams" || kind === "stored_keys" || kind === "everything") return { kind };
  if (kind === "api_keys") {
    const digests = (value as { digests?: unknown }).digests;
    if (!Array.isArray(digests) || !digests.every((d) => typeof d === "string" && DIGEST.test(d))) return undefined;
    return { kind, digests: digests as string[] };
  }
  return undefined;
}
