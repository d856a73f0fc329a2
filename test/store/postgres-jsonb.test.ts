// JSON columns on Postgres hold real jsonb documents (arrays, objects, strings, numbers), not JSON text wrapped in a
// jsonb string, and read back exactly as written through the repositories.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { SQL } from "bun";
import { openPool } from "../../src/store/postgres/database.ts";
import { openPostgresStore } from "../../src/store/postgres/open-store.ts";
import type { Store } from "../../src/store/store.ts";
import { freshPostgresSchema, POSTGRES_URL } from "../helpers/postgres.ts";

const fresh = await freshPostgresSchema("jsonb");
let store: Store;
let sql: SQL;

beforeAll(async () => {
  store = await openPostgresStore({ url: POSTGRES_URL, schema: fresh.schema, poolSize: 2 });
  sql = openPool({ url: POSTGRES_URL, schema: fresh.schema, poolSize: 1 });
});
afterAll(async () => {
  store.close();
  await sql.close();
  await fresh.drop();
});

test("key allowlists, schedule webhooks and logged bodies are stored as jsonb values of their own type", async () => {
  const account = await store.accounts.create("json");
  await store.apiKeys.insert({ id: "k_j", accountId: account.id, name: "j", role: "admin", digest: "d_j", prefix: "kw_j", createdAt: 1, ipAllowlist: ["10.0.0.0/8"] });
  await store.rotationSchedules.upsert({ id: "rs_j", accountId: account.id, provider: "openai", cron: "0 0 * * *", webhooks: ["https://a.example"], lastRunAt: null, createdAt: 1 });
  const base = { teamId: "team_j", apiKeyId: "k_j", endpoint: "/v1/chat/completions", status: 200 };
  await store.requestLogs.insertMany([
    { ...base, requestId: "r1", createdAt: 1, request: { messages: [{ role: "user", content: "hi" }] }, response: "123" },
    { ...base, requestId: "r2", createdAt: 2, request: [1, true, null], response: 42 },
  ]);

  const [key] = await sql`SELECT jsonb_typeof(ip_allowlist) AS type, ip_allowlist ->> 0 AS first FROM api_keys WHERE id = 'k_j'`;
  expect(key).toEqual({ type: "array", first: "10.0.0.0/8" });
  const [schedule] = await sql`SELECT jsonb_typeof(webhooks) AS type, jsonb_array_length(webhooks) AS n FROM rotation_schedules WHERE id = 'rs_j'`;
  expect(schedule).toEqual({ type: "array", n: 1 });
  const logs = await sql`SELECT request_id, jsonb_typeof(request) AS req, jsonb_typeof(response) AS res FROM request_logs ORDER BY id`;
  expect(logs.map((l: Record<string, unknown>) => ({ ...l }))).toEqual([
    { request_id: "r1", req: "object", res: "string" },
    { request_id: "r2", req: "array", res: "number" },
  ]);

  expect((await store.apiKeys.get("k_j"))?.ipAllowlist).toEqual(["10.0.0.0/8"]);
  const read = await store.requestLogs.list("team_j", 10);
  expect(read.map((l) => [l.request, l.response])).toEqual([
    [[1, true, null], 42],
    [{ messages: [{ role: "user", content: "hi" }] }, "123"],
  ]);
});
