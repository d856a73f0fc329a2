// Every cell of the permission table over real HTTP: the expected matrix is written out here (not read from
// the source), each cell runs as a request, allowed cells answer the right data, refused ones the OpenAI error
// shape (403 permission_denied; 404 not_found for things outside the caller's reach) and change nothing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";
import { buildWorld, freshOpenAIKey, unique, WHO, type Who, type World } from "./permissions-world.ts";

// Columns: operator | account admin, developer, viewer | team admin, developer, viewer (team t1).
const OWN = `
api_keys.create            201 201 403 403 201 403 403
api_keys.list              200 200 403 403 200 403 403
api_keys.revoke            200 200 403 403 200 403 403
teams.create               201 201 403 403 403 403 403
teams.read                 200 200 403 403 200 200 200
teams.update               200 200 403 403 200 403 403
teams.delete               200 200 403 403 403 403 403
request_logs.read          200 200 403 403 200 403 403
approvals.approve          200 200 403 403 200 403 403
audit.read                 200 200 403 403 200 403 403
provider_keys.store        201 201 403 403 201 403 403
provider_keys.list         200 200 200 200 200 200 200
provider_keys.remove       200 200 403 403 200 403 403
provider_keys.rotate       200 200 403 403 200 403 403
provider_keys.schedule     201 201 403 403 403 403 403
provider_health.read       200 200 200 200 200 200 200
provider_health.configure  200 403 403 403 403 403 403
accounts.create            201 403 403 403 403 403 403
accounts.read              200 200 403 403 403 403 403
credits.add                200 403 403 403 403 403 403
`;

// Things outside the caller's own team or account. Columns: operator | account admin | team admin.
const ELSEWHERE = `
api_keys.create       other_team     201 201 404
api_keys.create       other_account  201 404 404
api_keys.revoke       other_team     200 200 404
api_keys.revoke       account_level  200 200 404
api_keys.revoke       other_account  200 404 404
teams.read            other_team     200 200 404
teams.read            other_account  200 404 404
teams.update          other_team     200 200 404
teams.update          other_account  200 404 404
teams.delete          other_account  200 404 403
request_logs.read     other_team     200 200 404
request_logs.read     other_account  200 404 404
approvals.approve     other_team     200 200 404
approvals.approve     other_account  200 404 404
audit.read            other_account  200 404 404
provider_keys.store   other_account  201 404 404
provider_keys.list    other_account  200 404 404
provider_keys.remove  other_team     200 200 404
provider_keys.remove  account_level  200 200 404
provider_keys.remove  other_account  200 404 404
accounts.read         other_account  200 404 403
`;

type Target = "own" | "other_team" | "account_level" | "other_account";
interface Cell {
  method: string;
  path: string;
  body?: unknown;
  /** Checks an allowed answer's data. */
  ok(body: Record<string, any>): void | Promise<void>;
  /** Checks that a refused request changed nothing. */
  untouched(): void | Promise<void>;
}
type Case = (w: World, who: Who, target: Target) => Promise<Cell>;

const isTeamRole = (who: Who) => who.startsWith("t");
const ids = (list: { id: string }[]) => list.map((x) => x.id);

const CASES: Record<string, Case> = {
  "api_keys.create": async (w, who, target) => {
    const name = unique("new-key");
    const team = { own: isTeamRole(who) ? undefined : w.t1.id, other_team: w.t2.id, other_account: w.tb.id, account_level: undefined }[target];
    return {
      method: "POST",
      path: "/v1/api-keys",
      body: { name, role: "admin", ...(team ? { team_id: team } : {}), ...(target === "other_account" ? { account_id: w.accountB } : {}) },
      ok: (body) => {
        expect(body).toMatchObject({ name, role: "admin", team_id: team ?? w.t1.id });
        expect(body.key).toMatch(/^kw_/);
      },
      untouched: () => expect(w.row("SELECT id FROM api_keys WHERE name = ?", name)).toBeNull(),
    };
  },
  "api_keys.list": async (w, who) => ({
    method: "GET",
    path: "/v1/api-keys",
    ok: (body) => {
      const rows = body.data as { account_id: string; team_id: string | null }[];
      const teams = new Set(rows.map((r) => r.team_id));
      const accounts = new Set(rows.map((r) => r.account_id));
      if (who === "tA") expect([...teams]).toEqual([w.t1.id]);
      else expect(teams.has(w.t2.id) && teams.has(null)).toBe(true);
      expect(accounts.has(w.accountB)).toBe(who === "op");
      expect(JSON.stringify(body)).not.toContain("digest");
    },
    untouched: () => {},
  }),
  "api_keys.revoke": async (w, who, target) => {
    const where = { own: isTeamRole(who) ? "t1" : "accountA", other_team: "t2", account_level: "accountA", other_account: "b" } as const;
    const victim = await w.freshKey(where[target]);
    const works = async () => (await w.call(victim.key, "GET", "/v1/models")).status;
    return {
      method: "DELETE",
      path: `/v1/api-keys/${victim.id}`,
      ok: async (body) => {
        expect(body).toEqual({ id: victim.id, object: "api_key", deleted: true });
        expect(await works()).toBe(401);
      },
      untouched: async () => {
        expect(w.row("SELECT revoked_at FROM api_keys WHERE id = ?", victim.id)).toEqual({ revoked_at: null });
        expect(await works()).toBe(200);
      },
    };
  },
  "teams.create": async (w) => {
    const name = unique("team");
    return {
      method: "POST",
      path: "/v1/teams",
      body: { name, members: [{ email: "x@y", role: "developer" }] },
      ok: (body) => {
        expect(body).toMatchObject({ name, object: "team", account_id: w.accountA });
        expect(body.members[0].key).toMatch(/^kw_/);
      },
      untouched: () => expect(w.row("SELECT id FROM teams WHERE name = ?", name)).toBeNull(),
    };
  },
  "teams.read": async (w, _who, target) => {
    const team = { own: w.t1, other_team: w.t2, other_account: w.tb, account_level: w.t1 }[target];
    return {
      method: "GET",
      path: `/v1/teams/${team.id}`,
      ok: (body) => {
        expect(body.id).toBe(team.id);
        expect(body.members.map((m: { key_id: string }) => m.key_id)).toEqual(team.members.map((m) => m.key_id));
        expect(JSON.stringify(body)).not.toContain('"key":');
      },
      untouched: () => {},
    };
  },
  "teams.update": async (w, _who, target) => {
    const team = { own: w.t1, other_team: w.t2, other_account: w.tb, account_level: w.t1 }[target];
    const before = w.row("SELECT name FROM teams WHERE id = ?", team.id);
    const name = unique("renamed");
    return {
      method: "PATCH",
      path: `/v1/teams/${team.id}`,
      body: { name },
      ok: (body) => {
        expect(body).toMatchObject({ id: team.id, name });
        expect(w.row("SELECT name FROM teams WHERE id = ?", team.id)).toEqual({ name });
      },
      untouched: () => expect(w.row("SELECT name FROM teams WHERE id = ?", team.id)).toEqual(before),
    };
  },
  "teams.delete": async (w, _who, target) => {
    const id = await w.freshTeam(target === "other_account" ? "b" : "accountA");
    return {
      method: "DELETE",
      path: `/v1/teams/${id}`,
      ok: (body) => {
        expect(body).toEqual({ id, object: "team", deleted: true });
        expect(w.row("SELECT id FROM teams WHERE id = ?", id)).toBeNull();
      },
      untouched: () => expect(w.row("SELECT id FROM teams WHERE id = ?", id)).toEqual({ id }),
    };
  },
  "request_logs.read": async (w, _who, target) => {
    const team = { own: w.t1, other_team: w.t2, other_account: w.tb, account_level: w.t1 }[target];
    return {
      method: "GET",
      path: `/v1/teams/${team.id}/logs`,
      ok: (body) => {
        const text = JSON.stringify(body.data);
        if (team !== w.tb) expect(text).toContain(`logged in ${team.id}`);
        for (const other of [w.t1, w.t2].filter((t) => t !== team)) expect(text).not.toContain(`logged in ${other.id}`);
      },
      untouched: () => {},
    };
  },
  "approvals.approve": async (w, _who, target) => {
    const id = await w.freshApproval(target === "other_team" ? "t2" : target === "other_account" ? "tb" : "t1");
    return {
      method: "POST",
      path: `/v1/approvals/${id}`,
      ok: (body) => {
        expect(body).toMatchObject({ id, object: "approval", status: "approved" });
      },
      untouched: () => expect(w.row("SELECT status FROM approvals WHERE id = ?", id)).toEqual({ status: "pending" }),
    };
  },
  "audit.read": async (w, who, target) => ({
    method: "GET",
    path: target === "other_account" ? `/v1/audit?account_id=${w.accountB}` : "/v1/audit",
    ok: (body) => {
      const rows = body.data as { account_id: string; actor: string; key_id: string | null }[];
      const keys = new Set(rows.map((r) => r.key_id));
      const accounts = new Set(rows.map((r) => r.account_id));
      if (target === "other_account") {
        expect([...accounts]).toEqual([w.accountB]);
        return;
      }
      expect(keys.has(w.stored.t1)).toBe(true);
      expect(keys.has(w.stored.t2)).toBe(who !== "tA");
      expect(accounts.has(w.accountB)).toBe(who === "op");
      // A team admin sees what its team's keys did (their uses of shared keys too) and what its team's stored keys underwent.
      const teamOf = (actor: string) => w.row("SELECT team_id FROM api_keys WHERE id = ?", actor)?.team_id;
      const mine = (r: { actor: string; key_id: string | null }) => teamOf(r.actor) === w.t1.id || r.key_id === w.stored.t1;
      expect(rows.every(mine)).toBe(who === "tA");
    },
    untouched: () => {},
  }),
  "provider_keys.store": async (w, who, target) => {
    const label = unique("label");
    return {
      method: "POST",
      path: "/v1/providers/keys",
      body: { providers: [{ name: "openai", api_key: freshOpenAIKey(), label }], ...(target === "other_account" ? { account_id: w.accountB } : {}) },
      ok: (body) => {
        expect(body.providers[0]).toMatchObject({ label });
        const row = w.row("SELECT account_id, team_id FROM provider_keys WHERE label = ?", label);
        expect(row).toEqual({ account_id: target === "other_account" ? w.accountB : w.accountA, team_id: who === "tA" ? w.t1.id : null });
      },
      untouched: () => expect(w.row("SELECT id FROM provider_keys WHERE label = ?", label)).toBeNull(),
    };
  },
  "provider_keys.list": async (w, who, target) => ({
    method: "GET",
    path: target === "other_account" ? `/v1/providers?account_id=${w.accountB}` : "/v1/providers",
    ok: (body) => {
      const seen = new Set((body.providers as { keys: { id: string }[] }[]).flatMap((p) => ids(p.keys)));
      if (target === "other_account") {
        expect(seen.has(w.stored.b)).toBe(true);
        for (const id of seen) expect(w.row("SELECT account_id FROM provider_keys WHERE id = ?", id)).toEqual({ account_id: w.accountB });
        return;
      }
      expect(seen.has(w.stored.t1) && seen.has(w.stored.accountA)).toBe(true);
      expect(seen.has(w.stored.t2)).toBe(!isTeamRole(who));
      expect(seen.has(w.stored.b)).toBe(false);
    },
    untouched: () => {},
  }),
  "provider_keys.remove": async (w, who, target) => {
    const where = { own: isTeamRole(who) ? "t1" : "accountA", other_team: "t2", account_level: "accountA", other_account: "b" } as const;
    const id = await w.freshStoredKey(where[target]);
    const status = () => w.row("SELECT status FROM provider_keys WHERE id = ?", id);
    return {
      method: "DELETE",
      path: `/v1/providers/keys/${id}${who === "op" && target === "other_account" ? `?account_id=${w.accountB}` : ""}`,
      ok: (body) => {
        expect(body).toEqual({ id, object: "provider_key", deleted: true });
        expect(status()).not.toEqual({ status: "active" });
      },
      untouched: () => expect(status()).toEqual({ status: "active" }),
    };
  },
  "provider_keys.rotate": async (w, who) => {
    const id = await w.freshStoredKey(isTeamRole(who) ? "t1" : "accountA");
    return {
      method: "POST",
      path: "/v1/providers/keys/rotate",
      body: { provider: "openai", key_id: id, new_api_key: freshOpenAIKey(), rotation_strategy: "immediate" },
      ok: (body) => {
        expect(body).toMatchObject({ status: "rotated", provider: "openai", old_key_id: id });
        expect(w.row("SELECT status FROM provider_keys WHERE id = ?", id)).not.toEqual({ status: "active" });
      },
      untouched: () => expect(w.row("SELECT status FROM provider_keys WHERE id = ?", id)).toEqual({ status: "active" }),
    };
  },
  "provider_keys.schedule": async (w) => {
    const minute = String(Math.floor(Math.random() * 60));
    const schedule = `${minute} 3 1 * *`;
    const before = w.row("SELECT cron FROM rotation_schedules WHERE account_id = ? AND provider = 'openai'", w.accountA);
    return {
      method: "POST",
      path: "/v1/providers/keys/rotation-schedule",
      body: { provider: "openai", schedule },
      ok: (body) => {
        expect(body).toMatchObject({ provider: "openai", schedule });
        expect(w.row("SELECT cron FROM rotation_schedules WHERE account_id = ? AND provider = 'openai'", w.accountA)).toEqual({ cron: schedule });
      },
      untouched: () => expect(w.row("SELECT cron FROM rotation_schedules WHERE account_id = ? AND provider = 'openai'", w.accountA)).toEqual(before),
    };
  },
  "provider_health.read": async () => ({
    method: "GET",
    path: "/v1/providers/health",
    ok: (body) => {
      expect(Array.isArray(body.providers)).toBe(true);
      expect(body.settings).toBeDefined();
    },
    untouched: () => {},
  }),
  "provider_health.configure": async (w) => {
    const threshold = 1000 + Math.floor(Math.random() * 1000);
    const current = async () => (await w.call(w.keys.op, "GET", "/v1/providers/health")).body.settings;
    const before = await current();
    return {
      method: "POST",
      path: "/v1/providers/health-check",
      body: { latency_threshold: threshold },
      ok: (body) => expect(body.settings.latency_threshold).toBe(threshold),
      untouched: async () => expect(await current()).toEqual(before),
    };
  },
  "accounts.create": async (w) => {
    const name = unique("tenant");
    return {
      method: "POST",
      path: "/v1/accounts",
      body: { name },
      ok: (body) => {
        expect(body).toMatchObject({ name, object: "account", credits: 0 });
        expect(body.key).toMatch(/^kw_/);
      },
      untouched: () => expect(w.row("SELECT id FROM accounts WHERE name = ?", name)).toBeNull(),
    };
  },
  "accounts.read": async (w, _who, target) => {
    const id = target === "other_account" ? w.accountB : w.accountA;
    return { method: "GET", path: `/v1/accounts/${id}`, ok: (body) => expect(body).toMatchObject({ id, object: "account" }), untouched: () => {} };
  },
  "credits.add": async (w) => {
    const before = w.row("SELECT credits_micros FROM accounts WHERE id = ?", w.accountA);
    return {
      method: "POST",
      path: `/v1/accounts/${w.accountA}/credits`,
      body: { amount: 2 },
      ok: (body) => expect(body.credits).toBe(((before?.credits_micros as number) + 2_000_000) / 1e6),
      untouched: () => expect(w.row("SELECT credits_micros FROM accounts WHERE id = ?", w.accountA)).toEqual(before),
    };
  },
};

let mock: MockOpenAI;
let gw: TestGateway;
let world: World;

beforeAll(async () => {
  mock = new MockOpenAI().start();
  gw = await startGateway({
    providers: { openai: { adapter: "openai", base_url: mock.url, timeout_ms: 2000, models: [{ id: "gpt-4-turbo-preview", input_per_mtok: 10, output_per_mtok: 30 }] } },
  });
  world = await buildWorld(gw);
});
afterAll(async () => {
  world.close();
  await gw.stop();
  await mock.stop();
});

async function runCell(action: string, who: Who, target: Target, expected: number): Promise<void> {
  const run = CASES[action];
  if (!run) throw new Error(`no case for ${action}`);
  const cell = await run(world, who, target);
  const { status, body } = await world.call(world.keys[who], cell.method, cell.path, cell.body);
  const where = `${action} as ${who} on ${target}: ${JSON.stringify(body)}`;
  expect(status, where).toBe(expected);
  if (expected < 300) {
    await cell.ok(body);
    return;
  }
  const code = expected === 403 ? "permission_denied" : "not_found";
  const type = expected === 403 ? "permission_error" : "not_found_error";
  expect(body, where).toMatchObject({ error: { message: expect.any(String), type, code } });
  expect(Object.keys(body.error).sort(), where).toEqual(["code", "message", "param", "type"]);
  await cell.untouched();
}

const parse = (table: string) => table.trim().split("\n").map((line) => line.trim().split(/\s+/));

describe("the permission table, cell by cell", () => {
  test("every table action has a case, and every case is in the table", () => {
    expect(parse(OWN).map(([action]) => action).sort()).toEqual(Object.keys(CASES).sort());
  });

  for (const [action = "", ...statuses] of parse(OWN)) {
    test(`${action}: own account and team`, async () => {
      for (const [i, who] of WHO.entries()) await runCell(action, who, "own", Number(statuses[i]));
    });
  }

  for (const [action = "", target = "", ...statuses] of parse(ELSEWHERE)) {
    test(`${action}: ${target.replace("_", " ")}`, async () => {
      for (const [i, who] of (["op", "aA", "tA"] as const).entries()) await runCell(action, who, target as Target, Number(statuses[i]));
    });
  }

  test("probes answer without a key", async () => {
    expect(await (await fetch(`${gw.url}/health`)).json()).toMatchObject({ status: "ok" });
    expect(await (await fetch(`${gw.url}/ready`)).json()).toMatchObject({ status: "ready" });
  });
});
