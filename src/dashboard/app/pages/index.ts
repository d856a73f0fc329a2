// Every page of the dashboard, in navigation order. Adding a page: write pages/<name>.ts exporting a `Page`, add it here.
import type { Page } from "./page.ts";
import { overviewPage } from "./overview.ts";
import { analyticsPage } from "./analytics.ts";
import { providersPage } from "./providers.ts";
import { storedKeysPage } from "./stored-keys.ts";
import { teamsPage } from "./teams.ts";
import { apiKeysPage } from "./api-keys.ts";
import { approvalsPage } from "./approvals.ts";
import { alertsPage } from "./alerts.ts";
import { auditPage } from "./audit.ts";
import { requestLogsPage } from "./request-logs.ts";

export const PAGES: Page[] = [overviewPage, analyticsPage, providersPage, storedKeysPage, teamsPage, apiKeysPage, approvalsPage, alertsPage, auditPage, requestLogsPage];
