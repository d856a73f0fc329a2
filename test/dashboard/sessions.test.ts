// Dashboard sessions over HTTP: the cookie's attributes, expiry bounded by the key's own, a revoked key's sessions
// refused at once, a key header winning over a cookie, the dashboard's security headers, and dashboard.enabled false.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";

let gw: TestGateway;

beforeAll(async () => {
  gw = await startGateway({ dashboard: { session_ttl_minutes: 60 } });
});
afterAll(() => gw.stop());

async function signIn(key: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${gw.url}/v1/sessions`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ key }) });
  const setCookie = res.headers.get("set-cookie") ?? "";
  return { res, setCookie, cookie: setCookie.split(";")[0] ?? "", body: await res.json() };
}

async function newKey(body: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const res = await gw.post("/v1/api-keys", { name: "dashboard", ...body });
  expect(res.status).toBe(201);
  return res.json();
}

describe("dashboard sessions", () => {
  test("sign-in sets an HttpOnly, SameSite=Strict cookie for the configured lifetime and answers the role's permissions", async () => {
    const { res, setCookie, body } = await signIn(gw.adminKey);
    expect(res.status).toBe(201);
    expect(setCookie).toMatch(/^keyway_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=(3599|3600)$/);
    expect(setCookie).not.toContain(gw.adminKey);
    expect(body).toMatchObject({ object: "session", role: "admin", operator: true });
    expect(body.permissions["provider_health.configure"]).toBe("all");
    expect(JSON.stringify(body)).not.toContain(gw.adminKey);
  });

  test("behind a TLS proxy the cookie is Secure; a foreign Origin cannot sign in", async () => {
    expect((await signIn(gw.adminKey, { "x-forwarded-proto": "https" })).setCookie).toEndWith("; Secure");
    const foreign = await signIn(gw.adminKey, { origin: "https://evil.example" });
    expect(foreign.res.status).toBe(403);
    expect(foreign.body.error.code).toBe("csrf_failed");
    expect(foreign.setCookie).toBe("");
  });

  test("a wrong key gets 401 and no cookie; a malformed body a 400", async () => {
    const wrong = await signIn("kw_not_a_key");
    expect(wrong.res.status).toBe(401);
    expect(wrong.setCookie).toBe("");
    const bad = await fetch(`${gw.url}/v1/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: 1 }) });
    expect(bad.status).toBe(400);
  });

  test("a session never outlives its key", async () => {
    const expiresAt = new Date(Date.now() + 10 * 60_000).toISOString();
    const { key } = await newKey({ role: "viewer", expires_at: expiresAt });
    const { res, setCookie, body } = await signIn(key);
    expect(res.status).toBe(201);
    const maxAge = Number(/Max-Age=(\d+)/.exec(setCookie)?.[1]);
    expect(maxAge).toBeGreaterThan(500);
    expect(maxAge).toBeLessThanOrEqual(600);
    expect(Date.parse(body.expires_at)).toBeLessThanOrEqual(Date.parse(expiresAt));
  });

  test("revoking the key ends its sessions at once", async () => {
    const { id, key } = await newKey({ role: "admin" });
    const { cookie } = await signIn(key);
    expect((await fetch(`${gw.url}/v1/providers`, { headers: { cookie } })).status).toBe(200);
    const revoke = await fetch(`${gw.url}/v1/api-keys/${id}`, { method: "DELETE", headers: { authorization: `Bearer ${gw.adminKey}` } });
    expect(revoke.status).toBe(200);
    const after = await fetch(`${gw.url}/v1/providers`, { headers: { cookie } });
    expect(after.status).toBe(401);
    expect((await after.json()).error.code).toBe("invalid_api_key");
  });

  test("a key header wins over a cookie (no CSRF token needed), and GET needs no token", async () => {
    const { key } = await newKey({ role: "viewer" });
    const { cookie } = await signIn(key);
    expect((await fetch(`${gw.url}/v1/providers`, { headers: { cookie } })).status).toBe(200);
    const withKey = await fetch(`${gw.url}/v1/teams`, {
      method: "POST",
      headers: { cookie, authorization: `Bearer ${gw.adminKey}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "made with the key" }),
    });
    expect(withKey.status).toBe(201);
  });

  test("sign-out deletes the session (the cookie is cleared) and needs the CSRF token", async () => {
    const { cookie, body } = await signIn(gw.adminKey);
    const noToken = await fetch(`${gw.url}/v1/sessions/current`, { method: "DELETE", headers: { cookie } });
    expect(noToken.status).toBe(403);
    const out = await fetch(`${gw.url}/v1/sessions/current`, { method: "DELETE", headers: { cookie, "x-csrf-token": body.csrf_token } });
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
    expect((await fetch(`${gw.url}/v1/sessions/current`, { headers: { cookie } })).status).toBe(401);
  });

  test("the page and its files carry the CSP and security headers; hashed files are cached for good", async () => {
    const page = await fetch(`${gw.url}/dashboard`);
    expect(page.status).toBe(200);
    const csp = page.headers.get("content-security-policy") ?? "";
    for (const part of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"]) expect(csp).toContain(part);
    expect(csp).not.toContain("unsafe-inline");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await page.text();
    expect(html).not.toMatch(/<script>|<style>| style=/);
    const script = /src="([^"]+\.js)"/.exec(html)?.[1] as string;
    const asset = await fetch(`${gw.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toContain("text/javascript");
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect((await fetch(`${gw.url}/dashboard/assets/nope.js`)).status).toBe(404);
  });
});

test("dashboard.enabled false: no page and no sessions", async () => {
  const off = await startGateway({ dashboard: { enabled: false } });
  try {
    expect((await fetch(`${off.url}/dashboard`)).status).toBe(404);
    const res = await fetch(`${off.url}/v1/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ key: off.adminKey }) });
    expect(res.status).toBe(404);
  } finally {
    await off.stop();
  }
});
