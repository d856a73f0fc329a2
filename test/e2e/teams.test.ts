import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";

const TEAM_KEY = "sk-proj-TEAMSTORED00000000000000000001";
const OTHER_TEAM_KEY = "sk-proj-OTHERTEAM00000000000000000002";
const OWN_KEY = "sk-proj-MEMBEROWN000000000000000000003";
let mock: MockOpenAI;
let gw: TestGateway;

interface Member {
  email: string;
  role: string;
  key: string;
  key_id: string;
}
interface Team {
  id: string;
  members: Member[];
}
let eng: Team;
let other: Team;
const member = (team: Team, email: string) => team.members.find((m) => m.email === email) as Member;
const as = (key: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${key}`, ...extra });
// max_tokens 100 keeps the estimate (about $0.003) under the team's approval threshold of $0.005.
const ask = (content: string, model = "openai/gpt-4-turbo-preview") => ({ model, messages: [{ role: "user", content }], max_tokens: 100 });

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [TEAM_KEY, OTHER_TEAM_KEY, OWN_KEY] }).start();
  gw = await startGateway({
    providers: {
      openai: { adapter: "openai", base_url: mock.url, models: [{ id: "gpt-4-turbo-preview", input_per_mtok: 10, output_per_mtok: 30 }, { id: "gpt-3.5-turbo", input_per_mtok: 0.5, output_per_mtok: 1.5 }] },
      google: { adapter: "google", base_url: mock.url },
    },
  });
  // The ParrotRouter seed's team, with an admin and a developer without byok_access added.
  const res = await gw.post("/v1/teams", {
    name: "Engineering Team",
    byok_permissions: {
      providers: {
        openai: { enabled: true, models: ["gpt-4-turbo-preview", "gpt-3.5-turbo"], max_cost_per_day: 0.02, require_approval_above: 0.005 },
        google: { enabled: false },
      },
      usage_controls: { log_all_requests: true, require_project_tag: true, allowed_projects: ["project-a", "project-b"], block_sensitive_content: true },
    },
    members: [
      { email: "lead@company.com", role: "admin" },
      { email: "developer@company.com", role: "developer", byok_access: true },
      { email: "contractor@company.com", role: "developer", byok_access: false },
      { email: "intern@company.com", role: "viewer", byok_access: false },
    ],
  });
  expect(res.status).toBe(201);
  eng = await res.json();
  const stored = await gw.post("/v1/providers/keys", { providers: [{ name: "openai", api_key: TEAM_KEY }] }, as(member(eng, "lead@company.com").key));
  expect(stored.status).toBe(201);
  other = await (await gw.post("/v1/teams", { name: "Other", members: [{ email: "dev@other.com", role: "developer" }, { email: "boss@other.com", role: "admin" }] })).json();
  await gw.post("/v1/providers/keys", { providers: [{ name: "openai", api_key: OTHER_TEAM_KEY }] }, as(member(other, "boss@other.com").key));
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

describe("teams", () => {
  test("creation answers each member's key once; reading shows no keys", async () => {
    expect(eng.members.every((m) => m.key.startsWith("kw_"))).toBe(true);
    const read = await (await fetch(`${gw.url}/v1/teams/${eng.id}`, { headers: as(member(eng, "intern@company.com").key) })).json();
    expect(read.members.map((m: { email: string }) => m.email).sort()).toEqual(["contractor@company.com", "developer@company.com", "intern@company.com", "lead@company.com"]);
    expect(JSON.stringify(read)).not.toContain("kw_");
    expect(read.usage_controls.require_project_tag).toBe(true);
  });

  test("a member calls with the team's stored key, within its project tags", async () => {
    const dev = member(eng, "developer@company.com").key;
    const res = await gw.post("/v1/chat/completions", ask("hi"), as(dev, { "x-team-id": eng.id, "x-project-tag": "project-a" }));
    expect(res.status).toBe(200);
    expect(mock.last().headers.authorization).toBe(`Bearer ${TEAM_KEY}`);
    const missing = await gw.post("/v1/chat/completions", ask("hi"), as(dev));
    expect(missing.status).toBe(400);
    expect((await missing.json()).error.code).toBe("project_tag_required");
    const wrong = await gw.post("/v1/chat/completions", ask("hi"), as(dev, { "x-project-tag": "project-z" }));
    expect((await wrong.json()).error.code).toBe("project_tag_required");
    const otherTeam = await gw.post("/v1/chat/completions", ask("hi"), as(dev, { "x-team-id": other.id, "x-project-tag": "project-a" }));
    expect(otherTeam.status).toBe(403);
  });

  test("models outside the allowlist and disabled providers are model_not_allowed (403)", async () => {
    const dev = member(eng, "developer@company.com").key;
    const tag = { "x-project-tag": "project-b" };
    const model = await gw.post("/v1/chat/completions", ask("hi", "openai/gpt-4o"), as(dev, tag));
    expect(model.status).toBe(403);
    expect((await model.json()).error.code).toBe("model_not_allowed");
    const google = await gw.post("/v1/chat/completions", ask("hi", "google/gemini-1.5-pro"), as(dev, tag));
    expect((await google.json()).error.code).toBe("model_not_allowed");
    expect((await gw.post("/v1/chat/completions", ask("hi", "openai/gpt-3.5-turbo"), as(dev, tag))).status).toBe(200);
  });

  test("sensitive content is refused with its kind, never echoed", async () => {
    const dev = member(eng, "developer@company.com").key;
    const cases: [string, string][] = [
      ["charge card 4111 1111 1111 1111 please", "credit_card"],
      ["my key is AKIAIOSFODNN7EXAMPLE", "api_key"],
      ["ssn 123-45-6789", "ssn"],
      ["wire to GB82 WEST 1234 5698 7654 32", "iban"],
    ];
    for (const [content, kind] of cases) {
      const res = await gw.post("/v1/chat/completions", ask(content), as(dev, { "x-project-tag": "project-a" }));
      expect(res.status).toBe(400);
      const text = await res.text();
      const { error } = JSON.parse(text);
      expect(error.code).toBe("content_blocked");
      expect(error.kind).toBe(kind);
      expect(text).not.toContain(content.split(" ").slice(-3).join(" "));
    }
    const harmless = await gw.post("/v1/chat/completions", ask("order 1234 5678 arrives on 2024-05-06"), as(dev, { "x-project-tag": "project-a" }));
    expect(harmless.status).toBe(200);
  });

  test("viewers read but cannot call; members without byok_access cannot use the team's keys", async () => {
    const viewer = await gw.post("/v1/chat/completions", ask("hi"), as(member(eng, "intern@company.com").key, { "x-project-tag": "project-a" }));
    expect(viewer.status).toBe(403);
    expect((await viewer.json()).error.code).toBe("permission_denied");
    const contractor = member(eng, "contractor@company.com").key;
    const stored = await gw.post("/v1/chat/completions", ask("hi"), as(contractor, { "x-project-tag": "project-a" }));
    expect(stored.status).toBe(400);
    expect((await stored.json()).error.code).toBe("no_provider_key");
    const own = await gw.post("/v1/chat/completions", { ...ask("hi"), byok_api_key: OWN_KEY }, as(contractor, { "x-project-tag": "project-a" }));
    expect(own.status).toBe(200);
  });

  test("a costly request needs approval: approval_required, a team admin approves, the repeat passes once", async () => {
    const dev = member(eng, "developer@company.com").key;
    const costly = { ...ask("write a long essay"), max_tokens: 400 };
    const headers = { "x-project-tag": "project-a" };
    const first = await gw.post("/v1/chat/completions", costly, as(dev, headers));
    expect(first.status).toBe(403);
    const { error } = await first.json();
    expect(error.code).toBe("approval_required");
    expect(error.approval_id).toMatch(/^apr_/);
    const early = await gw.post("/v1/chat/completions", costly, as(dev, { ...headers, "x-approval-id": error.approval_id }));
    expect(early.status).toBe(403);
    const byDeveloper = await gw.post(`/v1/approvals/${error.approval_id}`, {}, as(dev));
    expect(byDeveloper.status).toBe(403);
    const approved = await gw.post(`/v1/approvals/${error.approval_id}`, {}, as(member(eng, "lead@company.com").key));
    expect((await approved.json()).status).toBe("approved");
    const repeat = await gw.post("/v1/chat/completions", costly, as(dev, { ...headers, "x-approval-id": error.approval_id }));
    expect(repeat.status).toBe(200);
    const again = await gw.post("/v1/chat/completions", costly, as(dev, { ...headers, "x-approval-id": error.approval_id }));
    expect(again.status).toBe(403);
  });

  test("log_all_requests: team admins read bodies, keys redacted; other teams and developers cannot", async () => {
    const dev = member(eng, "developer@company.com").key;
    await gw.post("/v1/chat/completions", ask("log me"), as(dev, { "x-project-tag": "project-b" }));
    const logs = await (await fetch(`${gw.url}/v1/teams/${eng.id}/logs`, { headers: as(member(eng, "lead@company.com").key) })).json();
    const entry = logs.data.find((l: { request: { messages?: { content: string }[] } }) => l.request?.messages?.[0]?.content === "log me");
    expect(entry).toMatchObject({ project_tag: "project-b", provider: "openai", status: 200 });
    expect(entry.response.choices[0].message.content).toBe("echo: log me");
    expect(JSON.stringify(logs)).not.toContain(TEAM_KEY);
    for (const bad of ["0", "1e2", "-3"]) {
      const refused = await fetch(`${gw.url}/v1/teams/${eng.id}/logs?limit=${bad}`, { headers: as(member(eng, "lead@company.com").key) });
      expect(refused.status).toBe(400);
      expect((await refused.json()).error).toMatchObject({ param: "limit", code: "invalid_request", message: "'limit' takes a whole number from 1 to 1000 (default 100)." });
    }
    expect((await fetch(`${gw.url}/v1/teams/${eng.id}/logs`, { headers: as(dev) })).status).toBe(403);
    expect((await fetch(`${gw.url}/v1/teams/${eng.id}/logs`, { headers: as(member(other, "boss@other.com").key) })).status).toBe(404);
  });

  test("a team key's default_model serves its team only", async () => {
    const lead = member(eng, "lead@company.com").key;
    const stored = await gw.post("/v1/providers/keys", { providers: [{ name: "openai", api_key: TEAM_KEY, label: "defaults", settings: { default_model: "gpt-3.5-turbo" } }] }, as(lead));
    expect(stored.status).toBe(201);
    const mine = await gw.post("/v1/chat/completions", { provider: "openai", messages: [{ role: "user", content: "hi" }], max_tokens: 50 }, as(member(eng, "developer@company.com").key, { "x-project-tag": "project-a" }));
    expect(mine.status).toBe(200);
    expect(mock.last().body?.model).toBe("gpt-3.5-turbo");
    const theirs = await gw.post("/v1/chat/completions", { provider: "openai", messages: [{ role: "user", content: "hi" }] }, as(member(other, "dev@other.com").key));
    expect(theirs.status).toBe(400);
    expect((await theirs.json()).error.param).toBe("model");
  });

  test("the daily budget stops the team once spent (402 budget_exceeded); other teams are unaffected", async () => {
    const dev = member(eng, "developer@company.com").key;
    const headers = { "x-project-tag": "project-a" };
    let status = 200;
    for (let i = 0; i < 60 && status === 200; i++) {
      status = (await gw.post("/v1/chat/completions", { ...ask("spend"), max_tokens: 100 }, as(dev, headers))).status;
    }
    expect(status).toBe(402);
    const refused = await gw.post("/v1/chat/completions", { ...ask("spend"), max_tokens: 100 }, as(dev, headers));
    expect((await refused.json()).error.code).toBe("budget_exceeded");
    const otherDev = await gw.post("/v1/chat/completions", { ...ask("spend"), max_tokens: 100 }, as(member(other, "dev@other.com").key));
    expect(otherDev.status).toBe(200);
    expect(mock.last().headers.authorization).toBe(`Bearer ${OTHER_TEAM_KEY}`);
  });

  test("one team cannot see or change another's team, keys or logs", async () => {
    const boss = member(other, "boss@other.com").key;
    expect((await fetch(`${gw.url}/v1/teams/${eng.id}`, { headers: as(boss) })).status).toBe(404);
    const patch = await fetch(`${gw.url}/v1/teams/${eng.id}`, { method: "PATCH", headers: as(boss), body: JSON.stringify({ name: "mine" }) });
    expect(patch.status).toBe(404);
    const keys = await (await fetch(`${gw.url}/v1/providers`, { headers: as(boss) })).json();
    const visible = keys.providers.flatMap((p: { keys: { hint: string }[] }) => p.keys.map((k) => k.hint));
    expect(visible).not.toContain(`...${TEAM_KEY.slice(-4)}`);
  });

  test("team IP allowlists refuse calls from elsewhere; PATCH adds members and changes settings; DELETE revokes keys", async () => {
    const created = await (await gw.post("/v1/teams", { name: "Remote", ip_allowlist: ["10.0.0.0/8"], members: [{ email: "far@away.com", role: "developer" }] })).json();
    const far = created.members[0].key;
    const res = await gw.post("/v1/chat/completions", { ...ask("hi"), byok_api_key: OWN_KEY }, as(far));
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("ip_not_allowed");
    const patched = await (await fetch(`${gw.url}/v1/teams/${created.id}`, {
      method: "PATCH",
      headers: as(gw.adminKey),
      body: JSON.stringify({ ip_allowlist: ["127.0.0.0/8", "::1/128"], members: [{ email: "new@away.com", role: "viewer" }] }),
    })).json();
    expect(patched.members.find((m: { email: string }) => m.email === "new@away.com").key).toMatch(/^kw_/);
    await Bun.sleep(10);
    expect((await gw.post("/v1/chat/completions", { ...ask("hi"), byok_api_key: OWN_KEY }, as(far))).status).toBe(200);
    const bad = await fetch(`${gw.url}/v1/teams/${created.id}`, { method: "PATCH", headers: as(gw.adminKey), body: JSON.stringify({ byok_permissions: { providers: { nosuch: { enabled: true } } } }) });
    expect((await bad.json()).error.param).toBe("byok_permissions.providers.nosuch");
    const deleted = await fetch(`${gw.url}/v1/teams/${created.id}`, { method: "DELETE", headers: as(gw.adminKey) });
    expect((await deleted.json()).deleted).toBe(true);
    expect((await gw.post("/v1/chat/completions", { ...ask("hi"), byok_api_key: OWN_KEY }, as(far))).status).toBe(401);
  });
});

describe("models a team member may use", () => {
  test("/v1/models lists only what the team's permissions allow", async () => {
    const res = await fetch(`${gw.url}/v1/models`, { headers: as(member(eng, "developer@company.com").key) });
    const ids = (await res.json()).data.map((m: { id: string }) => m.id);
    expect(ids).toContain("openai/gpt-4-turbo-preview");
    expect(ids).toContain("openai/gpt-3.5-turbo");
    expect(ids).not.toContain("openai/gpt-4o");
    expect(ids.some((id: string) => id.startsWith("google/"))).toBe(false);
  });
});
