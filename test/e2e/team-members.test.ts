// Teams listed by reach (GET /v1/teams), a member's role changed (their key's role with it, at once) and a member
// removed (their key revoked at once), over real HTTP against a mock OpenAI.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";

const PROVIDER_KEY = "sk-proj-TEAMMEMBERS0000000000000000001";
let mock: MockOpenAI;
let gw: TestGateway;

interface Member {
  id: string;
  email: string;
  role: string;
  byok_access: boolean;
  key: string;
  key_id: string;
}
interface Team {
  id: string;
  name: string;
  members: Member[];
}

let acme: { id: string; key: string };
let eng: Team;
let ops: Team;
let other: Team;
const member = (team: Team, email: string) => team.members.find((m) => m.email === email) as Member;
const as = (key: string) => ({ authorization: `Bearer ${key}`, "content-type": "application/json" });
const call = (method: string, path: string, key: string, body?: unknown) =>
  fetch(`${gw.url}${path}`, { method, headers: as(key), body: body === undefined ? undefined : JSON.stringify(body) });
const chat = async (key: string) => {
  const res = await call("POST", "/v1/chat/completions", key, { model: "openai/gpt-4o", messages: [{ role: "user", content: "hi" }], byok_api_key: PROVIDER_KEY });
  return { status: res.status, code: res.ok ? null : ((await res.json()).error.code as string) };
};

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [PROVIDER_KEY] }).start();
  gw = await startGateway({ providers: { openai: { adapter: "openai", base_url: mock.url } } });
  acme = await (await gw.post("/v1/accounts", { name: "acme" })).json();
  const create = async (key: string, name: string, members: { email: string; role: string }[]) => {
    const res = await call("POST", "/v1/teams", key, { name, members });
    expect(res.status).toBe(201);
    return (await res.json()) as Team;
  };
  eng = await create(acme.key, "eng", [
    { email: "lead@acme.example", role: "admin" },
    { email: "dev@acme.example", role: "developer" },
    { email: "temp@acme.example", role: "developer" },
  ]);
  ops = await create(acme.key, "ops", [{ email: "boss@acme.example", role: "admin" }]);
  other = await create(gw.adminKey, "elsewhere", [{ email: "x@other.example", role: "admin" }]);
});
afterAll(async () => {
  await gw?.stop();
  await mock?.stop();
});

describe("GET /v1/teams", () => {
  test("an account admin lists its account's teams with their members, never a key", async () => {
    const res = await call("GET", "/v1/teams", acme.key);
    expect(res.status).toBe(200);
    const list = await res.json();
    expect(list.object).toBe("list");
    expect(list.data.map((t: Team) => t.name)).toEqual(["eng", "ops"]);
    expect(list.data[0].members.map((m: Member) => m.email).sort()).toEqual(["dev@acme.example", "lead@acme.example", "temp@acme.example"]);
    expect(JSON.stringify(list)).not.toContain("kw_");
  });

  test("a team key lists only its own team; the operator sees every account's", async () => {
    const mine = await (await call("GET", "/v1/teams", member(eng, "dev@acme.example").key)).json();
    expect(mine.data.map((t: Team) => t.id)).toEqual([eng.id]);
    const every = await (await call("GET", "/v1/teams", gw.adminKey)).json();
    expect(every.data.map((t: Team) => t.id)).toEqual(expect.arrayContaining([eng.id, ops.id, other.id]));
  });
});

describe("PATCH /v1/teams/{id}/members/{member_id}", () => {
  test("changing a member to viewer takes effect on their key at once; back to developer, they may call again", async () => {
    const dev = member(eng, "dev@acme.example");
    expect((await chat(dev.key)).status).toBe(200);
    const res = await call("PATCH", `/v1/teams/${eng.id}/members/${dev.id}`, member(eng, "lead@acme.example").key, { role: "viewer" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: dev.id, object: "team_member", email: dev.email, role: "viewer", byok_access: true, key_id: dev.key_id });
    expect(await chat(dev.key)).toEqual({ status: 403, code: "permission_denied" });
    const keys = await (await call("GET", "/v1/api-keys", acme.key)).json();
    expect(keys.data.find((k: { id: string }) => k.id === dev.key_id).role).toBe("viewer");

    const back = await call("PATCH", `/v1/teams/${eng.id}/members/${dev.id}`, acme.key, { role: "developer", byok_access: false });
    expect((await back.json()).byok_access).toBe(false);
    expect((await chat(dev.key)).status).toBe(200);
    const team = await (await call("GET", `/v1/teams/${eng.id}`, acme.key)).json();
    expect(team.members.find((m: Member) => m.id === dev.id)).toMatchObject({ role: "developer", byok_access: false });
  });

  test("bad bodies are 400 naming the field; unknown or other teams' members are 404; a developer may not", async () => {
    const lead = member(eng, "lead@acme.example");
    const dev = member(eng, "dev@acme.example");
    const bad = await call("PATCH", `/v1/teams/${eng.id}/members/${dev.id}`, lead.key, { role: "owner" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: "invalid_request", param: "role" });
    const empty = await call("PATCH", `/v1/teams/${eng.id}/members/${dev.id}`, lead.key, {});
    expect(empty.status).toBe(400);
    expect((await empty.json()).error.code).toBe("invalid_request");
    const unknown = await call("PATCH", `/v1/teams/${eng.id}/members/mem_none`, lead.key, { role: "viewer" });
    expect(unknown.status).toBe(404);
    // A member of ops, named under eng: not eng's member.
    const elsewhere = await call("PATCH", `/v1/teams/${eng.id}/members/${member(ops, "boss@acme.example").id}`, acme.key, { role: "viewer" });
    expect(elsewhere.status).toBe(404);
    // Ops's admin cannot reach eng at all.
    const foreign = await call("PATCH", `/v1/teams/${eng.id}/members/${dev.id}`, member(ops, "boss@acme.example").key, { role: "viewer" });
    expect(foreign.status).toBe(404);
    const denied = await call("PATCH", `/v1/teams/${eng.id}/members/${lead.id}`, dev.key, { role: "viewer" });
    expect(denied.status).toBe(403);
    expect((await denied.json()).error.code).toBe("permission_denied");
    const team = await (await call("GET", `/v1/teams/${eng.id}`, acme.key)).json();
    expect(team.members.find((m: Member) => m.id === lead.id).role).toBe("admin");
    expect(team.members.find((m: Member) => m.id === member(ops, "boss@acme.example").id)).toBeUndefined();
  });
});

describe("DELETE /v1/teams/{id}/members/{member_id}", () => {
  test("removing a member revokes their key at once; a second removal is 404", async () => {
    const temp = member(eng, "temp@acme.example");
    expect((await chat(temp.key)).status).toBe(200);
    const res = await call("DELETE", `/v1/teams/${eng.id}/members/${temp.id}`, member(eng, "lead@acme.example").key);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: temp.id, object: "team_member", deleted: true, key_id: temp.key_id });
    expect(await chat(temp.key)).toEqual({ status: 401, code: "invalid_api_key" });
    const team = await (await call("GET", `/v1/teams/${eng.id}`, acme.key)).json();
    expect(team.members.map((m: Member) => m.email)).not.toContain(temp.email);
    expect((await call("DELETE", `/v1/teams/${eng.id}/members/${temp.id}`, acme.key)).status).toBe(404);
  });
});
