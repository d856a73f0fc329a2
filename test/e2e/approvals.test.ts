// GET /v1/approvals over real HTTP: pending approvals within the caller's reach (a team admin its team, an account
// admin its account, the operator all or one named account), status and limit filters with 400s naming the
// parameter, and POST /v1/approvals/{id} written to the audit log.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";

const TEAM_KEY = "sk-proj-APPROVALS0000000000000000000001";
let mock: MockOpenAI;
let gw: TestGateway;

interface Team {
  id: string;
  members: { email: string; key: string; key_id: string }[];
}
let alpha: Team;
let beta: Team;
let otherAccountAdmin: string;
const keyOf = (team: Team, email: string) => team.members.find((m) => m.email === email)?.key as string;
const keyIdOf = (team: Team, email: string) => team.members.find((m) => m.email === email)?.key_id as string;
const as = (key: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${key}`, ...extra });
const costly = { model: "openai/gpt-4-turbo-preview", messages: [{ role: "user", content: "an essay please" }], max_tokens: 400 };
const rules = { providers: { openai: { enabled: true, require_approval_above: 0.005 } } };

/** A call above the threshold: answers approval_required and the approval's id. */
async function askApproval(team: Team, email: string): Promise<string> {
  const res = await gw.post("/v1/chat/completions", costly, as(keyOf(team, email)));
  expect(res.status).toBe(403);
  const { error } = await res.json();
  expect(error.code).toBe("approval_required");
  return error.approval_id as string;
}

const list = async (key: string, query = "") => {
  const res = await fetch(`${gw.url}/v1/approvals${query}`, { headers: as(key) });
  return { status: res.status, body: await res.json() };
};

let alphaApproval: string;
let betaApproval: string;

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [TEAM_KEY] }).start();
  gw = await startGateway({
    providers: { openai: { adapter: "openai", base_url: mock.url, models: [{ id: "gpt-4-turbo-preview", input_per_mtok: 10, output_per_mtok: 30 }] } },
  });
  await gw.post("/v1/providers/keys", { providers: [{ name: "openai", api_key: TEAM_KEY }] });
  const create = async (name: string): Promise<Team> => {
    const res = await gw.post("/v1/teams", { name, byok_permissions: rules, members: [{ email: `lead@${name}.com`, role: "admin" }, { email: `dev@${name}.com`, role: "developer" }] });
    expect(res.status).toBe(201);
    return res.json();
  };
  alpha = await create("alpha");
  beta = await create("beta");
  const account = await (await gw.post("/v1/accounts", { name: "elsewhere" })).json();
  otherAccountAdmin = (await (await gw.post("/v1/api-keys", { name: "other admin", account_id: account.id, role: "admin" })).json()).key;
  alphaApproval = await askApproval(alpha, "dev@alpha.com");
  // Newest first is by creation time (to the millisecond): the second approval is asked in a later millisecond.
  await Bun.sleep(2);
  betaApproval = await askApproval(beta, "dev@beta.com");
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

describe("GET /v1/approvals", () => {
  test("a team admin sees its own team's pending approvals, with the team's name and who asked", async () => {
    const { status, body } = await list(keyOf(alpha, "lead@alpha.com"));
    expect(status).toBe(200);
    expect(body.object).toBe("list");
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({
      id: alphaApproval,
      object: "approval",
      status: "pending",
      team_id: alpha.id,
      team_name: "alpha",
      requested_by: keyIdOf(alpha, "dev@alpha.com"),
      requested_by_name: "dev@alpha.com",
      provider: "openai",
      model: "gpt-4-turbo-preview",
      approved_by: null,
      decided_at: null,
    });
    expect(body.data[0].estimated_cost).toBeGreaterThan(0.005);
    expect(JSON.stringify(body)).not.toContain("kw_");
    // Naming the other team finds nothing, as if it did not exist.
    expect((await list(keyOf(alpha, "lead@alpha.com"), `?team_id=${beta.id}`)).body.data).toEqual([]);
  });

  test("the account admin sees every team of its account; team_id narrows; another account sees none of them", async () => {
    const all = await list(gw.adminKey);
    expect(all.body.data.map((a: { id: string }) => a.id)).toEqual([betaApproval, alphaApproval]);
    const narrowed = await list(gw.adminKey, `?team_id=${beta.id}`);
    expect(narrowed.body.data.map((a: { id: string }) => a.id)).toEqual([betaApproval]);
    expect((await list(otherAccountAdmin)).body.data).toEqual([]);
    expect((await list(gw.adminKey, "?limit=1")).body.data).toHaveLength(1);
  });

  test("developers may not list approvals (403 permission_denied)", async () => {
    const dev = await list(keyOf(alpha, "dev@alpha.com"));
    expect(dev.status).toBe(403);
    expect(dev.body.error.code).toBe("permission_denied");
  });

  test("bad filters are 400s naming the parameter", async () => {
    for (const [query, param] of [["?status=done", "status"], ["?limit=0", "limit"], ["?team_id=", "team_id"]] as const) {
      const { status, body } = await list(gw.adminKey, query);
      expect(status).toBe(400);
      expect(body.error).toMatchObject({ code: "invalid_request", param });
    }
  });

  test("approving moves it out of the pending list, into approved, and into the audit log", async () => {
    const lead = keyOf(alpha, "lead@alpha.com");
    const approved = await gw.post(`/v1/approvals/${alphaApproval}`, {}, as(lead));
    expect(approved.status).toBe(200);
    expect((await list(lead)).body.data).toEqual([]);
    const done = await list(lead, "?status=approved");
    expect(done.body.data).toHaveLength(1);
    expect(done.body.data[0]).toMatchObject({ id: alphaApproval, status: "approved", approved_by: keyIdOf(alpha, "lead@alpha.com") });
    expect(typeof done.body.data[0].decided_at).toBe("string");
    // The team admin's own audit trail shows it.
    const audit = await (await fetch(`${gw.url}/v1/audit?action=approval.approve`, { headers: as(lead) })).json();
    expect(audit.data).toHaveLength(1);
    expect(audit.data[0]).toMatchObject({
      action: "approval.approve",
      actor: keyIdOf(alpha, "lead@alpha.com"),
      provider: "openai",
      outcome: "success",
      detail: { approval_id: alphaApproval, team_id: alpha.id, model: "gpt-4-turbo-preview" },
    });
    // The repeat passes once, then the approval shows as used.
    const repeat = await gw.post("/v1/chat/completions", costly, as(keyOf(alpha, "dev@alpha.com"), { "x-approval-id": alphaApproval }));
    expect(repeat.status).toBe(200);
    expect((await list(lead, "?status=used")).body.data.map((a: { id: string }) => a.id)).toEqual([alphaApproval]);
  });

  test("the operator may name an account; another account's admin cannot", async () => {
    const named = await list(gw.adminKey, "?account_id=acc_nope");
    // The default admin key is the operator: naming an unknown account lists nothing.
    expect(named.status).toBe(200);
    expect(named.body.data).toEqual([]);
    const foreign = await list(otherAccountAdmin, "?account_id=acc_default");
    expect(foreign.status).toBe(404);
  });
});
