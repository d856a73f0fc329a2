// Store contract, part: teams and members, approvals, request logs.
import { describe, expect, test } from "bun:test";
import type { ApiKeyRecord } from "../../../src/store/repositories/api-keys.ts";
import type { ApprovalRecord } from "../../../src/store/repositories/approvals.ts";
import type { TeamMemberRecord, TeamRecord } from "../../../src/store/repositories/teams.ts";
import type { Store } from "../../../src/store/store.ts";

function memberKey(accountId: string, teamId: string, id: string): ApiKeyRecord {
  return {
    id, accountId, teamId, name: `member ${id}`, role: "developer", operator: false, digest: `digest-${id}`, prefix: "kw_m",
    ipAllowlist: null, expiresAt: null, revokedAt: null, createdAt: 1_000,
  };
}

function member(teamId: string, id: string, apiKeyId: string, role: TeamMemberRecord["role"] = "developer"): TeamMemberRecord {
  return { id, teamId, email: `${id}@example.com`, role, byokAccess: role === "admin", apiKeyId, createdAt: 1_000 };
}

export function teamsContract(store: () => Store): void {
  describe("teams", () => {
    test("create writes the team, its members and their keys; get, members and memberByKey read them back", async () => {
      const account = await store().accounts.create("teams");
      const team: TeamRecord = {
        id: "team_c", accountId: account.id, name: "core", permissions: { providers: ["openai"] }, usageControls: { monthly_budget: 5 },
        ipAllowlist: ["10.0.0.1"], createdAt: 1_000,
      };
      await store().teams.create(team, [member("team_c", "m1", "k_m1", "admin"), member("team_c", "m2", "k_m2")], [
        memberKey(account.id, "team_c", "k_m1"),
        memberKey(account.id, "team_c", "k_m2"),
      ]);
      expect(await store().teams.get("team_c")).toEqual(team);
      expect((await store().teams.members("team_c")).sort((a, b) => a.id.localeCompare(b.id))).toEqual([
        member("team_c", "m1", "k_m1", "admin"),
        member("team_c", "m2", "k_m2"),
      ]);
      expect(await store().teams.memberByKey("k_m2")).toEqual(member("team_c", "m2", "k_m2"));
      expect(await store().teams.memberByKey("k_none")).toBeUndefined();
      expect(await store().apiKeys.get("k_m1")).toEqual(memberKey(account.id, "team_c", "k_m1"));
      expect(await store().teams.get("team_none")).toBeUndefined();
    });

    test("addMembers adds members with their keys; update changes only the given fields", async () => {
      const account = await store().accounts.create("teams update");
      await store().teams.create({ id: "team_u", accountId: account.id, name: "u", permissions: {}, usageControls: {}, ipAllowlist: null, createdAt: 1 }, [], []);
      await store().teams.addMembers([], []);
      await store().teams.addMembers([member("team_u", "m3", "k_m3")], [memberKey(account.id, "team_u", "k_m3")]);
      expect((await store().teams.members("team_u")).map((m) => m.id)).toEqual(["m3"]);
      await store().teams.update("team_u", { name: "renamed", usageControls: { log_all_requests: true } });
      expect(await store().teams.get("team_u")).toEqual({
        id: "team_u", accountId: account.id, name: "renamed", permissions: {}, usageControls: { log_all_requests: true }, ipAllowlist: null, createdAt: 1,
      });
    });

    test("list reads the teams of every account, of one account, or the one team, oldest first", async () => {
      const a = await store().accounts.create("teams list a");
      const b = await store().accounts.create("teams list b");
      const team = (id: string, accountId: string, createdAt: number): TeamRecord => ({ id, accountId, name: id, permissions: {}, usageControls: {}, ipAllowlist: null, createdAt });
      await store().teams.create(team("team_l2", a.id, 20), [], []);
      await store().teams.create(team("team_l1", a.id, 10), [], []);
      await store().teams.create(team("team_l3", b.id, 5), [], []);
      expect((await store().teams.list({ accountId: a.id })).map((t) => t.id)).toEqual(["team_l1", "team_l2"]);
      expect((await store().teams.list({ accountId: a.id, teamId: "team_l2" })).map((t) => t.id)).toEqual(["team_l2"]);
      expect(await store().teams.list({ accountId: b.id, teamId: "team_l2" })).toEqual([]);
      const every = (await store().teams.list()).map((t) => t.id);
      expect(every).toContain("team_l3");
      expect(every.indexOf("team_l3")).toBeLessThan(every.indexOf("team_l1"));
    });

    test("updateMember changes the member and its key's role together; removeMember deletes it and revokes its key", async () => {
      const account = await store().accounts.create("teams members");
      await store().teams.create({ id: "team_m", accountId: account.id, name: "m", permissions: {}, usageControls: {}, ipAllowlist: null, createdAt: 1 },
        [member("team_m", "m6", "k_m6"), member("team_m", "m7", "k_m7")],
        [memberKey(account.id, "team_m", "k_m6"), memberKey(account.id, "team_m", "k_m7")]);
      expect(await store().teams.updateMember("team_m", "m6", { role: "viewer" })).toEqual({ member: { ...member("team_m", "m6", "k_m6"), role: "viewer" }, digest: "digest-k_m6" });
      expect((await store().apiKeys.get("k_m6"))?.role).toBe("viewer");
      expect(await store().teams.updateMember("team_m", "m6", { byokAccess: true })).toEqual({ member: { ...member("team_m", "m6", "k_m6"), role: "viewer", byokAccess: true }, digest: "digest-k_m6" });
      expect(await store().teams.memberByKey("k_m6")).toEqual({ ...member("team_m", "m6", "k_m6"), role: "viewer", byokAccess: true });
      // Another team's id does not reach the member.
      expect(await store().teams.updateMember("team_other", "m6", { role: "admin" })).toBeUndefined();
      expect(await store().teams.removeMember("team_other", "m7")).toBeUndefined();

      expect(await store().teams.removeMember("team_m", "m7", 77)).toEqual({ member: member("team_m", "m7", "k_m7"), digest: "digest-k_m7" });
      expect((await store().apiKeys.get("k_m7"))?.revokedAt).toBe(77);
      expect((await store().teams.members("team_m")).map((m) => m.id)).toEqual(["m6"]);
      expect(await store().teams.removeMember("team_m", "m7")).toBeUndefined();
      // A member whose key was revoked already: removed, no digest to forget.
      await store().apiKeys.revoke("k_m6", 80);
      expect(await store().teams.removeMember("team_m", "m6", 90)).toEqual({ member: { ...member("team_m", "m6", "k_m6"), role: "viewer", byokAccess: true }, digest: null });
      expect((await store().apiKeys.get("k_m6"))?.revokedAt).toBe(80);
    });

    test("delete removes the team and its members and revokes its live keys, returning their digests", async () => {
      const account = await store().accounts.create("teams delete");
      await store().teams.create({ id: "team_d", accountId: account.id, name: "d", permissions: {}, usageControls: {}, ipAllowlist: null, createdAt: 1 },
        [member("team_d", "m4", "k_m4"), member("team_d", "m5", "k_m5")],
        [memberKey(account.id, "team_d", "k_m4"), memberKey(account.id, "team_d", "k_m5")]);
      await store().apiKeys.revoke("k_m5", 50);
      expect(await store().teams.delete("team_d", 99)).toEqual(["digest-k_m4"]);
      expect(await store().teams.get("team_d")).toBeUndefined();
      expect(await store().teams.members("team_d")).toEqual([]);
      expect((await store().apiKeys.get("k_m4"))?.revokedAt).toBe(99);
      expect((await store().apiKeys.get("k_m5"))?.revokedAt).toBe(50);
    });
  });

  describe("approvals", () => {
    const pending: ApprovalRecord = {
      id: "apr_1", teamId: "team_a", accountId: "acc_a", requestedBy: "k_req", provider: "openai", model: "gpt-4o",
      estimatedCostMicros: 5_000_000, status: "pending", approvedBy: null, createdAt: 1_000, decidedAt: null,
    };

    test("pending -> approved once -> used once, by its own team and requester only", async () => {
      await store().approvals.create(pending);
      expect(await store().approvals.get("apr_1")).toEqual(pending);
      expect(await store().approvals.consume("apr_1", "team_a", "k_req")).toBeUndefined();
      expect(await store().approvals.approve("apr_1", "k_admin", 2_000)).toBe(true);
      expect(await store().approvals.approve("apr_1", "k_admin", 3_000)).toBe(false);
      expect(await store().approvals.approve("apr_none", "k_admin")).toBe(false);
      expect(await store().approvals.consume("apr_1", "team_a", "k_other")).toBeUndefined();
      expect(await store().approvals.consume("apr_1", "team_b", "k_req")).toBeUndefined();
      const used: ApprovalRecord = { ...pending, status: "used", approvedBy: "k_admin", decidedAt: 2_000 };
      expect(await store().approvals.consume("apr_1", "team_a", "k_req")).toEqual(used);
      expect(await store().approvals.consume("apr_1", "team_a", "k_req")).toBeUndefined();
      expect(await store().approvals.get("apr_1")).toEqual(used);
    });

    test("list answers one status of an account or team, newest first, up to the limit", async () => {
      const row = (id: string, teamId: string, accountId: string, createdAt: number): ApprovalRecord => ({ ...pending, id, teamId, accountId, createdAt });
      for (const record of [row("apr_l1", "team_x", "acc_l", 10), row("apr_l2", "team_y", "acc_l", 30), row("apr_l3", "team_x", "acc_l", 20), row("apr_l4", "team_z", "acc_other", 40)]) {
        await store().approvals.create(record);
      }
      await store().approvals.approve("apr_l3", "k_admin", 50);
      const ids = async (q: Parameters<Store["approvals"]["list"]>[0]) => (await store().approvals.list(q)).map((a) => a.id);
      expect(await ids({ accountId: "acc_l", status: "pending", limit: 10 })).toEqual(["apr_l2", "apr_l1"]);
      expect(await ids({ accountId: "acc_l", teamId: "team_x", status: "pending", limit: 10 })).toEqual(["apr_l1"]);
      expect(await ids({ accountId: "acc_l", status: "approved", limit: 10 })).toEqual(["apr_l3"]);
      expect(await ids({ accountId: "acc_l", status: "pending", limit: 1 })).toEqual(["apr_l2"]);
      expect((await ids({ status: "pending", limit: 10 })).filter((id) => id.startsWith("apr_l"))).toEqual(["apr_l4", "apr_l2", "apr_l1"]);
      expect(await ids({ accountId: "acc_none", status: "pending", limit: 10 })).toEqual([]);
    });
  });

  describe("request logs", () => {
    test("insertMany writes bodies as JSON; list reads a team's logs back, newest first, up to the limit", async () => {
      await store().requestLogs.insertMany([]);
      const base = { requestId: "req", apiKeyId: "k_l", endpoint: "/v1/chat/completions", status: 200, createdAt: 1_000 };
      await store().requestLogs.insertMany([
        { ...base, teamId: "team_l", requestId: "req_1", request: { messages: [{ role: "user", content: "hi" }] }, response: { id: "r1" } },
        { ...base, teamId: "team_l", requestId: "req_2", provider: "openai", model: "gpt-4o", projectTag: "p" },
        { ...base, teamId: "team_other", requestId: "req_3" },
      ]);
      const logs = await store().requestLogs.list("team_l", 10);
      expect(logs.map((l) => l.requestId)).toEqual(["req_2", "req_1"]);
      expect(logs[1]).toEqual({
        ...base, id: logs[1]?.id ?? -1, teamId: "team_l", requestId: "req_1", projectTag: null, provider: null, model: null,
        request: { messages: [{ role: "user", content: "hi" }] }, response: { id: "r1" },
      });
      expect(logs[0]).toMatchObject({ provider: "openai", model: "gpt-4o", projectTag: "p", request: null, response: null });
      expect((await store().requestLogs.list("team_l", 1)).map((l) => l.requestId)).toEqual(["req_2"]);
    });
  });
}
