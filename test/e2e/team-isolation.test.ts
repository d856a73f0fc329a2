// A team admin stays inside its team and an account admin inside its account: no key for another team or
// account, no revoking keys outside, no account-wide lists or audit trails.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { openaiAt, startGateway, type TestGateway } from "../helpers/gateway.ts";

let mock: MockOpenAI;
let gw: TestGateway;
const as = (key: string) => ({ authorization: `Bearer ${key}` });
const get = async (path: string, key: string) => fetch(`${gw.url}${path}`, { headers: as(key) });
interface Team {
  id: string;
  members: { email: string; key: string; key_id: string }[];
}
let red: Team;
let blue: Team;
let redAdmin: string;
let accountAdmin: { id: string; key: string };

beforeAll(async () => {
  mock = new MockOpenAI().start();
  gw = await startGateway(openaiAt(mock.url));
  accountAdmin = await (await gw.post("/v1/api-keys", { name: "account admin", role: "admin" })).json();
  red = await (await gw.post("/v1/teams", { name: "red", members: [{ email: "admin@red", role: "admin" }] })).json();
  blue = await (await gw.post("/v1/teams", { name: "blue", members: [{ email: "admin@blue", role: "admin" }] })).json();
  redAdmin = red.members[0]?.key as string;
  const stored = await gw.post("/v1/providers/keys", { providers: [{ name: "openai", api_key: "sk-proj-BLUESTORED000000000000001" }] }, as(blue.members[0]?.key as string));
  expect(stored.status).toBe(201);
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

describe("team admins stay in their team", () => {
  test("a team admin cannot create a key for another team of the account (404, nothing created)", async () => {
    const res = await gw.post("/v1/api-keys", { name: "takeover", role: "admin", team_id: blue.id }, as(redAdmin));
    expect(res.status).toBe(404);
    expect((await res.json()).error).toMatchObject({ code: "not_found", message: `No team '${blue.id}'.` });
    const all = await (await get("/v1/api-keys", gw.adminKey)).json();
    expect(all.data.some((k: { name: string }) => k.name === "takeover")).toBe(false);
    const own = await gw.post("/v1/api-keys", { name: "helper", role: "developer" }, as(redAdmin));
    expect(await own.json()).toMatchObject({ name: "helper", team_id: red.id });
  });

  test("a team admin cannot revoke the account admin's key (404) and the key keeps working", async () => {
    const res = await fetch(`${gw.url}/v1/api-keys/${accountAdmin.id}`, { method: "DELETE", headers: as(redAdmin) });
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("not_found");
    expect((await get("/v1/api-keys", accountAdmin.key)).status).toBe(200);
  });

  test("a team admin lists only its team's keys and reads only its team's audit trail", async () => {
    const list = await (await get("/v1/api-keys", redAdmin)).json();
    expect(list.data.length).toBeGreaterThan(0);
    expect(new Set(list.data.map((k: { team_id: string }) => k.team_id))).toEqual(new Set([red.id]));
    const audit = await (await get("/v1/audit", redAdmin)).json();
    const text = JSON.stringify(audit);
    expect(text).not.toContain(blue.members[0]?.key_id as string);
    const whole = JSON.stringify(await (await get("/v1/audit", gw.adminKey)).json());
    expect(whole).toContain(blue.members[0]?.key_id as string);
  });
});

describe("account admins stay in their account", () => {
  test("a key cannot be bound to another account's team (404, nothing created)", async () => {
    const other = await (await gw.post("/v1/accounts", { name: "other" })).json();
    const theirs: Team = await (await gw.post("/v1/teams", { name: "theirs" }, as(other.key))).json();
    const res = await gw.post("/v1/api-keys", { name: "smuggled", team_id: theirs.id }, as(accountAdmin.key));
    expect(res.status).toBe(404);
    expect((await res.json()).error).toMatchObject({ code: "not_found", param: "team_id" });
    const all = await (await get("/v1/api-keys", gw.adminKey)).json();
    expect(all.data.some((k: { name: string }) => k.name === "smuggled")).toBe(false);
    const unknown = await gw.post("/v1/api-keys", { name: "nowhere", team_id: "team_missing" }, as(accountAdmin.key));
    expect(unknown.status).toBe(404);
  });
});
