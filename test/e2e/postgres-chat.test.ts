// A gateway on Postgres end to end: `keyway serve` (a real process) migrates a fresh schema at start-up, answers a
// chat with the caller's own key over real HTTP, and the usage row lands in Postgres.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPool } from "../../src/store/postgres/database.ts";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { startSourceServer } from "../helpers/binary.ts";
import { freshPostgresSchema, POSTGRES_URL } from "../helpers/postgres.ts";

const KEY = "sk-postgres-e2e-0123456789abcdef";
const ADMIN = "kw_postgres_e2e_admin_0000000001";
const fresh = await freshPostgresSchema("e2e");
const db = openPool({ url: POSTGRES_URL, schema: fresh.schema, poolSize: 1 });
let mock: MockOpenAI;
let server: Awaited<ReturnType<typeof startSourceServer>>;

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [KEY] }).start();
  const dir = mkdtempSync(join(tmpdir(), "keyway-pg-e2e-"));
  const url = new URL(POSTGRES_URL);
  url.searchParams.set("options", `-c search_path=${fresh.schema}`);
  const config = join(dir, "keyway.yaml");
  writeFileSync(config, [
    "server: { host: 127.0.0.1, port: 0 }",
    `storage: { driver: postgres, url: "${url}", pool_size: 4 }`,
    `security: { admin_key: ${ADMIN}, master_key_file: ${join(dir, "master.key")} }`,
    `providers: { openai: { adapter: openai, base_url: "${mock.url}" } }`,
  ].join("\n"));
  server = await startSourceServer(config);
}, 30_000);

afterAll(async () => {
  server?.proc.kill("SIGTERM");
  await server?.proc.exited;
  await mock.stop();
  await db.close();
  await fresh.drop();
});

describe("serve on Postgres", () => {
  test("migrated the fresh schema at start-up and is ready", async () => {
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(200);
    const [row] = (await db`SELECT count(*)::int AS n FROM keyway_migrations`) as { n: number }[];
    expect(row?.n).toBeGreaterThan(0);
  });

  test("a BYOK chat through a developer key answers and writes its usage row to Postgres", async () => {
    const created = await fetch(`${server.url}/v1/api-keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "pg-dev" }),
    });
    expect(created.status).toBe(201);
    const { id, key } = (await created.json()) as { id: string; key: string };
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "x-byok-api-key": KEY },
      body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hi there" }] }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { choices: { message: { content: string } }[]; usage: { prompt_tokens: number; completion_tokens: number } };
    expect(body.choices[0]?.message.content).toBe("echo: hi there");
    // Usage rows are written in the background: wait for it.
    let rows: { api_key_id: string; input_tokens: string; output_tokens: string; byok: boolean }[] = [];
    for (const deadline = Date.now() + 5000; rows.length === 0 && Date.now() < deadline; await Bun.sleep(50)) {
      rows = (await db`SELECT api_key_id, input_tokens, output_tokens, byok FROM usage_records`) as typeof rows;
    }
    expect(rows).toHaveLength(1);
    expect(rows[0]?.api_key_id).toBe(id);
    expect(rows[0]?.byok).toBe(true);
    expect(Number(rows[0]?.input_tokens)).toBe(body.usage.prompt_tokens);
    expect(Number(rows[0]?.output_tokens)).toBe(body.usage.completion_tokens);
  }, 20_000);
});
