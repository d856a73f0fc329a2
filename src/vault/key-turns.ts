// Whose turn it is among an account's stored keys for a provider, and which keys are cooling down after a provider's
// Retry-After: the state behind stored-key-source.ts's ordering. One contract, two drivers: this memory driver (one
// gateway: today's behaviour) and Redis (redis-key-turns.ts: shared, so a key cooling down on one replica is not
// used by another, and the round robin spreads over the fleet rather than per replica).
export interface KeyTurn {
  /** The turn taken: 0, 1, 2, ... per group (the caller takes it modulo its key count). */
  turn: number;
  /** The ids among those asked about that are cooling down now. */
  cooling: ReadonlySet<string>;
}

export interface KeyTurns {
  /** Takes the next turn of `group` and says which of `keyIds` are cooling down; never rejects. */
  take(group: string, keyIds: readonly string[]): Promise<KeyTurn>;
  /** Keeps `keyId` out of the first places until `until` (epoch ms); never shortens a cooldown under way. */
  coolDown(keyId: string, until: number): Promise<void>;
  close(): Promise<void>;
}

const MAX_GROUPS = 10_000;

export function memoryKeyTurns(now: () => number = Date.now): KeyTurns {
  const turns = new Map<string, number>();
  const cooldowns = new Map<string, number>();
  return {
    async take(group, keyIds) {
      const turn = turns.get(group) ?? 0;
      if (!turns.has(group) && turns.size >= MAX_GROUPS) turns.delete(turns.keys().next().value as string);
      turns.set(group, turn + 1);
      const at = now();
      const cooling = new Set<string>();
      for (const id of keyIds) {
        const until = cooldowns.get(id);
        if (until === undefined) continue;
        if (until > at) cooling.add(id);
        else cooldowns.delete(id);
      }
      return { turn, cooling };
    },
    async coolDown(keyId, until) {
      cooldowns.set(keyId, Math.max(until, cooldowns.get(keyId) ?? 0));
    },
    async close() {},
  };
}
