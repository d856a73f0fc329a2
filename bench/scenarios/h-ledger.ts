// Scenario h: the usage ledger at volume. 5M synthetic calls over the last 30 days are written through the store (so
// the hourly rollups are kept as the gateway keeps them, and ended days summed as its background upkeep sums them),
// then the keyway binary answers analytics over them and exports a million of them; and the cost of rollup upkeep on
// the write path, per one-call commit (the group commit at concurrency 1), against the same commit without it.
import { Database } from "bun:sqlite";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { openDatabase } from "../../src/store/sqlite/database.ts";
import { preparedRollupUpsert } from "../../src/store/sqlite/rollup-upsert.ts";
import { usageRecords } from "../../src/store/sqlite/schema.ts";
import { preparedRowInsert } from "../../src/store/sqlite/table-sql.ts";
import { openStore } from "../../src/store/sqlite/open-store.ts";
import type { UsageRecord } from "../../src/store/repositories/usage.ts";
import { rollUp } from "../../src/store/usage-rollup.ts";
import type { Context } from "../lib/measure.ts";
import { rssMb, stop, WORK_DIR } from "../lib/processes.ts";
import { type Goal, missing, type Row, type Section } from "../lib/report.ts";
import { startKeyway, writeKeywayConfig } from "../lib/stack.ts";
import { percentile } from "../lib/stats.ts";
import { ADMIN_KEY } from "../lib/targets.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const ANALYTICS_P50_LIMIT_MS = 100;
export const EXPORT_LIMIT_S = 10;
export const EXPORT_RSS_LIMIT_MB = 50;

/** The synthetic traffic's shape: per account, teams x projects x models x key sources. */
const SHAPE = { accounts: 2, teams: 6, projects: 2, providers: ["openai", "anthropic", "google"], modelsPerProvider: 3, keySources: ["request", "stored", "platform"] };

/** A well-mixed integer of (i, salt), so each dimension varies independently of the others. */
function mix(i: number, salt: number): number {
  let x = Math.imul(i ^ salt, 0x9e3779b1);
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  return (x ^ (x >>> 13)) >>> 0;
}

/** Call `i` of `total`, spread evenly over [from, from + span); every combination of the shape occurs every hour. */
function syntheticCall(i: number, total: number, from: number, span: number): UsageRecord {
  const provider = SHAPE.providers[mix(i, 1) % SHAPE.providers.length] as string;
  const keySource = SHAPE.keySources[mix(i, 2) % SHAPE.keySources.length] as string;
  const input = 50 + ((i * 7919) % 2_000);
  const output = 20 + ((i * 104_729) % 800);
  const list = input * 2 + output * 8;
  return {
    requestId: `req_${i}`,
    accountId: `acct_${mix(i, 3) % SHAPE.accounts}`,
    apiKeyId: `key_${mix(i, 4) % 11}`,
    teamId: `team_${mix(i, 5) % SHAPE.teams}`,
    projectTag: `project_${mix(i, 6) % SHAPE.projects}`,
    endpoint: "/v1/chat/completions",
    provider,
    model: `${provider}-model-${mix(i, 7) % SHAPE.modelsPerProvider}`,
    keySource,
    byok: keySource !== "platform",
    status: i % 97 === 0 ? 502 : 200,
    attempts: 1,
    inputTokens: input,
    outputTokens: output,
    costMicros: keySource === "platform" ? list + (list >> 3) : 0,
    estimatedCostMicros: list,
    latencyMs: 40 + ((i * 6_151) % 3_000),
    createdAt: from + Math.floor((i / total) * span),
  };
}

/** Seeds the database keyway will open; returns the rollup rows written (hourly, daily). */
async function seed(path: string, total: number, now: number): Promise<{ hourly: number; daily: number; seconds: number }> {
  const began = performance.now();
  const store = openStore(path);
  try {
    const from = Math.floor((now - 30 * DAY) / HOUR) * HOUR;
    const span = now - from;
    const batch: UsageRecord[] = [];
    for (let i = 0; i < total; i++) {
      batch.push(syntheticCall(i, total, from, span));
      if (batch.length === 5_000) await store.usage.insertMany(batch.splice(0));
    }
    await store.usage.insertMany(batch);
    // What the gateway's background upkeep does once a day has ended an hour ago.
    const beforeDay = Math.floor((now - HOUR) / DAY);
    while ((await store.usageRollups.compactDays(beforeDay, 7)) > 0);
  } finally {
    store.close();
  }
  const db = new Database(path, { readonly: true });
  try {
    const count = (table: string) => (db.query(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { hourly: count("usage_rollups"), daily: count("usage_rollups_daily"), seconds: (performance.now() - began) / 1000 };
  } finally {
    db.close();
  }
}

async function timeAnalytics(url: string, runs: number): Promise<{ p50: number; p95: number; groups: number } | string> {
  const times: number[] = [];
  let groups = 0;
  for (let run = 0; run < runs + 3; run++) {
    const began = performance.now();
    const response = await fetch(url, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    const body = (await response.json()) as { by_model?: unknown[]; total_requests?: number; error?: { message: string } };
    if (response.status !== 200) return `answered ${response.status}: ${body.error?.message ?? ""}`;
    if (run >= 3) times.push(performance.now() - began);
    groups = body.by_model?.length ?? 0;
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), groups };
}

/** Streams an export to the end, sampling keyway's RSS meanwhile. */
async function timeExport(baseUrl: string, pid: number, from: number, to: number) {
  const before = rssMb(pid) ?? 0;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(pid) ?? 0);
  }, 20);
  const began = performance.now();
  try {
    const response = await fetch(`${baseUrl}/v1/billing/export`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ type: "all_usage", period: "custom", from: new Date(from).toISOString(), to: new Date(to).toISOString(), format: "csv" }),
    });
    if (response.status !== 200 || !response.body) return `answered ${response.status}: ${(await response.text()).slice(0, 160)}`;
    let lines = 0;
    let bytes = 0;
    for await (const chunk of response.body) {
      bytes += chunk.byteLength;
      for (let i = 0; i < chunk.byteLength; i++) if (chunk[i] === 10) lines++;
    }
    return { seconds: (performance.now() - began) / 1000, growthMb: peak - before, lines, mb: bytes / 1024 / 1024 };
  } finally {
    clearInterval(sampler);
  }
}

/** One-call commits (a transaction each, as the group commit writes them at concurrency 1), with and without rollups. */
export function rollupUpkeepCost(dir: string, commits: number): { withRollups: number; without: number } {
  const measure = (name: string, rollups: boolean): number => {
    const path = join(dir, `${name}.db`);
    for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
    const { sqlite } = openDatabase(path);
    try {
      const insertRow = preparedRowInsert(sqlite, usageRecords);
      const upsert = preparedRollupUpsert(sqlite);
      const commit = sqlite.transaction((rows: UsageRecord[]) => {
        for (const row of rows) insertRow(row);
        if (rollups) upsert(rollUp(rows));
      });
      const now = Date.now();
      const call = (i: number) => ({ ...syntheticCall(i, commits, now, 1), createdAt: now });
      for (let i = 0; i < 2_000; i++) commit([call(i)]);
      const began = Bun.nanoseconds();
      for (let i = 0; i < commits; i++) commit([call(i)]);
      return (Bun.nanoseconds() - began) / commits / 1_000;
    } finally {
      sqlite.close();
    }
  };
  // Alternated, so a change of machine load touches both alike.
  const withRollups: number[] = [];
  const without: number[] = [];
  for (let round = 0; round < 3; round++) {
    without.push(measure(`h-upkeep-${round}-raw`, false));
    withRollups.push(measure(`h-upkeep-${round}-rollups`, true));
  }
  const mid = (values: number[]) => [...values].sort((a, b) => a - b)[1] as number;
  return { withRollups: mid(withRollups), without: mid(without) };
}

export async function scenarioH(ctx: Context, binary: string): Promise<{ section: Section; goals: Goal[] }> {
  const total = ctx.quick ? 500_000 : 5_000_000;
  const setup = writeKeywayConfig("h-keyway", ctx.stack.mockUrl, false);
  const now = Date.now();
  ctx.log(`  h: seeding ${total.toLocaleString("en")} calls over 30 days`);
  const seeded = await seed(join(setup.dir, "keyway.db"), total, now);
  ctx.log(`  h: seeded in ${seeded.seconds.toFixed(0)} s (${seeded.hourly} hourly, ${seeded.daily} daily rollup rows)`);
  const keyway = await startKeyway("h-keyway", binary, setup);
  const rows: Row[] = [];
  const goals: Goal[] = [];
  const notes: string[] = [];
  const only = (label: string, value: number | string, ratios = false): Row => ({ label, values: { keyway: typeof value === "number" ? value : missing(value) }, ratios });
  try {
    const query = "group_by=provider,model,team";
    // current_month covers this month's days so far (one day on the 1st); last_30_days all 30 days.
    for (const period of ["current_month", "last_30_days"]) {
      const timed = await timeAnalytics(`${keyway.url}/v1/analytics/byok?period=${period}&${query}`, ctx.quick ? 5 : 25);
      rows.push(only(`analytics ${period}, by provider, model, team: p50 (ms)`, typeof timed === "string" ? timed : timed.p50));
      rows.push(only(`analytics ${period}: p95 (ms)`, typeof timed === "string" ? timed : timed.p95));
      {
        goals.push({
          text: `analytics over ${(total / 1e6).toFixed(1)}M calls (${period}, by provider, model, team) under ${ANALYTICS_P50_LIMIT_MS} ms p50`,
          met: typeof timed === "string" ? undefined : timed.p50 < ANALYTICS_P50_LIMIT_MS,
          measured: typeof timed === "string" ? timed : `${timed.p50.toFixed(1)} ms p50 (${timed.groups} model groups)`,
        });
      }
    }
    // The last 6 of the 30 days: about a million calls (a fifth of them).
    const exportFrom = now - 6 * DAY;
    const exported = await timeExport(keyway.url, keyway.started.proc.pid, exportFrom, now + 1);
    const expectedCalls = Math.round(total / 5);
    if (typeof exported === "string") {
      rows.push(only("export of the last 6 days (CSV)", exported));
    } else {
      rows.push(only(`export, CSV lines (about ${expectedCalls.toLocaleString("en")} calls)`, exported.lines));
      rows.push(only("export: seconds to the last byte", exported.seconds));
      rows.push(only("export: MB written", exported.mb));
      rows.push(only("export: keyway RSS growth, peak (MB)", exported.growthMb));
    }
    goals.push({
      text: `export of about ${(expectedCalls / 1e6).toFixed(1)}M calls under ${EXPORT_LIMIT_S} s with keyway's RSS under +${EXPORT_RSS_LIMIT_MB} MB`,
      met: typeof exported === "string" ? undefined : exported.seconds < EXPORT_LIMIT_S && exported.growthMb < EXPORT_RSS_LIMIT_MB,
      measured: typeof exported === "string" ? exported : `${exported.seconds.toFixed(1)} s, +${exported.growthMb.toFixed(1)} MB (${exported.lines.toLocaleString("en")} lines)`,
    });
  } finally {
    await stop(keyway.started);
  }
  const upkeep = rollupUpkeepCost(WORK_DIR, ctx.quick ? 5_000 : 20_000);
  rows.push(only("one-call commit without rollups (µs)", upkeep.without));
  rows.push(only("one-call commit with hourly rollups, as keyway writes it (µs)", upkeep.withRollups));
  notes.push(
    `Rollup upkeep adds ${(upkeep.withRollups - upkeep.without).toFixed(1)} µs to a one-call commit (a batch of many calls shares it); ` +
      "compare with keyway's added latency at concurrency 1 in scenarios a and e.",
  );
  return {
    section: {
      id: "h",
      title: "Usage ledger at volume: analytics, export, rollup upkeep",
      method:
        `${total.toLocaleString("en")} synthetic calls over the last 30 days (${SHAPE.accounts} accounts, ${SHAPE.teams} teams, ${SHAPE.projects} projects, ` +
        `${SHAPE.providers.length} providers x ${SHAPE.modelsPerProvider} models, ${SHAPE.keySources.length} key sources) are written through the store in batches ` +
        `of 5,000 (hourly rollups kept in the same transactions; ended days summed into daily rollups as keyway's upkeep does): ` +
        `${seeded.hourly.toLocaleString("en")} hourly and ${seeded.daily.toLocaleString("en")} daily rollup rows. The keyway binary then answers ` +
        "GET /v1/analytics/byok (admin key, every account) 3 times to warm up and then timed one after another, and a CSV export " +
        "(POST /v1/billing/export, all_usage) of the last 6 days read to its last byte while keyway's RSS is sampled every 20 ms. " +
        "Last, the write path in this process: one-call transactions (raw row, and raw row plus rollup upsert), median of 3 alternated runs. " +
        "This scenario runs after the timed five minutes of a-g.",
      rows,
      notes,
    },
    goals,
  };
}
