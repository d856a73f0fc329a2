// kill -9 of a serving gateway: every call whose answer the client fully received has its usage row.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { startSourceServer, writeBinaryConfig } from "../helpers/binary.ts";

const KEY = "sk-proj-durable0000000000000000000001";
const ADMIN = "kw_durability_test_admin_key_00000001";
let mock: MockOpenAI;
let dir: string;

beforeAll(() => {
  mock = new MockOpenAI({ keys: [KEY] }).start();
  dir = mkdtempSync(join(tmpdir(), "keyway-kill-"));
});
afterAll(async () => {
  await mock.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** One call, read to its last byte; resolves with its request id once the whole answer arrived. */
async function completedCall(url: string, stream: boolean): Promise<string | undefined> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json", "x-byok-api-key": KEY },
    body: JSON.stringify({ model: "openai/gpt-4o", messages: [{ role: "user", content: "count me" }], stream }),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`unexpected ${res.status}: ${text}`);
  if (stream ? !text.endsWith("data: [DONE]\n\n") : !text.endsWith("}")) return undefined;
  return res.headers.get("x-request-id") ?? undefined;
}

describe("usage survives kill -9", () => {
  test("calls answered just before the kill, and calls answered during load up to the kill, all have their rows", async () => {
    const config = writeBinaryConfig(dir, ADMIN, [`providers: { openai: { adapter: openai, base_url: "${mock.url}" } }`]);
    const { proc, url } = await startSourceServer(config);
    const answered: string[] = [];
    let killed = false;
    try {
      // A few calls, then the kill at once: no timer-driven flush can have run in between.
      for (let i = 0; i < 6; i++) {
        const id = await completedCall(url, i % 2 === 0);
        if (id) answered.push(id);
      }
      // Load from 8 clients; the kill lands while calls are in flight.
      const workers = Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; !killed; i++) {
          try {
            const id = await completedCall(url, (w + i) % 2 === 0);
            if (id && !killed) answered.push(id);
          } catch {
            return; // the gateway is gone
          }
        }
      });
      await Bun.sleep(400);
      proc.kill("SIGKILL");
      killed = true;
      await proc.exited;
      await Promise.all(workers);
    } finally {
      if (!killed) proc.kill("SIGKILL");
    }
    expect(answered.length).toBeGreaterThan(20);
    const db = new Database(join(dir, "keyway.db"), { readonly: true });
    const recorded = new Set((db.query("SELECT request_id FROM usage_records").all() as { request_id: string }[]).map((r) => r.request_id));
    db.close();
    const lost = answered.filter((id) => !recorded.has(id));
    expect(lost).toEqual([]);
  }, 30_000);
});
