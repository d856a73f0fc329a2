// Revocation reaches a running gateway at once through the API and within a second through the CLI, which
// writes only to the database (the gateway's key cache learns of it from there).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { openaiAt, startGateway, type TestGateway } from "../helpers/gateway.ts";
import { ROOT } from "../helpers/binary.ts";

let gw: TestGateway;
const models = async (key: string) => (await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status;

beforeAll(async () => {
  gw = await startGateway(openaiAt("http://127.0.0.1:9"));
});
afterAll(async () => {
  await gw.stop();
});

async function newKey(): Promise<{ id: string; key: string }> {
  return (await gw.post("/v1/api-keys", { name: "revocable" })).json();
}

describe("revocation", () => {
  test("through the API: the next request with the key is refused", async () => {
    const { id, key } = await newKey();
    expect(await models(key)).toBe(200);
    await fetch(`${gw.url}/v1/api-keys/${id}`, { method: "DELETE", headers: { authorization: `Bearer ${gw.adminKey}` } });
    expect(await models(key)).toBe(401);
  });

  test("through the CLI (database only): the running gateway refuses the key within a second", async () => {
    const { id, key } = await newKey();
    expect(await models(key)).toBe(200); // now cached by the gateway
    const config = join(gw.dir, "cli.yaml");
    writeFileSync(config, [`storage: { path: ${gw.dbPath} }`, `security: { admin_key: ${gw.adminKey}, master_key_file: ${join(gw.dir, "master.key")} }`, "providers: { openai: { adapter: openai, base_url: 'http://127.0.0.1:9' } }"].join("\n"));
    const cli = Bun.spawnSync([process.execPath, join(ROOT, "src/main.ts"), "api-keys", "revoke", id, "--config", config], { stdout: "pipe", stderr: "pipe", env: { ...process.env, KEYWAY_CONFIG: "" } });
    expect(cli.stderr.toString()).toBe("");
    expect(cli.stdout.toString()).toContain(`revoked ${id}`);
    const revokedAt = Date.now();
    let status = await models(key);
    while (status !== 401 && Date.now() - revokedAt < 3000) {
      await Bun.sleep(50);
      status = await models(key);
    }
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(1000);
  });
});
