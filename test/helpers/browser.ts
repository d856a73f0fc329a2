// Headless Chromium (Debian's /usr/bin/chromium, never a downloaded browser) driven by playwright-core, for the
// dashboard's tests: a fresh profile per launch, a page at the gateway, sign-in, screenshots under test-output/.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM = process.env.KEYWAY_TEST_CHROMIUM ?? "/usr/bin/chromium";
const SCREENSHOTS = resolve(import.meta.dir, "../../test-output/dashboard");

const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface TestBrowser {
  /** A new browser profile (its own cookies and storage): one signed-in user. */
  newUser(): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  const contexts: { context: BrowserContext; dir: string }[] = [];
  return {
    async newUser() {
      const dir = mkdtempSync(join(tmpdir(), "keyway-chromium-"));
      const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
      contexts.push({ context, dir });
      return context;
    },
    async close() {
      for (const { context, dir } of contexts) {
        await context.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A page of the dashboard at the gateway's URL (`route`: a fragment like "/keys"). */
export async function openDashboard(context: BrowserContext, gatewayUrl: string, route = "/"): Promise<Page> {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${gatewayUrl}/dashboard#${route}`);
  return page;
}

/** Signs in through the form and waits for the shell. */
export async function signIn(page: Page, key: string): Promise<void> {
  await page.getByLabel("keyway key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Pages" }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
