// Every page of the dashboard, in navigation order. Adding a page: write pages/<name>.ts exporting a `Page`, add it here.
import type { Page } from "./page.ts";
import { overviewPage } from "./overview.ts";
import { providersPage } from "./providers.ts";
import { storedKeysPage } from "./stored-keys.ts";

export const PAGES: Page[] = [overviewPage, providersPage, storedKeysPage];
