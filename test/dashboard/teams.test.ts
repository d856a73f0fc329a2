// The Teams and API keys pages in a real browser against a real keyway with a mock OpenAI upstream: create a team, set
// its rules, add a member and copy their key (shown once, from the clipboard), call with it and see the call in the
// team's view, change the member's role; create and revoke an API key; a team viewer is offered no changes.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { BrowserContext, Page } from "playwright-core";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { launchBrowser, openDashboard, screenshot, signIn, type TestBrowser } from "../helpers/browser.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";

const BROWSER_TIMEOUT_MS = 60_000;
const PROVIDER_KEY = "sk-proj-DASHTEAMS00000000000000000000001";

let mock: MockOpenAI;
let gw: TestGateway;
let browser: TestBrowser;
let admin: BrowserContext;
let page: Page;
let teamId: string;
let memberKey: string;

const asAdmin = { authorization: "" };
const getJson = async (path: string) => (await fetch(`${gw.url}${path}`, { headers: asAdmin })).json();
const chat = (key: string) =>
  fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "x-team-id": teamId },
    body: JSON.stringify({ model: "openai/gpt-4o", messages: [{ role: "user", content: "hello team" }], byok_api_key: PROVIDER_KEY }),
  });
const browserStorage = (p: Page) => p.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [PROVIDER_KEY] }).start();
  gw = await startGateway({ providers: { openai: { adapter: "openai", base_url: mock.url, timeout_ms: 3000 } } });
  asAdmin.authorization = `Bearer ${gw.adminKey}`;
  browser = await launchBrowser();
  admin = await browser.newUser();
  await admin.grantPermissions(["clipboard-read", "clipboard-write"], { origin: gw.url });
  page = await openDashboard(admin, gw.url, "/teams");
  await signIn(page, gw.adminKey);
}, BROWSER_TIMEOUT_MS);
afterAll(async () => {
  await browser?.close();
  await gw?.stop();
  await mock?.stop();
});

describe("the Teams page", () => {
  test("creates a team and saves its provider rules and usage controls", async () => {
    await page.getByRole("heading", { name: "Teams", exact: true }).waitFor();
    await page.getByLabel("Team name").fill("Research");
    await page.getByRole("button", { name: "Create team" }).click();
    await page.getByRole("heading", { name: "Team Research" }).waitFor();
    const openai = page.getByRole("group", { name: "openai" });
    await openai.getByLabel("Models (empty: every model)").fill("gpt-4o, gpt-4o-mini");
    await openai.getByLabel("Daily cap (USD)").fill("5");
    await openai.getByLabel("Approval above (USD)").fill("1.5");
    await page.getByLabel("Log every request and response (keys redacted)").check();
    await page.getByLabel("Allowed projects").fill("alpha, beta");
    await page.getByRole("button", { name: "Save rules" }).click();
    await page.getByRole("status").filter({ hasText: "Rules saved." }).waitFor();

    const list = await getJson("/v1/teams");
    const team = list.data.find((t: { name: string }) => t.name === "Research");
    teamId = team.id;
    expect(team.byok_permissions).toEqual({ providers: { openai: { models: ["gpt-4o", "gpt-4o-mini"], max_cost_per_day: 5, require_approval_above: 1.5 } } });
    expect(team.usage_controls).toEqual({ log_all_requests: true, require_project_tag: false, block_sensitive_content: false, allowed_projects: ["alpha", "beta"] });
    expect(team.ip_allowlist).toEqual([]);
    // A bad amount is refused on the page, nothing is sent.
    await openai.getByLabel("Daily cap (USD)").fill("-3");
    await page.getByRole("button", { name: "Save rules" }).click();
    await page.getByRole("alert").filter({ hasText: "The daily cap for openai must be an amount of USD" }).waitFor();
    expect((await getJson(`/v1/teams/${teamId}`)).byok_permissions.providers.openai.max_cost_per_day).toBe(5);
    await openai.getByLabel("Daily cap (USD)").fill("5");
  }, BROWSER_TIMEOUT_MS);

  test("adds a member whose key is shown once and copied; a call with it shows in the team's view", async () => {
    await page.getByLabel("E-mail").fill("dev@research.example");
    await page.getByLabel("Role", { exact: true }).selectOption("developer");
    await page.getByRole("button", { name: "Add member" }).click();
    await page.getByRole("heading", { name: "Key for dev@research.example" }).waitFor();
    const shown = await page.getByLabel("New keyway key").inputValue();
    expect(shown).toStartWith("kw_");
    await page.getByRole("button", { name: "Copy key" }).click();
    await page.getByRole("status").filter({ hasText: "Copied to the clipboard." }).waitFor();
    memberKey = await page.evaluate(() => navigator.clipboard.readText());
    expect(memberKey).toBe(shown);
    await page.getByRole("cell", { name: "dev@research.example", exact: true }).waitFor();
    // The list above shows the team's new member and rules.
    await page.getByRole("row", { name: /Research/ }).getByRole("cell", { name: "1", exact: true }).waitFor();
    expect(await browserStorage(page)).not.toContain(memberKey);
    await screenshot(page, "teams");

    const res = await chat(memberKey);
    expect(res.status).toBe(200);
    await page.getByRole("button", { name: "Refresh" }).click();
    await page.locator("#team-today").filter({ hasText: "1 requests" }).waitFor();
    const row = page.getByRole("table", { name: "Calls today by provider" }).getByRole("row", { name: /openai/ });
    expect(await row.getByRole("cell").allTextContents()).toEqual(["openai", "1", expect.stringMatching(/^\$0\.\d+$/), "$5.00"]);

    // Leaving the page drops the key: back on Teams, it is no longer shown anywhere.
    await page.getByRole("link", { name: "API keys" }).click();
    await page.getByRole("heading", { name: "API keys" }).waitFor();
    await page.getByRole("link", { name: "Teams" }).click();
    await page.getByRole("button", { name: "Open team Research" }).click();
    await page.getByRole("heading", { name: "Team Research" }).waitFor();
    expect(await page.getByLabel("New keyway key").count()).toBe(0);
    expect(await page.evaluate((key) => document.body.innerHTML.includes(key) || [...document.querySelectorAll("input")].some((i) => i.value === key), memberKey)).toBe(false);
  }, BROWSER_TIMEOUT_MS);

  test("changes a member's role: as viewer their key may no longer call", async () => {
    await page.getByLabel("Role of dev@research.example").selectOption("viewer");
    await page.getByRole("button", { name: "Save dev@research.example" }).click();
    await page.getByRole("status").filter({ hasText: "dev@research.example is now viewer" }).waitFor();
    const team = await getJson(`/v1/teams/${teamId}`);
    expect(team.members.find((m: { email: string }) => m.email === "dev@research.example").role).toBe("viewer");
    const res = await chat(memberKey);
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("permission_denied");
  }, BROWSER_TIMEOUT_MS);
});

describe("the API keys page", () => {
  test("creates a key shown once, lists it by prefix only, and revokes it", async () => {
    await page.getByRole("link", { name: "API keys" }).click();
    await page.getByRole("heading", { name: "API keys" }).waitFor();
    await page.getByLabel("Name", { exact: true }).fill("ci runner");
    await page.getByLabel("Role", { exact: true }).selectOption("developer");
    await page.getByRole("button", { name: "Create key" }).click();
    await page.getByRole("heading", { name: "Key ci runner" }).waitFor();
    const key = await page.getByLabel("New keyway key").inputValue();
    expect((await chat(key)).status).not.toBe(401);
    const listed = (await getJson("/v1/api-keys")).data.find((k: { name: string }) => k.name === "ci runner");
    await page.getByRole("cell", { name: "ci runner", exact: true }).waitFor();
    await page.getByRole("cell", { name: `${listed.prefix}…`, exact: true }).waitFor();
    await screenshot(page, "api-keys");
    await page.getByRole("button", { name: "Done" }).click();
    expect(await page.getByLabel("New keyway key").count()).toBe(0);
    expect(await page.evaluate((k) => document.body.innerHTML.includes(k), key)).toBe(false);

    await page.getByRole("button", { name: "Revoke ci runner" }).click();
    await page.getByRole("button", { name: "Confirm revoking ci runner" }).click();
    await page.getByRole("status").filter({ hasText: "Revoked the key ci runner" }).waitFor();
    await page.getByRole("cell", { name: "ci runner", exact: true }).waitFor({ state: "detached" });
    await page.getByLabel("Show revoked and expired keys").check();
    await page.getByRole("row", { name: /ci runner/ }).getByText("revoked").waitFor();
    expect((await chat(key)).status).toBe(401);
  }, BROWSER_TIMEOUT_MS);
});

describe("what a viewer is offered", () => {
  test("a team viewer reads the team's rules and members with no control to change them", async () => {
    const viewer = await browser.newUser();
    const viewerPage = await openDashboard(viewer, gw.url, "/teams");
    await signIn(viewerPage, memberKey);
    await viewerPage.getByRole("heading", { name: "Team Research" }).waitFor();
    await viewerPage.getByRole("cell", { name: "dev@research.example", exact: true }).waitFor();
    await viewerPage.locator("#usage-controls").filter({ hasText: "alpha, beta" }).waitFor();
    expect(await viewerPage.getByRole("button", { name: /Save|Add member|Remove|Delete team|Create team|Copy key/ }).count()).toBe(0);
    expect(await viewerPage.locator("main input, main select").count()).toBe(0);
    expect(await viewerPage.getByRole("link", { name: "API keys" }).count()).toBe(0);
    await screenshot(viewerPage, "teams-viewer");
    // An account viewer opens neither page.
    const accountViewer = await gw.post("/v1/api-keys", { name: "watcher", role: "viewer" });
    await viewerPage.getByRole("button", { name: "Sign out" }).click();
    await signIn(viewerPage, (await accountViewer.json()).key);
    await viewerPage.getByRole("link", { name: "Overview" }).waitFor();
    expect(await viewerPage.getByRole("link", { name: "Teams" }).count()).toBe(0);
    expect(await viewerPage.getByRole("link", { name: "API keys" }).count()).toBe(0);
    await viewer.close();
  }, BROWSER_TIMEOUT_MS);
});
