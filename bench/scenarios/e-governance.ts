// Scenario e: governance on: an account's own keyway key, its stored provider key, usage recorded for every call.
import { Database } from "bun:sqlite";
import { checkedRequests, type Context, errorNotes, latencyRows, type MeasuredRun, wrkEach } from "../lib/measure.ts";
import type { Goal, Row, Section } from "../lib/report.ts";
import { missing } from "../lib/report.ts";

/** Usage rows keyway wrote for the account key (read straight from its SQLite file), or why they could not be counted. */
export function usageRows(dbPath: string | undefined, keyId: string): number | string {
  if (!dbPath) return "no database path";
  try {
    const db = new Database(dbPath, { readonly: true });
    try {
      const row = db.query("SELECT count(*) AS n FROM usage_records WHERE api_key_id = ?").get(keyId) as { n: number } | null;
      return row?.n ?? 0;
    } finally {
      db.close();
    }
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const sent = (r: MeasuredRun | string) => (typeof r === "string" ? 0 : r.requests + r.warmupRequests);

export async function scenarioE(ctx: Context): Promise<{ section: Section; goals: Goal[] }> {
  const { stack } = ctx;
  const shape = { api: "openai", model: "gpt-mock", governed: true } as const;
  const requests = await checkedRequests(stack, shape);
  const plainKeyway = await checkedRequests(stack, { api: "openai", model: "gpt-mock" }, ["keyway"]);
  const before = stack.governedKey ? usageRows(stack.keywayDb, stack.governedKey.id) : 0;
  const serial = await wrkEach(ctx, requests, { name: "e-c1", connections: 1, seconds: 2, warmupSeconds: 1, warmupConnections: 16 });
  const loaded = await wrkEach(ctx, requests, { name: "e-c64", connections: 64, seconds: 2 });
  const ungoverned = await wrkEach(ctx, plainKeyway, { name: "e-c64-admin", connections: 64, seconds: 2 });
  const notes: string[] = [];
  if (stack.governedKey) {
    await Bun.sleep(1500);
    const after = usageRows(stack.keywayDb, stack.governedKey.id);
    const completed = sent(serial.keyway) + sent(loaded.keyway);
    notes.push(
      typeof after === "number" && typeof before === "number"
        ? `usage recording: keyway wrote ${after - before} usage rows for the account key while wrk completed ${completed} requests with it ` +
            "(rows can exceed that by the requests still in flight when wrk stopped, which keyway records too)"
        : `usage recording: rows could not be counted (${typeof after === "string" ? after : before})`,
    );
  }
  notes.push(
    stack.storedKey === true
      ? "the keyway column uses a developer key of the default account (POST /v1/api-keys) and the account's stored OpenAI key (POST /v1/providers/keys); no key in the request"
      : `the keyway column uses a developer key of the default account; ${stack.storedKey}`,
  );
  const rows: Row[] = [
    ...latencyRows(serial, loaded),
  ];
  const admin = ungoverned.keyway;
  rows.push({
    label: "keyway with the admin key and a per-request key instead (req/s at 64 connections)",
    values: { keyway: typeof admin === "string" ? missing(admin) : admin.rps },
    ratios: false,
  });
  return {
    section: {
      id: "e",
      title: "Governance on: account key, stored provider key, usage recording",
      method:
        "The same non-stream call as in a (zero-delay upstream, ~1.4 KB answer), with keyway's governance in the path. wrk at 1 connection (2 s, after a 1 s warm-up at 16) " +
        "and at 64 connections (2 s). direct, the bare proxy and the peer have no such features and take their plain request. Milliseconds, except rates.",
      rows,
      notes: [...notes, ...errorNotes("concurrency 1", serial, (r) => r.errorDetail), ...errorNotes("64 connections", loaded, (r) => r.errorDetail)],
    },
    goals: [],
  };
}
