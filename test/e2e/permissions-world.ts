// The world the permission matrix runs in: two accounts, teams with every role, stored keys, and makers of fresh
// things for cells that consume them (a key to revoke, a team to delete, an approval to grant).
import { Database } from "bun:sqlite";
import { expect } from "bun:test";
import type { TestGateway } from "../helpers/gateway.ts";

export type Who = "op" | "aA" | "aD" | "aV" | "tA" | "tD" | "tV";
export const WHO: Who[] = ["op", "aA", "aD", "aV", "tA", "tD", "tV"];

interface Member {
  email: string;
  role: string;
  key: string;
  key_id: string;
}
export interface Team {
  id: string;
  members: Member[];
}

let counter = 0;
export const unique = (prefix: string) => `${prefix}-${++counter}-${crypto.randomUUID().slice(0, 8)}`;
/** An OpenAI-looking key never used before. */
export const freshOpenAIKey = () => `sk-proj-${crypto.randomUUID().replaceAll("-", "")}${++counter}`;

export const CHEAP = { model: "openai/gpt-4-turbo-preview", max_tokens: 10 };
export const COSTLY = { model: "openai/gpt-4-turbo-preview", max_tokens: 4000 };

const teamBody = (name: string, members: { email: string; role: string }[]) => ({
  name,
  byok_permissions: { providers: { openai: { enabled: true, require_approval_above: 0.01 } }, usage_controls: { log_all_requests: true } },
  members,
});

export async function buildWorld(gw: TestGateway) {
  const call = async (key: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${gw.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const made = async (key: string, method: string, path: string, body: unknown, status = 201) => {
    const res = await call(key, method, path, body);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body;
  };
  const op = gw.adminKey;
  const accountKey = async (role: string) => (await made(op, "POST", "/v1/api-keys", { name: unique(`account-${role}`), role })).key as string;
  const aA = await accountKey("admin");
  const aD = await accountKey("developer");
  const aV = await accountKey("viewer");
  const t1 = (await made(aA, "POST", "/v1/teams", teamBody("t1", [
    { email: "admin@t1", role: "admin" },
    { email: "dev@t1", role: "developer" },
    { email: "viewer@t1", role: "viewer" },
  ]))) as Team;
  const t2 = (await made(aA, "POST", "/v1/teams", teamBody("t2", [{ email: "admin@t2", role: "admin" }, { email: "dev@t2", role: "developer" }]))) as Team;
  const accountB = await made(op, "POST", "/v1/accounts", { name: "other account", credits: 5 });
  const bAdmin = accountB.key as string;
  const tb = (await made(bAdmin, "POST", "/v1/teams", teamBody("tb", [{ email: "admin@tb", role: "admin" }, { email: "dev@tb", role: "developer" }]))) as Team;
  const memberKey = (team: Team, email: string) => (team.members.find((m) => m.email === email) as Member).key;
  const keys: Record<Who, string> = { op, aA, aD, aV, tA: memberKey(t1, "admin@t1"), tD: memberKey(t1, "dev@t1"), tV: memberKey(t1, "viewer@t1") };
  const t2Admin = memberKey(t2, "admin@t2");
  const tbAdmin = memberKey(tb, "admin@tb");

  /** Stores a provider key as `key` (a team admin stores it for its team); returns its id. */
  const storeKey = async (key: string) => {
    const body = await made(key, "POST", "/v1/providers/keys", { providers: [{ name: "openai", api_key: freshOpenAIKey(), label: unique("stored") }] });
    return body.providers[0].id as string;
  };
  const stored = { t1: await storeKey(keys.tA), t2: await storeKey(t2Admin), accountA: await storeKey(aA), b: await storeKey(bAdmin) };

  // One logged call in each team, so the request logs have something to show.
  for (const [team, email] of [[t1, "dev@t1"], [t2, "dev@t2"]] as const) {
    await made(memberKey(team, email), "POST", "/v1/chat/completions", { ...CHEAP, messages: [{ role: "user", content: `logged in ${team.id}` }] }, 200);
  }

  const db = new Database(gw.dbPath, { readonly: true });
  const row = (sql: string, ...args: string[]) => db.query(sql).get(...args) as Record<string, unknown> | null;

  return {
    gw,
    call,
    keys,
    accountA: "acc_default",
    accountB: accountB.id as string,
    bAdmin,
    t1,
    t2,
    tb,
    stored,
    row,
    close: () => db.close(),
    /** A fresh keyway key: in a team (by id), at account level of A, or at account level of B. */
    async freshKey(where: "t1" | "t2" | "accountA" | "b") {
      const body = where === "b" ? { name: unique("victim"), account_id: accountB.id } : { name: unique("victim"), ...(where === "accountA" ? {} : { team_id: (where === "t1" ? t1 : t2).id }) };
      const created = await made(op, "POST", "/v1/api-keys", body);
      return { id: created.id as string, key: created.key as string };
    },
    async freshTeam(where: "accountA" | "b") {
      return (await made(where === "b" ? bAdmin : aA, "POST", "/v1/teams", { name: unique("doomed") })).id as string;
    },
    async freshStoredKey(where: "t1" | "t2" | "accountA" | "b") {
      return storeKey({ t1: keys.tA, t2: t2Admin, accountA: aA, b: bAdmin }[where]);
    },
    /** A pending approval in a team: its developer asks for a costly call. */
    async freshApproval(where: "t1" | "t2" | "tb") {
      const dev = { t1: memberKey(t1, "dev@t1"), t2: memberKey(t2, "dev@t2"), tb: memberKey(tb, "dev@tb") }[where];
      const refused = await call(dev, "POST", "/v1/chat/completions", { ...COSTLY, messages: [{ role: "user", content: "big" }] });
      expect(refused.body.error?.code).toBe("approval_required");
      return refused.body.error.approval_id as string;
    },
    tbAdmin,
  };
}

export type World = Awaited<ReturnType<typeof buildWorld>>;
