// What each signal drops: the keyway key lookups, the team directory, the stored-key lists.
import type { Signal, SignalHandler } from "./signal.ts";

export interface InvalidatedCaches {
  /** Cached keyway key lookups, by digest. */
  keys: { forget(digests: readonly string[]): void; forgetAll(): void };
  /** Teams and team members. */
  teams: { invalidate(): void };
  /** Lists of stored provider keys. */
  storedKeys: { invalidate(): void };
}

export function invalidateCaches(caches: InvalidatedCaches): SignalHandler {
  return (signal: Signal) => {
    switch (signal.kind) {
      case "api_keys":
        caches.keys.forget(signal.digests);
        return;
      case "teams":
        caches.teams.invalidate();
        return;
      case "stored_keys":
        caches.storedKeys.invalidate();
        return;
      case "everything":
        caches.keys.forgetAll();
        caches.teams.invalidate();
        caches.storedKeys.invalidate();
        return;
    }
  };
}
