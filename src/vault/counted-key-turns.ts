// A KeyTurns driver that also reports each cooldown it is asked to set (the key cooldown metric).
import type { KeyTurns } from "./key-turns.ts";

export function countingCooldowns(turns: KeyTurns, cooledDown: (() => void) | undefined): KeyTurns {
  if (!cooledDown) return turns;
  return {
    take: (group, keyIds) => turns.take(group, keyIds),
    coolDown: (keyId, until) => {
      cooledDown();
      return turns.coolDown(keyId, until);
    },
    close: () => turns.close(),
  };
}
