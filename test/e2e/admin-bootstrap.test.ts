import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

  test("KEYWAY_ADMIN_KEY is the admin key when the config file names none; no key is created", async () => {
    const dir = mkdtempSync(join(tmpdir(), "keyway-admin-env-"));
    const configFile = join(dir, "keyway.yaml");
    writeFileSync(configFile, `server: { port: 0 }\nstorage: { path: ${join(dir, "k.db")} }\nsecurity: { master_key_file: ${join(dir, "master.key")} }\n`);
    const adminKey = "kw_from_the_environment_0000000000000001";
    const proc = Bun.spawn([process.execPath, join(import.meta.dir, "../../src/main.ts"), "serve", "--config", configFile], {
      env: { ...process.env, KEYWAY_CONFIG: "", KEYWAY_ADMIN_KEY: adminKey },
      stdout: "pipe",
      stderr: "pipe",
    });
    try {
      const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
      let seen = "";
      for (let url; !url; ) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`keyway did not start: ${seen}`);
        seen += new TextDecoder().decode(value);
        url = /"url":"(http:\/\/[^"]+)"/.exec(seen)?.[1];
        if (url) {
          const listed = await fetch(`${url}/v1/api-keys`, { headers: { authorization: `Bearer ${adminKey}` } });
          expect(listed.status).toBe(200);
          expect((await listed.json()).data).toEqual([]);
          const refused = await fetch(`${url}/v1/api-keys`, { headers: { authorization: "Bearer kw_not_the_admin_key_00000000000000" } });
          expect(refused.status).toBe(401);
        }
      }
    } finally {
      proc.kill("SIGTERM");
      await proc.exited;
      rmSync(dir, { recursive: true, force: true });
    }
    const stderr = await new Response(proc.stderr as ReadableStream).text();
    expect(stderr).not.toContain("created an admin key");
    expect(stderr).not.toContain(adminKey);
  });
});
