// The Overview on a week of realistic traffic (four providers, three teams, BYOK and platform keys, a daily rhythm,
// some errors), written to the ledger through the store, then drawn in a real browser and captured as
// test-output/dashboard/readme-overview.png: the picture docs/images/dashboard-overview.png was copied from.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { UsageRecord } from "../../src/store/repositories/usage.ts";
import { openStore } from "../../src/store/sqlite/open-store.ts";
import { launchBrowser, openDashboard, signIn, type TestBrowser } from "../helpers/browser.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";

const BROWSER_TIMEOUT_MS = 30_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Provider, model, list price per 1,000 input and output tokens (micro-USD), typical latency (ms), error rate. */
const MODELS: [string, string, number, number, number, number][] = [
  ["openai", "gpt-4o", 2_500, 10_000, 900, 0.01],
  ["openai", "gpt-4o-mini", 150, 600, 450, 0.008],
  ["anthropic", "claude-3-5-sonnet", 3_000, 15_000, 1_300, 0.015],
  ["gemini", "gemini-1.5-pro", 1_250, 5_000, 1_100, 0.03],
  ["mistral", "mistral-large", 2_000, 6_000, 700, 0.02],
];

let gw: TestGateway;
let browser: TestBrowser;
const rows: UsageRecord[] = [];

beforeAll(async () => {
  gw = await startGateway({
    providers: { openai: { adapter: "openai", base_url: "http://127.0.0.1:9" } },
    platform: { markup_percent: 12.5, byok_fee_percent: 2.5 },
  });
  const teams: string[] = [];
  for (const name of ["Platform", "Research", "Support"]) {
    const res = await gw.post("/v1/teams", { name });
    expect(res.status).toBe(201);
    teams.push(((await res.json()) as { id: string }).id);
  }
  let seed = 42;
  const next = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const now = Date.now();
  let i = 0;
  for (let at = now - 7 * DAY; at < now; ) {
    // Busier in the working hours (UTC), quiet at night.
    const hour = new Date(at).getUTCHours();
    const busy = hour >= 8 && hour < 19 ? 1 : 0.25;
    at += Math.floor((next() * 6 * MINUTE) / busy) + 1;
    const [provider, model, inPrice, outPrice, latency, errorRate] = MODELS[Math.floor(next() ** 1.4 * MODELS.length)]!;
    const keySource = next() < 0.65 ? "stored" : next() < 0.5 ? "request" : "platform";
    const failed = next() < errorRate;
    const input = failed ? 0 : 200 + Math.floor(next() * 2_400);
    const output = failed ? 0 : 40 + Math.floor(next() * 700);
    const list = Math.round((input * inPrice + output * outPrice) / 1_000);
    rows.push({
      requestId: `shot_${i++}`, accountId: "acc_default", apiKeyId: "key_shot", teamId: next() < 0.15 ? null : teams[Math.floor(next() * teams.length)]!,
      endpoint: "/v1/chat/completions", provider, model, keySource, byok: keySource !== "platform", status: failed ? (next() < 0.5 ? 429 : 502) : 200,
      attempts: 1, inputTokens: input, outputTokens: output, estimatedCostMicros: list, costMicros: keySource === "platform" ? Math.round(list * 1.125) : 0,
      latencyMs: Math.round(latency * (0.5 + next() * next() * 2.5)), createdAt: at,
    });
  }
  const store = openStore(gw.dbPath);
  try {
    for (let k = 0; k < rows.length; k += 2_000) await store.usage.insertMany(rows.slice(k, k + 2_000));
  } finally {
    store.close();
  }
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await gw?.stop();
});

describe("the README's screenshot", () => {
  test("the Overview of a week of traffic, captured for the README", async () => {
    const context = await browser.newUser();
    const page = await openDashboard(context, gw.url);
    await page.setViewportSize({ width: 1200, height: 800 });
    await signIn(page, gw.adminKey);
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    await page.getByLabel("Period").selectOption("last_7_days");
    const week = rows.filter((r) => r.createdAt >= Date.parse(new Date(Date.now() - 6 * DAY).toISOString().slice(0, 10))).length;
    await page.locator("#total-requests").filter({ hasText: new Intl.NumberFormat("en-US").format(week) }).waitFor();
    await page.locator("#chart-requests canvas").waitFor();
    for (const provider of ["openai", "anthropic", "gemini", "mistral"]) expect(await page.locator("#chart-latency .u-legend").textContent()).toContain(provider);
    await page.getByRole("cell", { name: "Research", exact: true }).waitFor();
    const path = new URL("../../test-output/dashboard/readme-overview.png", import.meta.url).pathname;
    await page.screenshot({ path, fullPage: true });
    expect(Bun.file(path).size).toBeGreaterThan(10_000);
    await context.close();
  }, BROWSER_TIMEOUT_MS);
});
