// The operations pages in a real browser (headless Chromium) against a real keyway with a mock OpenAI upstream: a
// costly member call is refused with approval_required, a team admin approves it on the Approvals page and the repeat
// with X-Approval-Id passes; an alert is created (and fires to a webhook) on the Alerts page; the Audit log shows the
// approval; the team's request logs are filtered in the page; a team viewer is offered no approve, create or delete.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { BrowserContext, Page } from "playwright-core";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { launchBrowser, openDashboard, screenshot, signIn, type TestBrowser } from "../helpers/browser.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";

const BROWSER_TIMEOUT_MS = 30_000;
const STORED = "sk-proj-DASHOPS00000000000000000000001";
const WHSEC = `whsec_${Buffer.from("dashboard-ops-webhook-secret").toString("base64")}`;

let mock: MockOpenAI;
let gw: TestGateway;
let browser: TestBrowser;
let lead: BrowserContext;
let page: Page;
let receiver: ReturnType<typeof Bun.serve>;
const hooks: string[] = [];

interface Member {
  email: string;
  key: string;
  key_id: string;
}
let team: { id: string; members: Member[] };
const keyOf = (email: string) => team.members.find((m) => m.email === email) as Member;
const costly = { model: "openai/gpt-4-turbo-preview", messages: [{ role: "user", content: "a long essay on gateways" }], max_tokens: 400 };
let approvalId = "";

/** A chat call by a team member, with extra headers. */
const call = (key: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [STORED] }).start();
  receiver = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: async (req) => {
      hooks.push(await req.text());
      return new Response("ok");
    },
  });
  gw = await startGateway({
    providers: { openai: { adapter: "openai", base_url: mock.url, timeout_ms: 3000, models: [{ id: "gpt-4-turbo-preview", input_per_mtok: 10, output_per_mtok: 30 }] } },
    security: { webhook_secret: WHSEC, webhook_allow_private_networks: true },
    alerts: { evaluate_interval_ms: 100, delivery_attempts: 2, retry_backoff_ms: 10 },
  });
  expect((await gw.post("/v1/providers/keys", { providers: [{ name: "openai", api_key: STORED }] })).status).toBe(201);
  const created = await gw.post("/v1/teams", {
    name: "Platform <b>Team</b>",
    byok_permissions: { providers: { openai: { enabled: true, require_approval_above: 0.005 } }, usage_controls: { log_all_requests: true } },
    members: [
      { email: "lead@company.com", role: "admin" },
      { email: "dev@company.com", role: "developer" },
      { email: "intern@company.com", role: "viewer" },
    ],
  });
  expect(created.status).toBe(201);
  team = await created.json();
  browser = await launchBrowser();
  lead = await browser.newUser();
  page = await openDashboard(lead, gw.url, "/approvals");
}, BROWSER_TIMEOUT_MS);
afterAll(async () => {
  await browser?.close();
  await gw?.stop();
  await mock?.stop();
  receiver?.stop(true);
});

describe("approvals, alerts, audit and request logs in a browser", () => {
  test("a member's costly call waits for approval; the team admin approves it on the page; the repeat passes once", async () => {
    const dev = keyOf("dev@company.com").key;
    const refused = await call(dev, costly);
    expect(refused.status).toBe(403);
    const { error } = await refused.json();
    expect(error.code).toBe("approval_required");
    approvalId = error.approval_id;

    await signIn(page, keyOf("lead@company.com").key);
    await page.getByRole("heading", { name: "Approvals" }).waitFor();
    const row = page.getByRole("row").filter({ hasText: approvalId });
    await row.waitFor();
    expect(await row.textContent()).toContain("dev@company.com");
    expect(await row.textContent()).toContain("Platform <b>Team</b>");
    expect(await page.locator("main b").count()).toBe(0);
    await screenshot(page, "approvals");

    // Before approval the repeat is still refused.
    expect((await call(dev, costly, { "x-approval-id": approvalId })).status).toBe(403);
    const approve = page.getByRole("button", { name: new RegExp(`^Approve ${approvalId}`) });
    await approve.focus();
    await page.keyboard.press("Enter");
    await page.getByRole("status").filter({ hasText: `Approved ${approvalId}` }).waitFor();
    await page.getByRole("cell", { name: "Nothing is waiting for approval." }).waitFor();

    const repeat = await call(dev, costly, { "x-approval-id": approvalId });
    expect(repeat.status).toBe(200);
    expect((await call(dev, costly, { "x-approval-id": approvalId })).status).toBe(403);
    await page.getByLabel("Show").selectOption("used");
    await page.getByRole("row").filter({ hasText: approvalId }).waitFor();
  }, BROWSER_TIMEOUT_MS);

  test("an alert is created with its webhook target, listed, fires, and its history shows the delivery", async () => {
    await page.getByRole("link", { name: "Alerts" }).click();
    await page.getByRole("heading", { name: "Alerts", exact: true }).waitFor();
    const target = `http://127.0.0.1:${receiver.port}/keyway-alerts`;
    await page.getByLabel("Alert when").selectOption("byok_cost_threshold");
    await page.getByLabel("Threshold (USD)").fill("0.000001");
    await page.getByLabel("Period").selectOption("daily");
    await page.getByLabel("Provider").selectOption("openai");
    await page.getByLabel("Notify").fill(target);
    await page.getByRole("button", { name: "Create alert" }).click();
    const status = page.getByRole("status").filter({ hasText: "Created alert" });
    await status.waitFor();
    const alertId = /alert_[A-Za-z0-9_-]+/.exec((await status.textContent()) ?? "")?.[0] as string;
    expect(alertId).toBeDefined();
    const row = page.getByRole("row").filter({ hasText: alertId }).filter({ hasText: "openai BYOK" });
    await row.waitFor();
    expect(await row.textContent()).toContain(target);
    const listed = await (await fetch(`${gw.url}/v1/alerts`, { headers: { authorization: `Bearer ${gw.adminKey}` } })).json();
    expect(listed.data.find((a: { id: string }) => a.id === alertId)).toMatchObject({ type: "byok_cost_threshold", provider: "openai", threshold: 0.000001, period: "daily", team_id: team.id, notify: [target] });

    // The approved call's BYOK cost passes the threshold: the alert fires, and its history says it was delivered.
    await page.getByRole("button", { name: "Create alert" }).waitFor();
    const deadline = Date.now() + 10_000;
    while (hooks.length === 0 && Date.now() < deadline) await Bun.sleep(100);
    expect(hooks.length).toBeGreaterThan(0);
    await page.getByLabel("Alert", { exact: true }).selectOption(alertId);
    await page.getByRole("row").filter({ hasText: alertId }).filter({ hasText: "reached" }).waitFor();
    await screenshot(page, "alerts");
    // A bad target is refused with the API's message, nothing created.
    await page.getByLabel("Threshold (USD)").fill("5");
    await page.getByLabel("Notify").fill("not-an-address");
    await page.getByRole("button", { name: "Create alert" }).click();
    await page.getByRole("alert").filter({ hasText: "not-an-address" }).waitFor();
    const after = await (await fetch(`${gw.url}/v1/alerts`, { headers: { authorization: `Bearer ${gw.adminKey}` } })).json();
    expect(after.data).toHaveLength(1);
  }, BROWSER_TIMEOUT_MS);

  test("the audit log shows the approval, by whom, and filters by action", async () => {
    await page.getByRole("link", { name: "Audit log" }).click();
    await page.getByRole("heading", { name: "Audit log" }).waitFor();
    await page.getByLabel("Action").selectOption("approval.approve");
    await page.getByRole("button", { name: "Apply filters" }).click();
    const row = page.getByRole("row").filter({ hasText: approvalId });
    await row.waitFor();
    expect(await row.textContent()).toContain(keyOf("lead@company.com").key_id);
    // The unfiltered list (which holds the approval too) stays on the page until the filtered one arrives.
    const rows = page.getByRole("row");
    for (const deadline = Date.now() + 5_000; (await rows.count()) !== 2 && Date.now() < deadline; ) await Bun.sleep(50);
    expect(await rows.count()).toBe(2); // the header and the one approval
    await screenshot(page, "audit");
    await page.getByLabel("Action").selectOption("key.rotate");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByRole("cell", { name: "No events match." }).waitFor();
  }, BROWSER_TIMEOUT_MS);

  test("the team's request logs show the calls and their bodies, narrowed by the page's filters", async () => {
    await call(keyOf("dev@company.com").key, { model: "openai/gpt-4-turbo-preview", messages: [{ role: "user", content: "find me later" }], max_tokens: 20 });
    await page.getByRole("link", { name: "Request logs" }).click();
    await page.getByRole("heading", { name: "Request logs" }).waitFor();
    await page.locator("caption", { hasText: "logged requests of Platform <b>Team</b>" }).waitFor();
    await page.getByLabel("Contains").fill("find me later");
    await page.locator("caption", { hasText: /^1 of \d+ logged requests/ }).waitFor();
    await page.getByText("Request", { exact: true }).first().click();
    await page.locator("pre.body", { hasText: '"content": "find me later"' }).waitFor();
    expect(await page.content()).not.toContain(STORED);
    await screenshot(page, "request-logs");
    await page.getByLabel("Contains").fill("");
    // Status narrows to failed calls only: the refused costly calls (403), none of the answered ones.
    await page.getByLabel("Status").selectOption("error");
    await page.locator("caption", { hasText: /^\d+ of \d+ logged requests/ }).waitFor();
    await page.locator("pre.body", { hasText: '"content": "find me later"' }).waitFor({ state: "detached" });
    const statuses = await page.locator("tbody td.num").allTextContents();
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((code) => Number(code) >= 400)).toBe(true);
    await page.getByLabel("Status").selectOption("ok");
    await page.locator("pre.body", { hasText: '"content": "find me later"' }).waitFor({ state: "attached" });
    expect((await page.locator("tbody td.num").allTextContents()).every((code) => Number(code) < 400)).toBe(true);
  }, BROWSER_TIMEOUT_MS);

  test("a team viewer sees the alerts but no approve, create or delete control, and no approvals, audit or logs", async () => {
    const viewer = await browser.newUser();
    const viewerPage = await openDashboard(viewer, gw.url, "/alerts");
    await signIn(viewerPage, keyOf("intern@company.com").key);
    await viewerPage.getByRole("heading", { name: "Alerts", exact: true }).waitFor();
    await viewerPage.getByRole("cell", { name: /openai BYOK/ }).waitFor();
    expect(await viewerPage.getByRole("button", { name: /Approve|Create alert|Delete/ }).count()).toBe(0);
    expect(await viewerPage.getByLabel("Threshold (USD)").count()).toBe(0);
    const nav = viewerPage.getByRole("navigation", { name: "Pages" });
    for (const name of ["Approvals", "Audit log", "Request logs"]) expect(await nav.getByRole("link", { name }).count()).toBe(0);
    // Opening the approvals page by its address shows another page, and the API refuses the list anyway.
    await viewerPage.goto(`${gw.url}/dashboard#/approvals`);
    await viewerPage.getByRole("navigation", { name: "Pages" }).waitFor();
    expect(await viewerPage.getByRole("heading", { name: "Approvals" }).count()).toBe(0);
    const refused = await viewerPage.evaluate(async () => (await fetch("/v1/approvals")).status);
    expect(refused).toBe(403);
    await screenshot(viewerPage, "alerts-viewer");
    await viewer.close();
  }, BROWSER_TIMEOUT_MS);
});
