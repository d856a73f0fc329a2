import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { knownNames } from "../../src/cli/known-names.ts";
import { loadConfigFrom } from "../../src/config/load.ts";
import { startRuntime } from "../../src/runtime.ts";
import { createLogger } from "../../src/telemetry/logger.ts";

describe("admin key bootstrap", () => {
  test("the first start creates an admin key once; only its hash is stored; later starts create none", async () => {
    const dir = mkdtempSync(join(tmpdir(), "keyway-bootstrap-"));
    const logs: string[] = [];
    const { config } = loadConfigFrom({ server: { port: 0 }, storage: { path: join(dir, "k.db") }, security: { master_key_file: join(dir, "master.key") } }, "t", {}, knownNames);
    const start = () => startRuntime({ config, source: "built-in defaults", logger: createLogger("debug", (l) => logs.push(l)) });
    try {
      const first = await start();
      const key = first.createdAdminKey as string;
      expect(key).toMatch(/^kw_/);
      const created = await fetch(`${first.url}/v1/api-keys`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}` },
        body: JSON.stringify({ name: "from admin" }),
      });
      expect(created.status).toBe(201);
      await first.stop();

      const second = await start();
      expect(second.createdAdminKey).toBeUndefined();
      const still = await fetch(`${second.url}/v1/api-keys`, { headers: { authorization: `Bearer ${key}` } });
      expect(still.status).toBe(200);
      await second.stop();

      const files = ["k.db", "k.db-wal"].map((f) => { try { return readFileSync(join(dir, f)).toString("latin1"); } catch { return ""; } }).join("");
      expect(files).not.toContain(key);
      expect(files).toContain(new Bun.CryptoHasher("sha256").update(key).digest("hex"));
      expect(logs.join("\n")).not.toContain(key);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
