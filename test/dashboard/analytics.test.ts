// The Analytics page in a real browser against a real keyway with mock OpenAI and Anthropic upstreams: calls made
// over HTTP show in the table grouped by provider and in the chart; a custom period with its bounds reversed is a
// clear error; the billing export downloads as a CSV whose call lines and totals match the calls made.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import type { BrowserContext, Page } from "playwright-core";
import { MockAnthropic } from "../fixtures/mock-anthropic.ts";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { launchBrowser, openDashboard, screenshot, signIn, type TestBrowser } from "../helpers/browser.ts";
import { openaiAndAnthropicAt, startGateway, type TestGateway, usageRowOf } from "../helpers/gateway.ts";

const BROWSER_TIMEOUT_MS = 30_000;
const OPENAI_KEY = "sk-proj-ANALYTICS0page000000000000000001";
const ANTHROPIC_KEY = "sk-ant-api03-analyticsPage0000000000000000000002";

interface UsageRow {
  request_id: string;
  provider: string;
  estimated_cost_micros: number;
  input_tokens: number;
  output_tokens: number;
}

let openai: MockOpenAI;
let anthropic: MockAnthropic;
let gw: TestGateway;
let browser: TestBrowser;
let user: BrowserContext;
let page: Page;
const made: UsageRow[] = [];

async function chat(model: string, providerKey: string): Promise<string> {
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${gw.adminKey}`, "content-type": "application/json", "x-byok-api-key": providerKey },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hello analytics" }], max_tokens: 32 }),
  });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  return res.headers.get("x-request-id") as string;
}

beforeAll(async () => {
  openai = new MockOpenAI({ keys: [OPENAI_KEY] }).start();
  anthropic = new MockAnthropic({ keys: [ANTHROPIC_KEY] }).start();
  gw = await startGateway(openaiAndAnthropicAt(openai.url, anthropic.url));
  const ids = [
    await chat("openai/gpt-4o", OPENAI_KEY),
    await chat("openai/gpt-4o-mini", OPENAI_KEY),
    await chat("openai/gpt-4o", OPENAI_KEY),
    await chat("anthropic/claude-3-haiku", ANTHROPIC_KEY),
    await chat("anthropic/claude-3-haiku", ANTHROPIC_KEY),
  ];
  for (const id of ids) {
    const row = await usageRowOf<UsageRow>(gw, id);
    expect(row).toBeDefined();
    made.push(row as UsageRow);
  }
  browser = await launchBrowser();
  user = await browser.newUser();
  page = await openDashboard(user, gw.url, "/analytics");
  await signIn(page, gw.adminKey);
}, BROWSER_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await gw?.stop();
  await openai?.stop();
  await anthropic?.stop();
});

const of = (provider: string) => made.filter((r) => r.provider === provider);
const listUsd = (rows: UsageRow[]) => rows.reduce((s, r) => s + r.estimated_cost_micros, 0) / 1e6;

describe("the Analytics page", () => {
  test("the calls made show in the table grouped by provider, and in the chart", async () => {
    await page.getByRole("heading", { name: "Analytics" }).waitFor();
    await page.getByLabel("Period").selectOption("today");
    await page.getByLabel("Group by").selectOption("provider");
    await page.locator("#analytics-requests").filter({ hasText: "5" }).waitFor();
    const table = page.getByRole("table", { name: "By provider" });
    const rowOf = (name: string) => table.getByRole("row").filter({ has: page.getByRole("cell", { name, exact: true }) });
    await rowOf("openai").waitFor();
    expect(await rowOf("openai").getByRole("cell").nth(1).textContent()).toBe("3");
    expect(await rowOf("anthropic").getByRole("cell").nth(1).textContent()).toBe("2");
    expect(listUsd(made)).toBeGreaterThan(0);
    // The list price cell is the server's sum of the calls' list prices, written as USD.
    const usd = (value: number) => new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 6 }).format(value);
    expect(await rowOf("openai").getByRole("cell").nth(2).textContent()).toBe(usd(listUsd(of("openai"))));
    expect(await page.locator("#analytics-list-price").textContent()).toBe(usd(listUsd(made)));
    // One line per provider, over the day's hours.
    await page.locator("#analytics-chart canvas").waitFor();
    const legend = await page.locator("#analytics-chart .u-legend").textContent();
    expect(legend).toContain("openai");
    expect(legend).toContain("anthropic");
    expect(await page.getByRole("heading", { name: "Over time, by hour" }).count()).toBe(1);
    await screenshot(page, "analytics");

    await page.getByLabel("Group by").selectOption("model");
    await page.getByRole("table", { name: "By model" }).getByRole("cell", { name: "anthropic/claude-3-haiku", exact: true }).waitFor();
    const models = page.getByRole("table", { name: "By model" }).getByRole("row").filter({ has: page.getByRole("cell", { name: "openai/gpt-4o", exact: true }) });
    expect(await models.getByRole("cell").nth(1).textContent()).toBe("2");
  }, BROWSER_TIMEOUT_MS);

  test("a custom period: both days are asked for, and a reversed range is a clear error", async () => {
    await page.getByLabel("Period").selectOption("custom");
    await page.getByRole("status").filter({ hasText: "Choose the first and the last day" }).waitFor();
    expect(await page.getByRole("button", { name: "Download export" }).isDisabled()).toBe(true);
    await page.getByLabel("First day").fill("2026-03-10");
    await page.getByLabel("Last day").fill("2026-03-01");
    await page.getByRole("alert").filter({ hasText: "must be before" }).waitFor();
    const today = new Date().toLocaleDateString("en-CA", { timeZone: "UTC" });
    await page.getByLabel("First day").fill(today);
    await page.getByLabel("Last day").fill(today);
    await page.locator("#analytics-requests").filter({ hasText: "5" }).waitFor();
    expect(await page.getByRole("alert").count()).toBe(0);
    await page.getByLabel("Period").selectOption("today");
  }, BROWSER_TIMEOUT_MS);

  test("the billing export downloads as a CSV whose calls and totals match the calls made", async () => {
    await page.getByLabel("Calls", { exact: true }).selectOption("all_usage");
    await page.getByLabel("Format").selectOption("csv");
    const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download export" }).click()]);
    expect(file.suggestedFilename()).toMatch(/^keyway-all_usage-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    await page.getByRole("status").filter({ hasText: `Downloaded ${file.suggestedFilename()}` }).waitFor();
    const text = readFileSync((await file.path()) as string, "utf8");
    const lines = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    const calls = lines.filter((l) => l.record === "call");
    expect(calls.map((c) => c.request_id).sort()).toEqual(made.map((r) => r.request_id).sort());
    for (const call of calls) {
      const row = made.find((r) => r.request_id === call.request_id) as UsageRow;
      expect(call.provider).toBe(row.provider);
      expect(call.key_source).toBe("request");
      expect(Number(call.list_cost_usd)).toBeCloseTo(row.estimated_cost_micros / 1e6, 6);
      expect(Number(call.input_tokens)).toBe(row.input_tokens);
    }
    const providers = Object.fromEntries(lines.filter((l) => l.record === "provider").map((l) => [l.provider, Number(l.requests)]));
    expect(providers).toEqual({ openai: 3, anthropic: 2 });
    const [total] = lines.filter((l) => l.record === "total");
    expect(Number(total?.requests)).toBe(5);
    expect(Math.round(Number(total?.list_cost_usd) * 1e6)).toBe(made.reduce((s, r) => s + r.estimated_cost_micros, 0));
    expect(Number(total?.input_tokens)).toBe(made.reduce((s, r) => s + r.input_tokens, 0));
    expect(Number(total?.output_tokens)).toBe(made.reduce((s, r) => s + r.output_tokens, 0));
    // The sum of the call lines is the total line, to the micro-dollar.
    expect(Math.round(calls.reduce((s, c) => s + Number(c.list_cost_usd) * 1e6, 0))).toBe(Math.round(Number(total?.list_cost_usd) * 1e6));
    expect(lines.some((l) => l.record === "model" || l.record === "team")).toBe(true);
  }, BROWSER_TIMEOUT_MS);

  test("a developer sees the page with its own calls only (none here), and may export them", async () => {
    const created = await gw.post("/v1/api-keys", { name: "analytics dev", role: "developer" });
    expect(created.status).toBe(201);
    const developer = await browser.newUser();
    const devPage = await openDashboard(developer, gw.url, "/analytics");
    await signIn(devPage, (await created.json()).key as string);
    await devPage.getByLabel("Period").selectOption("today");
    await devPage.locator("#analytics-requests").filter({ hasText: "0" }).waitFor();
    await devPage.getByRole("cell", { name: "No calls in this period." }).waitFor();
    const [file] = await Promise.all([devPage.waitForEvent("download"), devPage.getByRole("button", { name: "Download export" }).click()]);
    const lines = parse(readFileSync((await file.path()) as string, "utf8"), { columns: true }) as Record<string, string>[];
    expect(lines.filter((l) => l.record === "call")).toEqual([]);
    expect(Number(lines.find((l) => l.record === "total")?.requests)).toBe(0);
    await developer.close();
  }, BROWSER_TIMEOUT_MS);
});
