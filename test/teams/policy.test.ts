// The team policy of a call: at once for a call outside any team, from the team directory for a team's call, and the
// refusals that come before any team is read.
import { describe, expect, test } from "bun:test";
import type { Principal } from "../../src/core/principal.ts";
import { GatewayError } from "../../src/core/errors.ts";
import { evaluatePolicy } from "../../src/teams/policy.ts";
import type { TeamContext, TeamDirectory } from "../../src/teams/team-directory.ts";

const PRINCIPAL: Principal = { keyId: "key_1", accountId: "acct_1", teamId: null, role: "developer", operator: false, ipAllowlist: null };

function directory(teams: Record<string, TeamContext>): TeamDirectory & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    team: async (id: string) => {
      asked.push(id);
      return teams[id];
    },
    member: async () => undefined,
    invalidate: () => {},
  };
}

const TEAM = {
  team: { id: "team_1", accountId: "acct_1", name: "Blue", ipAllowlist: null },
  permissions: {},
  controls: { require_project_tag: true, allowed_projects: ["alpha"] },
} as unknown as TeamContext;

function refusal(run: () => unknown): GatewayError | undefined {
  try {
    run();
  } catch (error) {
    return error as GatewayError;
  }
  return undefined;
}

describe("evaluatePolicy", () => {
  test("a call outside any team has its policy at once, without asking the directory", () => {
    const teams = directory({ team_1: TEAM });
    const policy = evaluatePolicy({ principal: PRINCIPAL, headers: new Headers() }, { model: "gpt-4o" }, teams);
    expect(policy).not.toBeInstanceOf(Promise);
    expect(policy).toEqual({ storedKeysAllowed: true });
    expect(teams.asked).toEqual([]);
  });

  test("a team's call is read from the directory and checked (project tag)", async () => {
    const teams = directory({ team_1: TEAM });
    const admin = { ...PRINCIPAL, role: "admin" as const };
    const tagged = evaluatePolicy({ principal: admin, headers: new Headers({ "x-team-id": "team_1", "x-project-tag": "alpha" }) }, {}, teams);
    expect(tagged).toBeInstanceOf(Promise);
    expect(await tagged).toMatchObject({ team: TEAM, projectTag: "alpha", storedKeysAllowed: true });
    const untagged = evaluatePolicy({ principal: admin, headers: new Headers({ "x-team-id": "team_1" }) }, {}, teams);
    await expect(untagged).rejects.toMatchObject({ code: "project_tag_required" });
    expect(teams.asked).toEqual(["team_1", "team_1"]);
  });

  test("a viewer key, and a developer key naming a team, are refused before any team is read", () => {
    const teams = directory({ team_1: TEAM });
    expect(refusal(() => evaluatePolicy({ principal: { ...PRINCIPAL, role: "viewer" }, headers: new Headers() }, {}, teams))?.code).toBe("permission_denied");
    expect(refusal(() => evaluatePolicy({ principal: PRINCIPAL, headers: new Headers({ "x-team-id": "team_1" }) }, {}, teams))?.code).toBe("permission_denied");
    expect(teams.asked).toEqual([]);
  });
});
