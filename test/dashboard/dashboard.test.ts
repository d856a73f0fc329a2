// The dashboard in a real browser (headless Chromium) against a real keyway with a mock OpenAI upstream: sign in,
// stored keys (add, see the hint, rotate), calls in the overview, a hostile team name shown as text, CSRF, a viewer
// that cannot change anything even from the page's origin, and sign-out closing the pages.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { BrowserContext, Page } from "playwright-core";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { launchBrowser, openDashboard, screenshot, signIn, type TestBrowser } from "../helpers/browser.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";

const BROWSER_TIMEOUT_MS = 30_000;

const OLD = "sk-proj-DASHBOARD0old00000000000000old1";
const NEW = "sk-proj-DASHBOARD0new00000000000000new2";
const HOSTILE = "<img src=x onerror=alert(1)>";

let mock: MockOpenAI;
let gw: TestGateway;
let browser: TestBrowser;
let admin: BrowserContext;
let page: Page;
const dialogs: string[] = [];

const storedKeys = async () => {
  const res = await fetch(`${gw.url}/v1/providers`, { headers: { authorization: `Bearer ${gw.adminKey}` } });
  return ((await res.json()).providers.find((p: { name: string }) => p.name === "openai").keys as { id: string; hint: string; status: string }[]);
};

/** What the page itself can read of its storage and cookies: the key must be in none of them. */
const browserStorage = (p: Page) =>
  p.evaluate(() => ({ local: JSON.stringify({ ...localStorage }), session: JSON.stringify({ ...sessionStorage }), cookie: document.cookie }));

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [OLD, NEW] }).start();
  gw = await startGateway({ providers: { openai: { adapter: "openai", base_url: mock.url, timeout_ms: 3000 } } });
  browser = await launchBrowser();
  admin = await browser.newUser();
  page = await openDashboard(admin, gw.url);
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
}, BROWSER_TIMEOUT_MS);
afterAll(async () => {
  await browser?.close();
  await gw?.stop();
  await mock?.stop();
});

describe("the dashboard in a browser", () => {
  test("sign-in exchanges the key for an HttpOnly session; the key is kept nowhere the page can read", async () => {
    await page.getByRole("heading", { name: "keyway" }).waitFor();
    await screenshot(page, "sign-in");
    await signIn(page, gw.adminKey);
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    const storage = await browserStorage(page);
    expect(storage.local).not.toContain(gw.adminKey);
    expect(storage.session).not.toContain(gw.adminKey);
    expect(storage.cookie).toBe("");
    expect(await page.content()).not.toContain(gw.adminKey);
    const [cookie] = await admin.cookies(gw.url);
    expect(cookie).toMatchObject({ name: "keyway_session", httpOnly: true, sameSite: "Strict", path: "/" });
    expect(cookie?.value).not.toContain(gw.adminKey);
    // The navigation is reachable by keyboard: arrow keys move between its links.
    await page.getByRole("link", { name: "Overview" }).focus();
    await page.keyboard.press("ArrowDown");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Analytics");
  }, BROWSER_TIMEOUT_MS);

  test("a stored key is added through a password field and listed by its hint only, then rotated", async () => {
    await page.getByRole("link", { name: "Stored keys" }).click();
    await page.getByRole("heading", { name: "Stored keys" }).waitFor();
    expect(await page.getByLabel("Provider key").getAttribute("type")).toBe("password");
    await page.getByLabel("Provider key").fill(OLD);
    await page.getByLabel("Label (optional)").fill("prod");
    await page.getByRole("button", { name: "Store key" }).click();
    await page.getByRole("status").filter({ hasText: "Stored a openai key ending ...old1" }).waitFor();
    await page.getByRole("cell", { name: "...old1", exact: true }).waitFor();
    expect(await page.getByLabel("Provider key").inputValue()).toBe("");
    expect(await page.content()).not.toContain(OLD);
    await screenshot(page, "stored-keys");

    await page.getByRole("button", { name: "Rotate openai key ...old1" }).click();
    await page.getByLabel("New provider key").fill(NEW);
    await page.getByRole("button", { name: "Rotate", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "Rotated the openai key ...old1 (immediate)" }).waitFor();
    await page.getByRole("cell", { name: "...new2", exact: true }).waitFor();
    expect(await page.content()).not.toContain(NEW);
    const keys = await storedKeys();
    expect(keys.find((k) => k.hint === "...new2")?.status).toBe("active");
    expect(keys.find((k) => k.hint === "...old1")?.status).not.toBe("active");
  }, BROWSER_TIMEOUT_MS);

  test("calls made with the stored key show in the overview, and a hostile team name is shown as text", async () => {
    const team = await gw.post("/v1/teams", { name: HOSTILE, members: [{ email: "dev@example.com", role: "developer" }] });
    expect(team.status).toBe(201);
    const { id: teamId, members } = await team.json();
    const memberKey = members[0].key as string;
    for (const [key, headers] of [
      [gw.adminKey, {}],
      [gw.adminKey, {}],
      [memberKey, { "x-team-id": teamId }],
    ] as const) {
      const res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "x-use-byok": "true", ...headers },
        body: JSON.stringify({ model: "openai/gpt-4o", messages: [{ role: "user", content: "hello dashboard" }] }),
      });
      expect(res.status).toBe(200);
    }
    await page.getByRole("link", { name: "Overview" }).click();
    await page.reload();
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    await page.locator("#total-requests").filter({ hasText: "3" }).waitFor();
    expect(await page.locator("#byok-requests").textContent()).toBe("3");
    // The team's name is text in the table: no <img> element, no script ran.
    await page.getByRole("cell", { name: HOSTILE, exact: true }).waitFor();
    expect(await page.locator("main img").count()).toBe(0);
    expect(dialogs).toEqual([]);
    // The charts drew the calls: one line per provider in the requests chart.
    await page.locator("#chart-requests canvas").waitFor();
    expect(await page.locator("#chart-requests .u-legend").textContent()).toContain("openai");
    await screenshot(page, "overview");
  }, BROWSER_TIMEOUT_MS);

  test("the providers page shows health; the operator may change auto-disable", async () => {
    await page.getByRole("link", { name: "Providers" }).click();
    await page.getByRole("heading", { name: "Providers and health" }).waitFor();
    await page.getByRole("cell", { name: "openai", exact: true }).waitFor();
    await page.getByLabel("Minimum success rate (%)").fill("80");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByRole("status").filter({ hasText: "Settings saved" }).waitFor();
    const health = await (await fetch(`${gw.url}/v1/providers/health`, { headers: { authorization: `Bearer ${gw.adminKey}` } })).json();
    expect(health.settings.health_threshold).toBe(80);
    await screenshot(page, "providers");
  }, BROWSER_TIMEOUT_MS);

  test("a state-changing call with the cookie but without the session's X-CSRF-Token is refused (403 csrf_failed)", async () => {
    const answers = await page.evaluate(async () => {
      const call = async (headers: Record<string, string>) => {
        const res = await fetch("/v1/teams", { method: "POST", credentials: "same-origin", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ name: "csrf" }) });
        return { status: res.status, code: ((await res.json()) as { error?: { code?: string } }).error?.code };
      };
      return [await call({}), await call({ "x-csrf-token": "not-the-token" })];
    });
    expect(answers).toEqual([
      { status: 403, code: "csrf_failed" },
      { status: 403, code: "csrf_failed" },
    ]);
    // From another site: even the right token does not help when the Origin is foreign.
    const [cookie] = await admin.cookies(gw.url);
    const session = await (await fetch(`${gw.url}/v1/sessions/current`, { headers: { cookie: `keyway_session=${cookie?.value}` } })).json();
    const foreign = await fetch(`${gw.url}/v1/teams`, {
      method: "POST",
      headers: { cookie: `keyway_session=${cookie?.value}`, "x-csrf-token": session.csrf_token, origin: "https://evil.example", "content-type": "application/json" },
      body: JSON.stringify({ name: "csrf" }),
    });
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).error.code).toBe("csrf_failed");
    const teams = await (await fetch(`${gw.url}/v1/analytics/usage?group_by=team`, { headers: { authorization: `Bearer ${gw.adminKey}` } })).json();
    expect(JSON.stringify(teams)).not.toContain('"csrf"');
  }, BROWSER_TIMEOUT_MS);

  test("a viewer is offered no changes, and cannot make any by calling the API from the page", async () => {
    const created = await gw.post("/v1/api-keys", { name: "viewer", role: "viewer" });
    expect(created.status).toBe(201);
    const viewerKey = (await created.json()).key as string;
    const viewer = await browser.newUser();
    const viewerPage = await openDashboard(viewer, gw.url, "/keys");
    await signIn(viewerPage, viewerKey);
    await viewerPage.getByRole("heading", { name: "Stored keys" }).waitFor();
    await viewerPage.getByRole("cell", { name: "...new2", exact: true }).waitFor();
    expect(await viewerPage.getByRole("button", { name: /Rotate|Remove|Store key/ }).count()).toBe(0);
    await viewerPage.getByRole("link", { name: "Providers" }).click();
    await viewerPage.locator("#auto-disable-readonly").waitFor();
    expect(await viewerPage.getByRole("button", { name: "Save settings" }).count()).toBe(0);
    const keyId = (await storedKeys()).find((k) => k.hint === "...new2")?.id as string;
    const answers = await viewerPage.evaluate(async (id) => {
      const { csrf_token } = (await (await fetch("/v1/sessions/current")).json()) as { csrf_token: string };
      const headers = { "content-type": "application/json", "x-csrf-token": csrf_token };
      const store = await fetch("/v1/providers/keys", { method: "POST", headers, body: JSON.stringify({ providers: [{ name: "openai", api_key: "sk-proj-viewer000000000000000000000" }] }) });
      const remove = await fetch(`/v1/providers/keys/${id}`, { method: "DELETE", headers });
      const team = await fetch("/v1/teams", { method: "POST", headers, body: JSON.stringify({ name: "viewer team" }) });
      return [store.status, remove.status, team.status];
    }, keyId);
    expect(answers).toEqual([403, 403, 403]);
    expect((await storedKeys()).find((k) => k.id === keyId)?.status).toBe("active");
    await viewer.close();
  }, BROWSER_TIMEOUT_MS);

  test("sign-out deletes the session: the pages close and the old cookie gets 401 from the API", async () => {
    const [cookie] = await admin.cookies(gw.url);
    expect((await fetch(`${gw.url}/v1/providers`, { headers: { cookie: `keyway_session=${cookie?.value}` } })).status).toBe(200);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("keyway key").waitFor();
    const old = await fetch(`${gw.url}/v1/providers`, { headers: { cookie: `keyway_session=${cookie?.value}` } });
    expect(old.status).toBe(401);
    expect((await old.json()).error.code).toBe("invalid_api_key");
    await page.goto(`${gw.url}/dashboard#/keys`);
    await page.getByLabel("keyway key").waitFor();
    expect(await page.getByRole("navigation", { name: "Pages" }).count()).toBe(0);
  }, BROWSER_TIMEOUT_MS);
});
