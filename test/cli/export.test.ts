// `keyway export` run as the real CLI on a database seeded here: the file on stdout (CSV and JSON) holds the
// period's calls and totals equal to an independent sum; progress and the summary go to stderr only; exit codes.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import type { UsageRecord } from "../../src/store/repositories/usage.ts";
import { openStore } from "../../src/store/sqlite/open-store.ts";

const MAIN = join(import.meta.dir, "../../src/main.ts");
const dir = mkdtempSync(join(tmpdir(), "keyway-export-cli-"));
const dbPath = join(dir, "k.db");
const config = join(dir, "keyway.yaml");
writeFileSync(config, `storage: { path: ${dbPath} }\nsecurity: { master_key_file: ${join(dir, "master.key")} }\nbudgets: { time_zone: Europe/Berlin }\nusage: { retention_days: 3650 }\n`);
const rows: UsageRecord[] = [];
let accountA = "";
let accountB = "";
// 2025-03-29 and 2025-03-30 in Berlin: the spring change shortens the second day to 23 hours.
const FROM = Date.UTC(2025, 2, 28, 23);
const TO = Date.UTC(2025, 2, 30, 22);

beforeAll(async () => {
  const store = openStore(dbPath);
  accountA = (await store.accounts.create("cli a")).id;
  accountB = (await store.accounts.create("cli b")).id;
  let i = 0;
  for (let at = FROM - 5 * 3_600_000; at < TO + 5 * 3_600_000; at += 61_000, i++) {
    rows.push({
      requestId: `req_${i}`, accountId: i % 3 === 0 ? accountB : accountA, apiKeyId: "key_1", teamId: null, projectTag: i % 2 ? "=cmd|' /C calc'!A0" : null,
      endpoint: "/v1/chat/completions", provider: i % 2 ? "openai" : "mistral", model: i % 2 ? "gpt-4o" : "mistral-large", keySource: i % 4 === 0 ? "platform" : "stored",
      byok: i % 4 !== 0, status: 200, attempts: 1, latencyMs: 100 + (i % 50), inputTokens: i % 1000, outputTokens: i % 300,
      costMicros: i % 4 === 0 ? 2_000 + i : 0, estimatedCostMicros: 1_000 + i, createdAt: at,
    });
  }
  for (let k = 0; k < rows.length; k += 1_000) await store.usage.insertMany(rows.slice(k, k + 1_000));
  store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function keyway(args: string[]) {
  const result = Bun.spawnSync([process.execPath, MAIN, ...args], { env: { ...process.env, KEYWAY_CONFIG: "" } });
  return { code: result.exitCode, out: result.stdout.toString(), err: result.stderr.toString() };
}

const byokIn = (r: UsageRecord) => r.createdAt >= FROM && r.createdAt < TO && r.keySource === "stored";
const micros = (usd: string | number) => Math.round(Number(usd) * 1e6);

describe("keyway export", () => {
  test("CSV on stdout: the period's BYOK calls and their totals; progress and summary on stderr", () => {
    const run = keyway(["export", "--type", "byok_usage", "--from", "2025-03-29", "--to", "2025-03-30", "--include", "provider_breakdown,hourly_usage", "--config", config]);
    expect(run.code).toBe(0);
    const lines = parse(run.out, { columns: true }) as Record<string, string>[];
    const expected = rows.filter(byokIn);
    const calls = lines.filter((l) => l.record === "call");
    expect(calls.map((l) => l.request_id)).toEqual(expected.map((r) => r.requestId));
    expect(calls.find((l) => l.project !== "")?.project).toBe("'=cmd|' /C calc'!A0");
    const total = lines.find((l) => l.record === "total");
    expect(Number(total?.requests)).toBe(expected.length);
    expect(micros(total?.list_cost_usd ?? "")).toBe(expected.reduce((t, r) => t + (r.estimatedCostMicros ?? 0), 0));
    expect(Number(total?.input_tokens)).toBe(expected.reduce((t, r) => t + (r.inputTokens ?? 0), 0));
    const mistral = lines.find((l) => l.record === "provider" && l.provider === "mistral");
    expect(Number(mistral?.requests)).toBe(expected.filter((r) => r.provider === "mistral").length);
    // 24 + 23 local hours (the spring change).
    expect(lines.filter((l) => l.record === "hour")).toHaveLength(47);
    expect(run.err).toContain(`exported ${expected.length} calls (byok_usage, 2025-03-29T00:00:00.000+01:00 to 2025-03-31T00:00:00.000+02:00, Europe/Berlin) as keyway-byok_usage-2025-03-29-2025-03-30.csv`);
    expect(run.out).not.toContain("exported");
  });

  test("JSON for one account, the same totals as an independent sum", () => {
    const run = keyway(["export", "--type", "all_usage", "--from", "2025-03-29", "--to", "2025-03-30", "--format", "json", "--account", accountB, "--config", config]);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.out) as { account_id: string; calls: { account_id: string }[]; totals: Record<string, number> };
    const expected = rows.filter((r) => r.createdAt >= FROM && r.createdAt < TO && r.accountId === accountB);
    expect(doc.account_id).toBe(accountB);
    expect(doc.calls).toHaveLength(expected.length);
    expect(doc.calls.every((c) => c.account_id === accountB)).toBe(true);
    expect(micros(doc.totals.cost_usd ?? Number.NaN)).toBe(expected.reduce((t, r) => t + (r.costMicros ?? 0), 0));
    expect(doc.totals.requests).toBe(expected.length);
  });

  test("help, and user errors exit 1 naming what is wrong, with nothing on stdout", () => {
    const help = keyway(["export", "--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toContain("keyway export --type");
    expect(keyway(["--help"]).out).toContain("keyway export");
    const cases: [string[], string][] = [
      [["export", "--config", config], "--type is required"],
      [["export", "--type", "byok", "--config", config], "'type' must be one of"],
      [["export", "--type", "all_usage", "--format", "xml", "--config", config], "'format' must be one of"],
      [["export", "--type", "all_usage", "--include", "provider_breakdown,nope", "--config", config], "'include' must be one of"],
      [["export", "--type", "all_usage", "--from", "2025-03-30", "--to", "2025-03-01", "--config", config], "'from'"],
      [["export", "--type", "all_usage", "--account", "acc_missing", "--config", config], "no account 'acc_missing'"],
      [["export", "--type", "all_usage", "--colour", "red", "--config", config], "colour"],
    ];
    for (const [args, message] of cases) {
      const run = keyway(args);
      expect(run.code, args.join(" ")).toBe(1);
      expect(run.err).toContain(message);
      expect(run.out).toBe("");
    }
  });
});
