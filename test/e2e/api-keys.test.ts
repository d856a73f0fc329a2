import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { openaiAt, startGateway, type TestGateway } from "../helpers/gateway.ts";

const PROVIDER_KEY = "sk-proj-apikeys0000000000000000001";
let mock: MockOpenAI;
let gw: TestGateway;
const chat = { model: "openai/gpt-4o", messages: [{ role: "user", content: "hi" }], byok_api_key: PROVIDER_KEY };

const asKey = (key: string) => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  mock = new MockOpenAI().start();
  gw = await startGateway(openaiAt(mock.url));
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

describe("/v1/api-keys", () => {
  test("create shows the key once; the key works; list never shows it; revoke stops it", async () => {
    const created = await gw.post("/v1/api-keys", { name: "ci bot", role: "developer" });
    expect(created.status).toBe(201);
    const body = await created.json();
    expect(body.key).toMatch(/^kw_[A-Za-z0-9_-]{43}$/);
    expect(body).toMatchObject({ name: "ci bot", role: "developer", account_id: "acc_default", revoked_at: null });
    expect(body.prefix).toBe(body.key.slice(0, 9));

    const ok = await gw.post("/v1/chat/completions", chat, asKey(body.key));
    expect(ok.status).toBe(200);

    const list = await (await fetch(`${gw.url}/v1/api-keys`, { headers: asKey(gw.adminKey) })).json();
    const listed = list.data.find((k: { id: string }) => k.id === body.id);
    expect(listed.name).toBe("ci bot");
    expect(JSON.stringify(list)).not.toContain(body.key);
    expect(JSON.stringify(list)).not.toContain("digest");

    const revoked = await fetch(`${gw.url}/v1/api-keys/${body.id}`, { method: "DELETE", headers: asKey(gw.adminKey) });
    expect(await revoked.json()).toEqual({ id: body.id, object: "api_key", deleted: true });
    const refused = await gw.post("/v1/chat/completions", chat, asKey(body.key));
    expect(refused.status).toBe(401);
    const again = await fetch(`${gw.url}/v1/api-keys/${body.id}`, { method: "DELETE", headers: asKey(gw.adminKey) });
    expect(again.status).toBe(404);
  });

  test("a developer key cannot manage keys", async () => {
    const { key } = await (await gw.post("/v1/api-keys", { name: "dev" })).json();
    const res = await gw.post("/v1/api-keys", { name: "escalate", role: "admin" }, asKey(key));
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("permission_denied");
  });

  test("an expired key is refused; expiry in the past is rejected at creation", async () => {
    const past = await gw.post("/v1/api-keys", { name: "old", expires_at: "2001-01-01T00:00:00Z" });
    expect(past.status).toBe(400);
    expect((await past.json()).error.param).toBe("expires_at");
    const soon = new Date(Date.now() + 1500).toISOString();
    const { key } = await (await gw.post("/v1/api-keys", { name: "brief", expires_at: soon })).json();
    expect((await gw.post("/v1/chat/completions", chat, asKey(key))).status).toBe(200);
    await Bun.sleep(1600);
    const expired = await gw.post("/v1/chat/completions", chat, asKey(key));
    expect(expired.status).toBe(401);
  });

  test("IP allowlists: outside the range is ip_not_allowed, inside works, malformed CIDR is a 400 naming the entry", async () => {
    const outside = await (await gw.post("/v1/api-keys", { name: "office", ip_allowlist: ["10.0.0.0/8"] })).json();
    const refused = await gw.post("/v1/chat/completions", chat, asKey(outside.key));
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe("ip_not_allowed");

    const inside = await (await gw.post("/v1/api-keys", { name: "local", ip_allowlist: ["127.0.0.0/8", "::1/128"] })).json();
    expect((await gw.post("/v1/chat/completions", chat, asKey(inside.key))).status).toBe(200);

    const bad = await gw.post("/v1/api-keys", { name: "typo", ip_allowlist: ["10.0.0.0/8", "10.0.0.300/24"] });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.param).toBe("ip_allowlist[1]");
  });

  test("bad input: unknown fields, missing name, unknown account", async () => {
    const unknown = await gw.post("/v1/api-keys", { name: "x", colour: "red" });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.param).toBe("colour");
    const missing = await gw.post("/v1/api-keys", {});
    expect((await missing.json()).error.param).toBe("name");
    const account = await gw.post("/v1/api-keys", { name: "x", account_id: "acc_nope" });
    expect(account.status).toBe(404);
  });
});
