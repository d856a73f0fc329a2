// Team names for an export's lines: each team read once and kept (a handful per account), a missing team as null.
import type { TeamsRepo } from "../store/repositories/teams.ts";

export interface TeamNames {
  /** Reads the names of the teams not read yet. */
  load(teamIds: Iterable<string | null>): Promise<void>;
  /** The name of a loaded team; null when it is gone (or was never loaded). */
  name(teamId: string): string | null;
}

export function teamNames(teams: Pick<TeamsRepo, "get">): TeamNames {
  const names = new Map<string, string | null>();
  return {
    async load(teamIds) {
      for (const id of teamIds) {
        if (id === null || id === "" || names.has(id)) continue;
        names.set(id, (await teams.get(id))?.name ?? null);
      }
    },
    name: (teamId) => names.get(teamId) ?? null,
  };
}
